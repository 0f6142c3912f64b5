import Logging
import PostgresClient
import Synchronization

/// Tells the read cache what changed, from the three places a change can come from:
///
/// - **The operations of this process** declare the scopes they change (`Database.write(changing:)`); the cache
///   drops those reads right after the commit, before the operation returns, so the next page shows the change.
/// - **Other writers** (another portal instance, `hotdesk create-admin`, psql) are heard through the notifications
///   the tables' triggers send on `channel` (migration 0011), whose payloads name the same scopes. They arrive on a
///   connection of the feed's own, a few milliseconds after the commit. Notifications sent by this process's
///   pooled connections are skipped: their operations declared them already.
/// - **A write nobody declared** (a pooled connection that changed rows outside an operation) drops everything.
///
/// While the listening connection is down nothing may be served from the cache, since changes could go unheard.
public final class ChangeFeed: PostgresPoolObserver, Sendable {
    /// The notification channel the triggers notify.
    public static let channel = "hotdesk_changes"

    /// The reads this feed keeps current.
    public let cache: ReadCache
    private let listener: NotificationListener
    /// The server processes of this process's pooled connections.
    private final class ProcessIDs: Sendable {
        let ids = Mutex<Set<Int32>>([])
    }
    private let ownProcesses = ProcessIDs()

    /// A feed that keeps `cache` current, listening on the database at `connectionString` once `start()` is called.
    public init(cache: ReadCache, connectionString: String, logger: Logger, retryInterval: Duration = .seconds(1)) {
        self.cache = cache
        let ownProcesses = self.ownProcesses
        listener = NotificationListener(
            connectionString: connectionString, channel: Self.channel, applicationName: "hotdesk-changes",
            logger: logger, retryInterval: retryInterval
        ) { [cache] event in
            switch event {
            case .listening:
                cache.setTold(true)
            case .stoppedListening:
                cache.setTold(false)
            case .notifications(let notifications):
                let own = ownProcesses.ids.withLock { $0 }
                let scopes = notifications.filter { !own.contains($0.senderProcessID) }.map {
                    ChangeScope(payload: $0.payload)
                }
                cache.invalidate(Array(Set(scopes)))
            }
        }
    }

    /// Starts listening; the cache serves once the connection listens.
    public func start() {
        listener.start()
    }

    /// Stops listening; the cache stops serving at once.
    public func stop() {
        listener.stop()
    }

    /// True while the listening connection is up, so that every change is heard.
    public var isListening: Bool { listener.isListening }

    /// Drops the reads of `scopes`: called by operations right after their commit.
    func changed(_ scopes: [ChangeScope]) {
        cache.invalidate(scopes)
    }

    /// Notes a server process of this process's pool: its notifications are declared already.
    public func poolOpened(backendProcessID: Int32) {
        ownProcesses.ids.withLock { _ = $0.insert(backendProcessID) }
    }

    /// Forgets a closed pooled connection's server process.
    public func poolClosed(backendProcessID: Int32) {
        ownProcesses.ids.withLock { _ = $0.remove(backendProcessID) }
    }

    /// A write outside any operation: nobody can say what it changed, so every read is dropped.
    public func poolConnectionWroteUnaccounted() {
        cache.invalidate([.everything])
    }
}

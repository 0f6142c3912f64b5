import Foundation
import Logging
import Synchronization

/// Tells read caches when the rows they hold may have changed: a generation number that every change moves on.
///
/// Two sources move it. A change made through this process's `PostgresPool` moves it when its connection goes
/// back to the pool, before the handler that made it answers, so the next request never sees an entry read
/// before that change. A change made anywhere else (another portal instance, `hotdesk create-admin`, psql)
/// arrives as a PostgreSQL notification on `channel`, which triggers on the cached tables send (migration
/// 0009), on a connection of its own that does nothing but listen; it lands a few milliseconds after that
/// change commits. The notifications the pool's own connections send are not counted again: the pool
/// registers their server processes (`adopt`, `release`). While the listening connection is down nothing may
/// be cached, since changes could go unheard: `isListening` is false and the generation moves on when it comes
/// back.
public final class ChangeFeed: Sendable {
    /// The notification channel the triggers of migration 0009 notify.
    public static let channel = "hotdesk_changes"

    private let connectionString: String
    private let logger: Logger
    private let currentGeneration = Atomic<UInt64>(0)
    private let listening = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    /// The server processes of this process's pooled connections, whose changes are counted when they are
    /// made, not when their notification arrives.
    private let ownProcesses = Mutex<Set<Int32>>([])
    /// Seconds between attempts to reconnect the listening connection.
    private let retryInterval: Duration

    /// A feed for the database at `connectionString`; it listens once `start()` is called.
    public init(connectionString: String, logger: Logger, retryInterval: Duration = .seconds(1)) {
        self.connectionString = connectionString
        self.logger = logger
        self.retryInterval = retryInterval
    }

    /// The number of changes seen so far; an entry read at one generation is stale at any other.
    public var generation: UInt64 { currentGeneration.load(ordering: .acquiring) }

    /// True while the listening connection is up, so that every change is heard.
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Records a change.
    public func advance() {
        currentGeneration.add(1, ordering: .releasing)
    }

    /// Marks the server process of one of this process's pooled connections: its notifications are its own.
    public func adopt(_ connection: PostgresConnection) {
        let process = connection.backendProcessID
        ownProcesses.withLock { _ = $0.insert(process) }
    }

    /// Forgets a pooled connection that closes (its process id may serve someone else next).
    public func release(_ connection: PostgresConnection) {
        let process = connection.backendProcessID
        ownProcesses.withLock { _ = $0.remove(process) }
    }

    /// Starts the listening thread, which keeps a connection open (and reopens it) until `stop()`.
    public func start() {
        Thread { [self] in listen() }.start()
    }

    /// Stops listening within about a second; caches stop serving entries at once.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        listening.store(false, ordering: .releasing)
        advance()
    }

    private func listen() {
        var outage = Incident()
        while !stopped.load(ordering: .acquiring) {
            do {
                let connection = try PostgresConnection(
                    connectionString: connectionString, applicationName: "hotdesk-changes")
                try connection.runScript("LISTEN \(Self.channel)")
                advance()
                listening.store(true, ordering: .releasing)
                if let ended = outage.end() {
                    logger.notice("listening for database changes again after \(ended.duration.logText); read caches are back on")
                } else {
                    logger.debug("listening for database changes")
                }
                while !stopped.load(ordering: .acquiring) {
                    let senders = try connection.awaitNotifications(timeout: .seconds(1))
                    guard !senders.isEmpty else { continue }
                    let own = ownProcesses.withLock { $0 }
                    if senders.contains(where: { !own.contains($0) }) { advance() }
                }
            } catch {
                listening.store(false, ordering: .releasing)
                advance()
                if outage.fail() {
                    logger.warning(
                        "not listening for database changes; read caches are off until it is back",
                        metadata: ["error": "\(error.message.split(whereSeparator: \.isNewline).joined(separator: " "))"])
                }
                Thread.sleep(forTimeInterval: retryInterval.seconds)
            }
        }
        listening.store(false, ordering: .releasing)
    }
}

import Foundation
import Logging
import Synchronization

/// One notification as PostgreSQL delivered it (`NOTIFY channel, 'payload'`).
public struct PostgresNotification: Sendable, Equatable {
    /// The channel it was sent on.
    public let channel: String
    /// The text sent along, possibly empty.
    public let payload: String
    /// The server process of the session that sent it (`pg_backend_pid()` there).
    public let senderProcessID: Int32

    /// Creates a notification (the listener and tests build them).
    public init(channel: String, payload: String, senderProcessID: Int32) {
        self.channel = channel
        self.payload = payload
        self.senderProcessID = senderProcessID
    }
}

/// Keeps one connection that does nothing but `LISTEN` on a channel, and hands what arrives to `receive`.
///
/// The connection is its own (never a pooled one), so a notification lands within milliseconds of the sender's
/// commit. If it breaks, the listener says so (`.stoppedListening`: notifications may have been missed
/// meanwhile), reconnects every `retryInterval`, and says `.listening` again once it is back. Outages are logged
/// when they begin and end, not once per attempt.
public final class NotificationListener: Sendable {
    /// What the listener tells its receiver, always from its own thread.
    public enum Event: Sendable {
        /// The connection listens: from now on every notification is delivered.
        case listening
        /// Notifications that arrived together.
        case notifications([PostgresNotification])
        /// The connection broke or the listener stopped: notifications sent from now on may be missed.
        case stoppedListening
    }

    private let connectionString: String
    private let channel: String
    private let applicationName: String
    private let logger: Logger
    private let retryInterval: Duration
    private let receive: @Sendable (Event) -> Void
    private let listening = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    /// A listener for `channel` on the database at `connectionString`; it connects once `start()` is called.
    /// `channel` must be a plain identifier (letters, digits and underscores).
    public init(
        connectionString: String, channel: String, applicationName: String, logger: Logger,
        retryInterval: Duration = .seconds(1), receive: @escaping @Sendable (Event) -> Void
    ) {
        precondition(
            !channel.isEmpty
                && channel.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 < 0x80 && isalnum(Int32($0)) != 0) },
            "a channel name is letters, digits and underscores")
        self.connectionString = connectionString
        self.channel = channel
        self.applicationName = applicationName
        self.logger = logger
        self.retryInterval = retryInterval
        self.receive = receive
    }

    /// True while the listening connection is up, so that every notification is delivered.
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Starts the listening thread, which keeps a connection open (and reopens it) until `stop()`.
    public func start() {
        Thread { [self] in listen() }.start()
    }

    /// Stops listening within about a second; the receiver hears `.stoppedListening` at once.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        listening.store(false, ordering: .releasing)
        receive(.stoppedListening)
    }

    private func listen() {
        var outage = Incident()
        while !stopped.load(ordering: .acquiring) {
            do {
                let connection = try PostgresConnection(
                    connectionString: connectionString, applicationName: applicationName)
                try connection.runScript("LISTEN \(channel)")
                listening.store(true, ordering: .releasing)
                receive(.listening)
                if let ended = outage.end() {
                    logger.notice("listening on \(channel) again after \(ended.duration.logText)")
                } else {
                    logger.debug("listening on \(channel)")
                }
                while !stopped.load(ordering: .acquiring) {
                    let notifications = try connection.awaitNotifications(timeout: .seconds(1))
                    if !notifications.isEmpty { receive(.notifications(notifications)) }
                }
            } catch {
                listening.store(false, ordering: .releasing)
                receive(.stoppedListening)
                if outage.fail() {
                    logger.warning(
                        "not listening on \(channel); retrying every \(retryInterval.logText)",
                        metadata: [
                            "error": "\(error.message.split(whereSeparator: \.isNewline).joined(separator: " "))"
                        ])
                }
                Thread.sleep(forTimeInterval: retryInterval.seconds)
            }
        }
        listening.store(false, ordering: .releasing)
    }
}

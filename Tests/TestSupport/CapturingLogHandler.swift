import Foundation
import Logging
import Synchronization

/// A log handler that keeps every entry, for tests that check what the server and the portal log.
public struct CapturingLogHandler: LogHandler {
    /// One logged entry, with the logger's and the event's metadata merged.
    public struct Entry: Sendable {
        /// The level it was logged at.
        public let level: Logger.Level
        /// The message.
        public let message: String
        /// Its metadata, the handler's included.
        public let metadata: Logger.Metadata
    }

    /// Where the entries of every logger made with this handler go.
    public final class Store: Sendable {
        /// Every entry so far.
        public let entries = Mutex<[Entry]>([])

        /// An empty store.
        public init() {}

        /// The first entry matching `predicate`, waiting up to a second for it (the access log line is written
        /// on a server thread, possibly after the client has its answer).
        public func waitForEntry(_ predicate: (Entry) -> Bool) -> Entry? {
            for _ in 0..<100 {
                if let entry = entries.withLock({ $0.first(where: predicate) }) {
                    return entry
                }
                usleep(10_000)
            }
            return nil
        }
    }

    let store: Store
    /// The handler's own metadata.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level kept.
    public var logLevel: Logger.Level = .trace

    /// A handler writing into `store`.
    public init(store: Store) {
        self.store = store
    }

    /// The handler's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Keeps the entry.
    public func log(event: LogEvent) {
        let entry = Entry(
            level: event.level, message: event.message.description,
            metadata: metadata.merging(event.metadata ?? [:]) { $1 })
        store.entries.withLock { $0.append(entry) }
    }
}

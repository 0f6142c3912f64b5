import Foundation
import Logging
import Synchronization
import WebServer

/// Starts an `HTTPServer` on an ephemeral port for one test and stops it afterwards.
func withServer<Result>(
    _ router: Router,
    configuration: HTTPServer.Configuration = HTTPServer.Configuration(port: 0, threadCount: 4),
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (HTTPServer) throws -> Result
) throws -> Result {
    var configuration = configuration
    configuration.port = 0
    let server = HTTPServer(configuration: configuration, responder: router, logger: logger)
    try server.start()
    defer { server.shutdown(gracePeriod: .seconds(2)) }
    return try body(server)
}

/// Runs `body` on `count` new threads at once and returns their results in order.
func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let results = Mutex<[Int: T]>([:])
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            let result = body(index)
            results.withLock { $0[index] = result }
            group.leave()
        }.start()
    }
    group.wait()
    return results.withLock { results in (0..<count).map { results[$0]! } }
}

/// A log handler that keeps every entry, for tests that check what the server logs.
struct CapturingLogHandler: LogHandler {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    final class Store: Sendable {
        let entries = Mutex<[Entry]>([])

        /// The first entry matching `predicate`, waiting up to a second for it (the access log line is written
        /// on a server thread, possibly after the client has its answer).
        func waitForEntry(_ predicate: (Entry) -> Bool) -> Entry? {
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
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let entry = Entry(
            level: event.level, message: event.message.description,
            metadata: metadata.merging(event.metadata ?? [:]) { $1 })
        store.entries.withLock { $0.append(entry) }
    }
}

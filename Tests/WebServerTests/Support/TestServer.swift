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

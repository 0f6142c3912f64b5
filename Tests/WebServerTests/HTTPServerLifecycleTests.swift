import Foundation
import Glibc
import Logging
import Synchronization
import TestSupport
import Testing
import WebServer

/// Starting, concurrency, slow clients and graceful shutdown, over real sockets.
@Suite("HTTPServer lifecycle")
struct HTTPServerLifecycleTests {
    private static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("50 concurrent clients on threads all get their own answers")
    func concurrentClients() throws {
        var router = Router()
        router.get("/echo/:n") { request in
            usleep(20_000)
            return .text("n=\(request.parameters["n"] ?? "?")")
        }
        try withServer(router, configuration: HTTPServer.Configuration(port: 0)) { server in
            let port = server.port
            let answers = onThreads(50) { index in
                (try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/echo/\(index)")))
                    .map { "\($0.statusCode) \($0.bodyText)" } ?? "no answer"
            }
            #expect(answers == (0..<50).map { "200 n=\($0)" })
        }
    }

    @Test("handlers blocked on a slow resource do not delay requests on other connections")
    func blockedHandlersDoNotStallOtherConnections() throws {
        let release = DispatchSemaphore(value: 0)
        let blocked = DispatchSemaphore(value: 0)
        var router = Router()
        router.get("/stuck") { _ in
            blocked.signal()
            release.wait()
            return .text("released")
        }
        router.get("/fast") { _ in .text("fast") }
        // Before handlers had threads of their own, a connection that libmicrohttpd gave to the thread of a
        // blocked handler waited as long as that handler did.
        try withServer(router, configuration: HTTPServer.Configuration(port: 0, threadCount: 4)) { server in
            let port = server.port
            let stuck = (0..<2).map { _ in
                Thread.runAsync { try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/stuck")) }
            }
            for _ in stuck { #expect(blocked.wait(timeout: .now() + 5) == .success) }
            let started = ContinuousClock.now
            let answers = onThreads(8) { _ in
                (try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/fast")))?.statusCode ?? 0
            }
            #expect(answers == Array(repeating: 200, count: 8))
            #expect(ContinuousClock.now - started < .seconds(2))
            release.signal()
            release.signal()
            #expect(stuck.map { $0.wait()?.statusCode } == [200, 200])
        }
    }

    @Test("shutdown lets an in-flight request finish and refuses new connections at once")
    func gracefulShutdown() throws {
        let handlerStarted = DispatchSemaphore(value: 0)
        var router = Router()
        router.get("/slow") { _ in
            handlerStarted.signal()
            usleep(1_000_000)
            return .text("finished")
        }
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(port: 0, threadCount: 2), responder: router,
            logger: Self.quietLogger)
        try server.start()
        let port = server.port
        let inFlight = Thread.runAsync {
            try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/slow"))
        }
        #expect(handlerStarted.wait(timeout: .now() + 5) == .success)
        let shutdownStarted = ContinuousClock.now
        let stopping = Thread.runAsync { server.shutdown(gracePeriod: .seconds(5)) }
        usleep(200_000)

        #expect(throws: RawHTTPClient.Failure.connect(errno: ECONNREFUSED)) { try RawHTTPClient(port: port) }
        let response = inFlight.wait()
        #expect(response?.statusCode == 200)
        #expect(response?.bodyText == "finished")
        stopping.wait()
        #expect(ContinuousClock.now - shutdownStarted < .seconds(3))
        #expect(server.port == 0)
        server.shutdown()
    }

    @Test("a slow client does not hold up others and is dropped after the connection timeout")
    func slowClient() throws {
        var router = Router()
        router.get("/") { _ in .text("ok") }
        let configuration = HTTPServer.Configuration(port: 0, threadCount: 2, connectionTimeoutSeconds: 2)
        try withServer(router, configuration: configuration) { server in
            let port = server.port
            let connected = ContinuousClock.now
            let halfLine = try RawHTTPClient(port: port)
            defer { halfLine.close() }
            halfLine.send("GET /sl")
            let halfHeader = try RawHTTPClient(port: port)
            defer { halfHeader.close() }
            halfHeader.send("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")

            let timings = onThreads(8) { _ in
                let started = ContinuousClock.now
                let status = (try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/")))?.statusCode
                return (status, ContinuousClock.now - started)
            }
            #expect(timings.allSatisfy { $0.0 == 200 && $0.1 < .seconds(1) })

            #expect(halfLine.readToEnd().isEmpty)
            #expect(halfHeader.readToEnd().isEmpty)
            let dropped = ContinuousClock.now - connected
            #expect(dropped > .milliseconds(1500) && dropped < .seconds(5), "dropped after \(dropped)")
            let stopping = ContinuousClock.now
            server.shutdown(gracePeriod: .seconds(5))
            #expect(ContinuousClock.now - stopping < .seconds(1), "nothing is left in flight")
        }
    }

    @Test("start fails with an error naming host and port when the port is in use")
    func portInUse() throws {
        let first = HTTPServer(
            configuration: HTTPServer.Configuration(port: 0, threadCount: 1), responder: Router(),
            logger: Self.quietLogger)
        try first.start()
        defer { first.shutdown() }
        let second = HTTPServer(
            configuration: HTTPServer.Configuration(port: first.port, threadCount: 1), responder: Router(),
            logger: Self.quietLogger)
        let error = #expect(throws: WebServerError.self) { try second.start() }
        #expect(error?.message.contains("127.0.0.1:\(first.port)") == true)
        #expect(error?.message.contains("in use") == true)
    }

    @Test(
        "start fails with a clear error for a host that is not a local address literal",
        arguments: ["localhost", "not an address", "192.0.2.1"])
    func badHost(_ host: String) {
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(host: host, port: 0, threadCount: 1), responder: Router(),
            logger: Self.quietLogger)
        let error = #expect(throws: WebServerError.self) { try server.start() }
        #expect(error?.message.contains("\(host):0") == true)
    }

    @Test("start refuses a configuration libmicrohttpd cannot run, and a second start")
    func invalidConfigurationAndRestart() throws {
        let invalid = HTTPServer(
            configuration: HTTPServer.Configuration(port: 0, threadCount: 0), responder: Router(),
            logger: Self.quietLogger)
        #expect(throws: WebServerError.self) { try invalid.start() }
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(port: 0, threadCount: 1), responder: Router(),
            logger: Self.quietLogger)
        try server.start()
        #expect(throws: WebServerError.self) { try server.start() }
        server.shutdown()
        server.shutdown()
    }

    @Test("listens on an IPv6 literal and reports the client's IPv6 address")
    func ipv6() throws {
        var router = Router()
        router.get("/") { request in .text(request.remoteAddress) }
        try withServer(router, configuration: HTTPServer.Configuration(host: "::1", port: 0, threadCount: 1)) {
            server in
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", "/"), host: "::1")
            #expect(response.bodyText == "::1")
        }
    }
}

extension Thread {
    /// A value computed on a new thread, waited for with `wait()`.
    final class Pending<Value: Sendable>: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let value = Mutex<Value?>(nil)

        fileprivate init(_ body: @escaping @Sendable () -> Value) {
            Thread {
                let result = body()
                self.value.withLock { $0 = result }
                self.done.signal()
            }.start()
        }

        func wait() -> Value {
            done.wait()
            return value.withLock { $0! }
        }
    }

    static func runAsync<Value: Sendable>(_ body: @escaping @Sendable () -> Value) -> Pending<Value> {
        Pending(body)
    }
}

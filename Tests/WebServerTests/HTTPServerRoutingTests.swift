import Foundation
import Logging
import TestSupport
import Testing
import WebServer

/// Requests over real sockets to a server on an ephemeral port: routing, parsing and error pages.
@Suite("HTTPServer routing and parsing")
struct HTTPServerRoutingTests {
    private static func makeRouter() -> Router {
        var router = Router()
        router.get("/installs/:id/users") { request in .text("users of install \(request.parameters["id"] ?? "?")") }
        router.post("/installs/:id/users") { _ in .text("created", status: .created) }
        router.get("/search") { request in
            let tags = request.query.values(for: "tag").joined(separator: ",")
            return .text("q=\(try request.query.value(for: "q") ?? "") tags=\(tags)")
        }
        router.get("/path/*rest") { request in .text("path=\(request.path) rest=\(request.parameters["rest"] ?? "")") }
        router.get("/whoami") { request in
            .text("id=\(request.id) remote=\(request.remoteAddress) sid=\(request.cookies["sid"] ?? "-")")
        }
        router.get("/cookies") { _ in
            var response = Response.text("set")
            response.setCookie(Cookie(name: "a", value: "1"))
            response.setCookie(Cookie(name: "b", value: "2"))
            return response
        }
        router.get("/fail") { _ in throw CancellationError() }
        router.get("/forbidden") { _ in throw HTTPError(status: .forbidden, message: "Managers only.") }
        return router
    }

    @Test("routes with path parameters over a real socket")
    func routing() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/installs/3/users"))
            #expect(response.statusCode == 200)
            #expect(response.bodyText == "users of install 3")
            #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
            let created = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("POST", "/installs/3/users", body: []))
            #expect(created.statusCode == 201)
        }
    }

    @Test("an unknown path is 404 through the error page, with the request id")
    func notFound() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", "/nowhere"))
            #expect(response.statusCode == 404)
            let id = try #require(response.headers["X-Request-ID"])
            #expect(response.bodyText.contains("There is no page at this address."))
            #expect(response.bodyText.contains("Request ID: \(id)"))
        }
    }

    @Test("a known path with the wrong method is 405 with Allow")
    func methodNotAllowed() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("DELETE", "/installs/3/users"))
            #expect(response.statusCode == 405)
            #expect(response.headers["Allow"] == "GET, HEAD, POST")
        }
    }

    @Test("HEAD gets the GET route's status and headers, with Content-Length, and no body")
    func head() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("HEAD", "/installs/3/users"))
            #expect(response.statusCode == 200)
            #expect(response.headers["Content-Length"] == "\("users of install 3".utf8.count)")
            #expect(response.body.isEmpty)
        }
    }

    @Test("the path is percent-decoded strictly and the query parsed with form rules")
    func pathAndQuery() throws {
        try withServer(Self.makeRouter()) { server in
            let search = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/search?q=caf%C3%A9+au+lait&tag=a&tag=b"))
            #expect(search.bodyText == "q=café au lait tags=a,b")
            let path = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/path/a%2Fb+c%20d?x=1"))
            #expect(path.bodyText == "path=/path/a/b+c d rest=a/b+c d")
            let absolute = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "http://localhost/installs/9/users"))
            #expect(absolute.bodyText == "users of install 9")
        }
    }

    @Test(
        "a malformed path or query is 400 from the server, before any handler",
        arguments: [
            "/path/%zz", "/path/%4", "/path/%", "/path/%00", "/path/%ff", "/search?q=%zz", "/search?q=%C3", "*",
        ])
    func malformedTarget(_ target: String) throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", target))
            #expect(response.statusCode == 400)
            #expect(response.headers["X-Request-ID"] != nil)
        }
    }

    @Test("a duplicated query key read with value(for:) is 400")
    func duplicatedQueryKey() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/search?q=a&q=b"))
            #expect(response.statusCode == 400)
        }
    }

    @Test("a malformed request line is 400", arguments: ["GET /\r\n\r\n", "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n"])
    func malformedRequestLine(_ raw: String) throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(port: server.port, raw)
            #expect(response.statusCode == 400)
        }
    }

    @Test("a request line without spaces is dropped without an answer and the server keeps serving")
    func garbageRequestLine() throws {
        try withServer(Self.makeRouter()) { server in
            let client = try RawHTTPClient(port: server.port)
            client.send("GARBAGE\r\n\r\n")
            #expect(client.readToEnd().isEmpty)
            client.close()
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/installs/1/users"))
            #expect(response.statusCode == 200)
        }
    }

    @Test("an unknown method is 501 from the server, never a crash", arguments: ["BREW", "get", "trace"])
    func unknownMethod(_ method: String) throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request(method, "/installs/1/users"))
            #expect(response.statusCode == 501)
            #expect(response.headers["X-Request-ID"] != nil)
        }
    }

    @Test("TRACE, a method HTTP defines but no route takes, is 405 with the path's Allow")
    func traceIsNotAllowed() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("TRACE", "/installs/1/users"))
            #expect(response.statusCode == 405)
            #expect(response.headers["Allow"]?.contains("GET") == true)
        }
    }

    @Test("the request id, remote address and cookies reach the handler; the id is also in X-Request-ID")
    func requestFacts() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/whoami", headers: ["Cookie: sid=s3cret; x=1"]))
            let id = try #require(response.headers["X-Request-ID"])
            #expect(id.count == 16 && id.allSatisfy { $0.isHexDigit })
            #expect(response.bodyText == "id=\(id) remote=127.0.0.1 sid=s3cret")
        }
    }

    @Test("a response can set several cookies")
    func repeatedSetCookie() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", "/cookies"))
            #expect(
                response.headers.values(for: "Set-Cookie") == [
                    "a=1; Path=/; HttpOnly; SameSite=Lax", "b=2; Path=/; HttpOnly; SameSite=Lax",
                ])
        }
    }

    @Test("an HTTPError from a handler becomes the error page with its status and message")
    func handlerHTTPError() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", "/forbidden"))
            #expect(response.statusCode == 403)
            #expect(response.bodyText.contains("Managers only."))
        }
    }

    @Test("any other handler error is a generic 500 and is logged at error level with the request id")
    func handlerFailure() throws {
        let store = CapturingLogHandler.Store()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(store: store) }
        try withServer(Self.makeRouter(), logger: logger) { server in
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", "/fail"))
            #expect(response.statusCode == 500)
            #expect(response.bodyText.contains("Something went wrong on our side."))
            #expect(!response.bodyText.contains("CancellationError"))
            let id = try #require(response.headers["X-Request-ID"])
            let logged = store.waitForEntry { $0.level == .error && $0.metadata["request_id"] == "\(id)" }
            #expect(logged?.message.contains("CancellationError") == true)
        }
    }

    @Test("each request writes an info access log line without the query string")
    func accessLog() throws {
        let store = CapturingLogHandler.Store()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(store: store) }
        try withServer(Self.makeRouter(), logger: logger) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/installs/3/users?token=secret"))
            let id = try #require(response.headers["X-Request-ID"])
            let entry = try #require(store.waitForEntry { $0.metadata["request_id"] == "\(id)" && $0.level == .info })
            #expect(entry.message.hasPrefix("GET /installs/3/users 200 "))
            #expect(entry.message.hasSuffix("ms"))
            #expect(!entry.message.contains("secret"))
            #expect(entry.metadata["method"] == "GET")
            #expect(entry.metadata["path"] == "/installs/3/users")
            #expect(entry.metadata["status"] == "200")
            #expect(entry.metadata["remote_address"] == "127.0.0.1")
            #expect(entry.metadata["duration_ms"] != nil)
        }
    }

    @Test("a secret path segment after a configured prefix is written as [secret] in the access log")
    func accessLogHidesSecretSegment() throws {
        let store = CapturingLogHandler.Store()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(store: store) }
        var configuration = HTTPServer.Configuration(port: 0, threadCount: 2)
        configuration.secretPathPrefixes = ["/path/"]
        try withServer(Self.makeRouter(), configuration: configuration, logger: logger) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/path/s3cr3tT0ken/y000000000000.boot"))
            #expect(response.statusCode == 200)
            let id = try #require(response.headers["X-Request-ID"])
            let entry = try #require(store.waitForEntry { $0.metadata["request_id"] == "\(id)" && $0.level == .info })
            #expect(entry.message.hasPrefix("GET /path/[secret]/y000000000000.boot 200 "))
            #expect(entry.metadata["path"] == "/path/[secret]/y000000000000.boot")
            #expect(!entry.message.contains("s3cr3tT0ken"))
        }
    }
}

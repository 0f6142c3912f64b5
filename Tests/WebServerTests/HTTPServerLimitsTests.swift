import TestSupport
import Testing
import WebServer

/// Body and header limits, ambiguous framing and default headers, over real sockets.
@Suite("HTTPServer limits and default headers")
struct HTTPServerLimitsTests {
    private static func makeRouter() -> Router {
        var router = Router()
        router.post("/echo") { request in .text("\(request.body.count) bytes") }
        router.get("/") { _ in .text("ok") }
        router.get("/cached") { _ in Response(headers: ["Cache-Control": "max-age=5"], body: Array("own".utf8)) }
        return router
    }

    private static func chunked(_ body: [UInt8], chunkSize: Int = 8192) -> [UInt8] {
        var bytes = Array(
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        var offset = 0
        while offset < body.count {
            let chunk = body[offset..<min(body.count, offset + chunkSize)]
            bytes += Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Array("\r\n".utf8)
            offset += chunkSize
        }
        return bytes + Array("0\r\n\r\n".utf8)
    }

    @Test("a body of exactly 64 KiB is accepted, with Content-Length and chunked")
    func bodyAtLimit() throws {
        try withServer(Self.makeRouter()) { server in
            let body = [UInt8](repeating: 0x61, count: 65_536)
            let sized = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("POST", "/echo", body: body))
            #expect(sized.statusCode == 200)
            #expect(sized.bodyText == "65536 bytes")
            let chunked = try RawHTTPClient.exchange(port: server.port, Self.chunked(body))
            #expect(chunked.bodyText == "65536 bytes")
        }
    }

    @Test("a body over 64 KiB announced by Content-Length is 413 at once")
    func bodyTooLargeWithContentLength() throws {
        try withServer(Self.makeRouter()) { server in
            let body = [UInt8](repeating: 0x61, count: 65_537)
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("POST", "/echo", body: body))
            #expect(response.statusCode == 413)
            #expect(response.headers["X-Request-ID"] != nil)
            let headOnly = try RawHTTPClient(port: server.port)
            defer { headOnly.close() }
            headOnly.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\n")
            #expect(try RawResponse(parsing: headOnly.readToEnd()).statusCode == 413)
        }
    }

    @Test("a chunked body over 64 KiB is read to its end, dropped, and answered 413")
    func bodyTooLargeChunked() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, Self.chunked([UInt8](repeating: 0x62, count: 100_000)))
            #expect(response.statusCode == 413)
        }
    }

    @Test("a request with both Content-Length and Transfer-Encoding is refused with 400")
    func ambiguousFraming() throws {
        try withServer(Self.makeRouter()) { server in
            let raw =
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n"
            let client = try RawHTTPClient(port: server.port)
            defer { client.close() }
            client.send(raw + "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = client.readToEnd()
            #expect(try RawResponse(parsing: answer).statusCode == 400)
            #expect(String(decoding: answer, as: UTF8.self).components(separatedBy: "HTTP/1.1 ").count == 2)
        }
    }

    @Test("a header over the cap is 431 and the server still answers the next request")
    func headerTooLarge() throws {
        try withServer(Self.makeRouter()) { server in
            let normal = RawHTTPClient.request(
                "GET", "/", headers: ["Cookie: " + String(repeating: "c", count: 12_000)])
            #expect(try RawHTTPClient.exchange(port: server.port, normal).statusCode == 200)
            for size in [16_400, 20_000, 40_000, 200_000] {
                let big = RawHTTPClient.request("GET", "/", headers: ["X-Big: " + String(repeating: "b", count: size)])
                let response = try RawHTTPClient.exchange(port: server.port, big)
                #expect(response.statusCode == 431, "header of \(size) bytes")
                #expect(
                    try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", "/")).statusCode == 200)
            }
        }
    }

    @Test("default headers are on handler, error, static, 413 and 431 responses, unless already set")
    func defaultHeaders() throws {
        let fixture = try StaticFixture()
        let files = try StaticFiles(folder: fixture.staticFolder, urlPrefix: "/static")
        var router = Self.makeRouter()
        router.get("/static/*path") { request in
            guard let response = files.response(for: request) else { throw HTTPError(status: .notFound) }
            return response
        }
        var configuration = HTTPServer.Configuration(port: 0, threadCount: 2)
        configuration.defaultHeaders = ["X-Frame-Options": "DENY", "Cache-Control": "no-store"]
        try withServer(router, configuration: configuration) { server in
            let requests: [(String, [UInt8], Int, String)] = [
                ("handler", Array(RawHTTPClient.request("GET", "/").utf8), 200, "no-store"),
                ("handler's own", Array(RawHTTPClient.request("GET", "/cached").utf8), 200, "max-age=5"),
                ("error", Array(RawHTTPClient.request("GET", "/missing").utf8), 404, "no-store"),
                ("static", Array(RawHTTPClient.request("GET", "/static/app.css").utf8), 200, "public, max-age=3600"),
                (
                    "413", RawHTTPClient.request("POST", "/echo", body: [UInt8](repeating: 0, count: 70_000)), 413,
                    "no-store"
                ),
                (
                    "431",
                    Array(
                        RawHTTPClient.request("GET", "/", headers: ["X-Big: " + String(repeating: "b", count: 17_000)])
                            .utf8), 431, "no-store"
                ),
            ]
            for (name, request, status, cacheControl) in requests {
                let response = try RawHTTPClient.exchange(port: server.port, request)
                #expect(response.statusCode == status, "\(name)")
                #expect(response.headers["X-Frame-Options"] == "DENY", "\(name)")
                #expect(response.headers.values(for: "Cache-Control") == [cacheControl], "\(name)")
            }
        }
    }
}

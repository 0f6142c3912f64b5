import TestSupport
import Testing
import WebServer

/// Static files served through a router over real sockets.
@Suite("HTTPServer static files")
struct HTTPServerStaticTests {
    private static func makeRouter(_ files: StaticFiles) -> Router {
        var router = Router()
        router.get("/static/*path") { request in
            guard let response = files.response(for: request) else {
                throw HTTPError(status: .notFound, message: "There is no such file.")
            }
            return response
        }
        return router
    }

    @Test("serves a file with its content type, caching headers and ETag; If-None-Match gets 304")
    func servesAndRevalidates() throws {
        let fixture = try StaticFixture()
        try withServer(Self.makeRouter(try StaticFiles(folder: fixture.staticFolder, urlPrefix: "/static"))) { server in
            let response = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/static/app.css"))
            #expect(response.statusCode == 200)
            #expect(response.bodyText == StaticFixture.css)
            #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
            #expect(response.headers["Cache-Control"] == "public, max-age=3600")
            let etag = try #require(response.headers["ETag"])
            let revalidated = try RawHTTPClient.exchange(
                port: server.port, RawHTTPClient.request("GET", "/static/app.css", headers: ["If-None-Match: \(etag)"]))
            #expect(revalidated.statusCode == 304)
            #expect(revalidated.body.isEmpty)
            #expect(revalidated.headers["ETag"] == etag)
            let head = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("HEAD", "/static/logo.png"))
            #expect(head.headers["Content-Length"] == "\(StaticFixture.png.count)")
            #expect(head.body.isEmpty)
        }
    }

    @Test(
        "traversal attempts and dotfiles are 404",
        arguments: [
            "/static/../Package.swift", "/static/%2e%2e/Package.swift", "/static/%2e%2e%2fPackage.swift",
            "/static/..%2fsecret.txt", "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/.git/config",
            "/static/%2egit/config", "/static/.hidden", "/static/icons/", "/static/./app.css",
        ])
    func traversal(_ target: String) throws {
        let fixture = try StaticFixture()
        try withServer(Self.makeRouter(try StaticFiles(folder: fixture.staticFolder, urlPrefix: "/static"))) { server in
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", target))
            #expect(response.statusCode == 404)
            #expect(response.bodyText.contains("There is no such file."))
        }
    }
}

import Testing
import WebServer

@Suite("StaticFiles")
struct StaticFilesTests {
    private func request(_ path: String, headers: HTTPHeaders = [:]) -> Request {
        Request(method: .GET, path: path, headers: headers)
    }

    @Test(
        "chooses the Content-Type by extension, with charset=utf-8 for text types",
        arguments: [
            ("app.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("readme.txt", "text/plain; charset=utf-8"),
            ("logo.png", "image/png"),
            ("icons/check.svg", "image/svg+xml"),
            ("fonts/inter.woff2", "font/woff2"),
            ("app.js.map", "application/json"),
            ("data.bin", "application/octet-stream"),
        ])
    func contentType(_ file: String, _ contentType: String) throws {
        let fixture = try StaticFixture()
        let files = try StaticFiles(folder: fixture.staticFolder, urlPrefix: "/static")
        let response = try #require(files.response(for: request("/static/" + file)))
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == contentType)
    }

    @Test("serves the bytes with Cache-Control and an ETag; a matching If-None-Match gets 304 without a body")
    func caching() throws {
        let fixture = try StaticFixture()
        let files = try StaticFiles(folder: fixture.staticFolder, urlPrefix: "/static/")
        let response = try #require(files.response(for: request("/static/logo.png")))
        #expect(response.body == StaticFixture.png)
        #expect(response.headers["Cache-Control"] == "public, max-age=3600")
        let etag = try #require(response.headers["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == 18)
        #expect(files.response(for: request("/static/app.css"))?.headers["ETag"] != etag)

        for ifNoneMatch in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let cached = try #require(
                files.response(for: request("/static/logo.png", headers: ["If-None-Match": ifNoneMatch])))
            #expect(cached.status == .notModified)
            #expect(cached.body.isEmpty)
            #expect(cached.headers["ETag"] == etag)
        }
        let changed = files.response(for: request("/static/logo.png", headers: ["If-None-Match": "\"stale\""]))
        #expect(changed?.status == .ok)
    }

    @Test(
        "never serves anything but a loaded file: traversal, dotfiles, folders and other prefixes are nil",
        arguments: [
            "/static/../Package.swift", "/static/../secret.txt", "/static//etc/passwd", "/static/.git/config",
            "/static/.hidden", "/static/icons", "/static/icons/", "/static/", "/static", "/etc/passwd",
            "/Package.swift", "/staticapp.css", "/other/app.css", "/static/./app.css", "/static/APP.CSS",
        ])
    func confinement(_ path: String) throws {
        let fixture = try StaticFixture()
        let files = try StaticFiles(folder: fixture.staticFolder, urlPrefix: "/static")
        #expect(files.response(for: request(path)) == nil)
    }

    @Test("a missing folder is a clear error naming it")
    func missingFolder() {
        let error = #expect(throws: WebServerError.self) {
            try StaticFiles(folder: "/nonexistent/hotdesk-static", urlPrefix: "/static")
        }
        #expect(error?.message.contains("/nonexistent/hotdesk-static") == true)
    }
}

import HotDesk
import Portal
import TestSupport
import Testing
import WebServer

/// Abuse that only a real socket can carry — oversized bodies and headers, ambiguous framing, bytes in the
/// request line that are not text, traversal in static paths, method tricks — sent to the portal running
/// in a real `HTTPServer` on a real database. Every answer is a 4xx or 501 page that says what was wrong,
/// the database is unchanged, and the server keeps serving.
@Suite("Abuse over a real socket: sizes, framing, request lines and static paths")
struct AbuseSocketTests {
    /// The portal of `fixture` served on an ephemeral port for the length of `body`.
    private func withPortalServer(_ fixture: AbuseFixture, _ body: (UInt16) throws -> Void) throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.threadCount = 2
        configuration.defaultHeaders = Portal.securityHeaders
        let portal = fixture.harness.portal
        let server = HTTPServer(
            configuration: configuration, responder: fixture.harness.router,
            errorPage: { error, id, path in portal.errorPage(for: error, requestID: id, path: path) },
            logger: TestPostgres.logger)
        try server.start()
        defer { server.shutdown() }
        try body(server.port)
    }

    /// The head of a signed-in POST to `path` (`Host: localhost`, its origin, the administrator's session).
    private func postHead(_ fixture: AbuseFixture, _ path: String, _ extra: [String]) -> String {
        ([
            "POST \(path) HTTP/1.1", "Host: localhost", "Connection: close", "Origin: http://localhost",
            "Cookie: hotdesk_session=\(fixture.accounts.administrator.token)",
            "Content-Type: application/x-www-form-urlencoded",
        ] + extra + ["", ""]).joined(separator: "\r\n")
    }

    /// A valid Add IP Range body for the administrator.
    private func rangeBody(_ fixture: AbuseFixture) -> [UInt8] {
        Array(
            FormData([
                ("network", "198.51.100.0/24"), ("description", "Branch LAN"),
                ("_csrf", fixture.accounts.administrator.csrfToken),
            ]).encoded.utf8)
    }

    /// Checks the answer's status and message, that nothing changed, and that the server still answers.
    /// `byLibrary` is a message libmicrohttpd answers with itself, before the portal sees the request.
    private func expectRefused(
        _ response: RawResponse, _ status: Int, saying message: String, orByLibrary libraryMessage: String? = nil,
        _ label: String, fixture: AbuseFixture, before: String, port: UInt16
    ) throws {
        #expect(response.statusCode == status, "\(label): \(response.statusCode) \(response.bodyText.prefix(500))")
        if let libraryMessage, response.bodyText.contains(libraryMessage) {
            #expect(response.headers["X-Request-ID"] == nil, "\(label)")
        } else {
            #expect(response.bodyText.contains(message), "\(label): \(response.bodyText.prefix(500))")
            #expect(response.headers["X-Request-ID"] != nil, "\(label)")
        }
        #expect(try fixture.snapshot() == before, "\(label)")
        let health = try RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/healthz"))
        #expect(health.statusCode == 200, "server unhealthy after \(label)")
    }

    @Test("the signed-in Add IP Range request used below is accepted as it is")
    func genuineRequestIsAccepted() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let body = rangeBody(fixture)
            let path = "/installs/\(fixture.accounts.install)/trusted-ips"
            let response = try RawHTTPClient.exchange(
                port: port, Array(postHead(fixture, path, ["Content-Length: \(body.count)"]).utf8) + body)
            #expect(response.statusCode == 303, "\(response.bodyText.prefix(500))")
        }
    }

    @Test("a 10 MB body, announced or chunked, is 413 and nothing changes")
    func tenMegabyteBodies() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let path = "/installs/\(fixture.accounts.install)/trusted-ips"
            let before = try fixture.snapshot()
            let announced = try RawHTTPClient(port: port)
            announced.send(postHead(fixture, path, ["Content-Length: 10485760"]) + String(repeating: "a", count: 4096))
            let early = try RawResponse(parsing: announced.readToEnd())
            announced.close()
            try expectRefused(
                early, 413, saying: "larger than 65536 bytes", "10 MB Content-Length", fixture: fixture, before: before,
                port: port)

            var chunked = Array(postHead(fixture, path, ["Transfer-Encoding: chunked"]).utf8)
            let chunk = Array(String(repeating: "network=1", count: 113_000).utf8.prefix(1 << 20))
            for _ in 0..<10 {
                chunked += Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Array("\r\n".utf8)
            }
            chunked += Array("0\r\n\r\n".utf8)
            let late = try RawHTTPClient.exchange(port: port, chunked)
            try expectRefused(
                late, 413, saying: "larger than 65536 bytes", "10 MB chunked", fixture: fixture, before: before,
                port: port)
        }
    }

    @Test("oversized headers — 20 KB, 100 KB in one field, a cookie or 1,000 fields — are 431 and nothing changes")
    func hundredKilobyteHeaders() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let path = "/installs/\(fixture.accounts.install)/trusted-ips"
            let before = try fixture.snapshot()
            let body = rangeBody(fixture)
            let fillers: [(String, [String])] = [
                ("one 100 KB field", ["X-Filler: " + String(repeating: "x", count: 102_400)]),
                ("a 100 KB cookie", ["Cookie: pad=" + String(repeating: "c", count: 102_400)]),
                (
                    "1,000 fields of 100 bytes",
                    (0..<1000).map { "X-Filler-\($0): " + String(repeating: "y", count: 100) }
                ),
                ("20 KB, within libmicrohttpd's memory", ["X-Filler: " + String(repeating: "z", count: 20_000)]),
            ]
            for (label, lines) in fillers {
                let request = Array(postHead(fixture, path, lines + ["Content-Length: \(body.count)"]).utf8) + body
                let response = try RawHTTPClient.exchange(port: port, request)
                // Past libmicrohttpd's per-connection memory (32 KiB) it answers 431 itself, with its own page.
                try expectRefused(
                    response, 431, saying: "larger than 16384 bytes", orByLibrary: "header was too big", label,
                    fixture: fixture, before: before, port: port)
            }
        }
    }

    @Test("Content-Length together with Transfer-Encoding is 400, and a request smuggled behind it is never answered")
    func contentLengthWithTransferEncoding() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let path = "/installs/\(fixture.accounts.install)/trusted-ips"
            let before = try fixture.snapshot()
            let body = rangeBody(fixture)
            let chunkedBody = Array((String(body.count, radix: 16) + "\r\n").utf8) + body + Array("\r\n0\r\n\r\n".utf8)
            let smuggled = Array(postHead(fixture, path, ["Content-Length: \(body.count)"]).utf8) + body
            let framings: [(String, [String])] = [
                ("CL then TE", ["Content-Length: \(chunkedBody.count)", "Transfer-Encoding: chunked"]),
                ("TE then CL", ["Transfer-Encoding: chunked", "Content-Length: 4"]),
                ("CL: 0 with TE", ["Content-Length: 0", "Transfer-Encoding: chunked"]),
                ("TE in odd case", ["content-length: \(chunkedBody.count)", "transfer-encoding: Chunked"]),
            ]
            for (label, lines) in framings {
                let client = try RawHTTPClient(port: port)
                client.send(Array(postHead(fixture, path, lines).utf8) + chunkedBody + smuggled)
                let raw = client.readToEnd()
                client.close()
                let response = try RawResponse(parsing: raw)
                try expectRefused(
                    response, 400, saying: "both Content-Length and Transfer-Encoding", label, fixture: fixture,
                    before: before,
                    port: port)
                #expect(
                    String(decoding: raw, as: UTF8.self).components(separatedBy: "HTTP/1.1 ").count == 2, "\(label)")
            }
        }
    }

    @Test("bytes in the request line that are not UTF-8, NUL, or bad %-escapes are 400 and nothing changes")
    func malformedRequestLines() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let install = "/installs/\(fixture.accounts.install)"
            let before = try fixture.snapshot()
            let targets: [(String, [UInt8], String)] = [
                ("overlong / in the path", Array("\(install)%C0%AF/users".utf8), "request path is malformed"),
                ("overlong NUL in the path", Array("/telephony%C0%80".utf8), "request path is malformed"),
                ("overlong dots", Array("/static/%C0%AE%C0%AE/Package.swift".utf8), "request path is malformed"),
                ("escaped NUL in the path", Array("/telephony%00".utf8), "request path is malformed"),
                ("lone %FF in the path", Array("/telephony%FF".utf8), "request path is malformed"),
                ("surrogate in the path", Array("/telephony%ED%A0%80".utf8), "request path is malformed"),
                ("%zz in the path", Array("/telephony%zz".utf8), "request path is malformed"),
                ("bare % in the path", Array("/telephony%".utf8), "request path is malformed"),
                ("%4 in the path", Array("/telephony%4".utf8), "request path is malformed"),
                ("raw C0 AF in the path", Array("/telephony".utf8) + [0xC0, 0xAF], "request path is malformed"),
                ("raw FF in the path", Array("/telephony".utf8) + [0xFF], "request path is malformed"),
                ("overlong in the query", Array("\(install)/users?q=%C0%AF".utf8), "form data is malformed"),
                ("NUL in the query", Array("\(install)/users?q=a%00".utf8), "form data is malformed"),
                ("%zz in the query", Array("/login?next=%zz".utf8), "form data is malformed"),
                ("bare % in the query", Array("/login?next=%".utf8), "form data is malformed"),
                ("raw FE in the query", Array("/login?next=".utf8) + [0xFE], "form data is malformed"),
                ("overlong in a query name", Array("/login?ne%C0%80xt=/".utf8), "form data is malformed"),
                ("not a path", Array("telephony".utf8), "request path is malformed"),
            ]
            for (label, target, message) in targets {
                let request =
                    Array("GET ".utf8) + target
                    + Array(
                        (" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                            + "Cookie: hotdesk_session=\(fixture.accounts.administrator.token)\r\n\r\n").utf8)
                let response = try RawHTTPClient.exchange(port: port, request)
                try expectRefused(response, 400, saying: message, label, fixture: fixture, before: before, port: port)
            }
        }
    }

    /// libmicrohttpd 0.9.75 reads the request line and header lines as C strings: a raw NUL ends the
    /// target or the header value early, and the rest of that line never reaches the server. These
    /// cases pin down what that means: the shortened request is answered like any other (a missing
    /// page, a sign-in redirect), a NUL in a header name is refused by libmicrohttpd itself, and nothing
    /// changes.
    @Test("raw NUL bytes in the request line or a header cut it short or are refused, and nothing changes")
    func rawControlBytes() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let before = try fixture.snapshot()
            let session = "Cookie: hotdesk_session=\(fixture.accounts.administrator.token)"
            let requests: [(String, [UInt8], Int, String)] = [
                (
                    "NUL in the path: /tele is not a page",
                    Array("GET /tele".utf8) + [0]
                        + Array("phony HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8), 404,
                    "There is no page at this address."
                ),
                (
                    "NUL in a header name: refused by libmicrohttpd",
                    Array("GET /telephony HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-".utf8) + [0]
                        + Array("A: b\r\n\r\n".utf8), 400,
                    "syntactically incorrect"
                ),
                (
                    "NUL in the session cookie: the text after it is dropped",
                    Array("GET /telephony HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\(session)".utf8) + [0]
                        + Array("; hotdesk_session=forged\r\n\r\n".utf8), 200, "Telephony Settings"
                ),
                (
                    "NUL before the session cookie: no session",
                    Array("GET /telephony HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: a=b".utf8) + [0]
                        + Array("; hotdesk_session=\(fixture.accounts.administrator.token)\r\n\r\n".utf8), 303,
                    "/login?next=/telephony"
                ),
            ]
            for (label, request, status, message) in requests {
                let response = try RawHTTPClient.exchange(port: port, request)
                #expect(
                    response.statusCode == status, "\(label): \(response.statusCode) \(response.bodyText.prefix(300))")
                let shown = response.statusCode == 303 ? response.headers["Location"] ?? "" : response.bodyText
                #expect(shown.contains(message), "\(label): \(shown.prefix(300))")
                #expect(try fixture.snapshot() == before, "\(label)")
                let health = try RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/healthz"))
                #expect(health.statusCode == 200, "server unhealthy after \(label)")
            }
        }
    }

    @Test("traversal, encoded dots, backslashes and dotfiles under /static never reach a file outside it")
    func staticTraversal() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let before = try fixture.snapshot()
            let notFound = [
                "/static/../Package.swift", "/static/../../Package.swift", "/static/%2e%2e/Package.swift",
                "/static/%2E%2E/%2E%2E/Package.swift", "/static/%2e%2e%2fPackage.swift", "/static/..%2fPackage.swift",
                "/static/%252e%252e/Package.swift", "/static/%252e%252e%252fPackage.swift",
                "/static/..%252fPackage.swift",
                "/static/.git/config", "/static/%2egit/config", "/.git/config", "/.git/HEAD",
                "/static/..\\Package.swift",
                "/static/..\\..\\Package.swift", "/static/%5c..%5cPackage.swift", "/static/..%5c..%5cPackage.swift",
                "/static\\..\\Package.swift", "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/./hotdesk.css",
                "/static/hotdesk.css/", "/static/....//Package.swift", "/static/.../Package.swift",
                "/static/~/.ssh/id_rsa",
                "/static/../Resources/templates/layout.mustache", "/static/../.hotdesk/demo-credentials.txt",
                "/../../../../etc/passwd", "/static/%c0%ae%c0%ae/Package.swift",
            ]
            for target in notFound {
                let response = try RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", target))
                let label = "GET \(target)"
                #expect([400, 404].contains(response.statusCode), "\(label): \(response.statusCode)")
                #expect(
                    ["There is no such file.", "There is no page at this address.", "request path is malformed"]
                        .contains {
                            response.bodyText.contains($0)
                        }, "\(label): \(response.bodyText.prefix(300))")
                #expect(!response.bodyText.contains("swift-tools-version"), "\(label)")
                #expect(!response.bodyText.contains("root:"), "\(label)")
                #expect(!response.bodyText.contains("[core]"), "\(label)")
            }
            #expect(try fixture.snapshot() == before)
            let css = try RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/static/hotdesk.css"))
            #expect(css.statusCode == 200)
        }
    }

    @Test("method overrides, unknown methods and other methods on form URLs are refused and nothing changes")
    func methodTricks() throws {
        let fixture = try AbuseFixture()
        try withPortalServer(fixture) { port in
            let install = "/installs/\(fixture.accounts.install)"
            let remove = "\(install)/trusted-ips/\(fixture.range)/remove"
            let before = try fixture.snapshot()
            let body = Array(FormData([("_csrf", fixture.accounts.administrator.csrfToken)]).encoded.utf8)
            for header in ["X-HTTP-Method-Override: DELETE", "X-HTTP-Method: DELETE", "X-Method-Override: DELETE"] {
                let request = Array(postHead(fixture, remove, [header, "Content-Length: \(body.count)"]).utf8) + body
                let response = try RawHTTPClient.exchange(port: port, request)
                try expectRefused(
                    response, 400, saying: "Method overrides are not accepted", header, fixture: fixture,
                    before: before, port: port)
            }
            let getOverride = try RawHTTPClient.exchange(
                port: port,
                RawHTTPClient.request(
                    "GET", remove + "?_method=POST",
                    headers: ["Cookie: hotdesk_session=\(fixture.accounts.administrator.token)"]))
            try expectRefused(
                getOverride, 400, saying: "Method overrides are not accepted", "GET ?_method=POST", fixture: fixture,
                before: before, port: port)
            let methods: [(String, Int, String)] = [
                ("DELETE", 405, "does not accept DELETE requests"), ("PUT", 405, "does not accept PUT requests"),
                ("PATCH", 405, "does not accept PATCH requests"), ("BREW", 501, "method is not supported"),
                ("TRACE", 405, "does not accept TRACE requests"), ("post", 501, "method is not supported"),
            ]
            for (method, status, message) in methods {
                let request =
                    Array(
                        RawHTTPClient.request(
                            method, remove, headers: ["Cookie: hotdesk_session=\(fixture.accounts.administrator.token)"]
                        ).utf8)
                let response = try RawHTTPClient.exchange(port: port, request)
                try expectRefused(
                    response, status, saying: message, "\(method) \(remove)", fixture: fixture, before: before,
                    port: port)
            }
        }
    }
}

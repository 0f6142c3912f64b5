import TestSupport
import Testing
import WebServer

/// Form bodies over real sockets.
@Suite("HTTPServer forms")
struct HTTPServerFormTests {
    private static func makeRouter() -> Router {
        var router = Router()
        router.post("/users") { request in
            let form = try request.form()
            try form.requireOnly(["name", "tag", "city"])
            let name = try form.value(for: "name") ?? ""
            let city = try form.value(for: "city") ?? ""
            return .text("name=\(name) city=\(city) tags=\(form.values(for: "tag").joined(separator: ","))")
        }
        return router
    }

    private static let formType = "Content-Type: application/x-www-form-urlencoded"

    private func post(_ port: UInt16, _ body: [UInt8], contentType: String = formType) throws -> RawResponse {
        try RawHTTPClient.exchange(
            port: port, RawHTTPClient.request("POST", "/users", headers: [contentType], body: body))
    }

    @Test("a urlencoded body is decoded: + and %XX, repeated keys kept in order")
    func parsesForm() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try post(server.port, Array("name=Ann+Lee&tag=a&city=S%C3%A3o+Paulo&tag=b%26c".utf8))
            #expect(response.statusCode == 200)
            #expect(response.bodyText == "name=Ann Lee city=São Paulo tags=a,b&c")
        }
    }

    @Test(
        "malformed form input is 400 with a message for the user",
        arguments: [
            ("name=%zz", "malformed"),
            ("name=%ff", "malformed"),
            ("name=a&name=b", "“name” was sent more than once"),
            ("name=a&role=admin", "“role” is not expected"),
        ])
    func malformedForm(_ body: String, _ message: String) throws {
        try withServer(Self.makeRouter()) { server in
            let response = try post(server.port, Array(body.utf8))
            #expect(response.statusCode == 400)
            #expect(response.bodyText.contains(message))
        }
    }

    @Test("raw bytes that are not UTF-8 are 400")
    func rawInvalidUTF8() throws {
        try withServer(Self.makeRouter()) { server in
            let response = try post(server.port, Array("name=".utf8) + [0xC3, 0x28])
            #expect(response.statusCode == 400)
        }
    }

    @Test("a form sent with another Content-Type is 415", arguments: ["Content-Type: text/plain", "X-None: 1"])
    func wrongContentType(_ header: String) throws {
        try withServer(Self.makeRouter()) { server in
            let response = try post(server.port, Array("name=a".utf8), contentType: header)
            #expect(response.statusCode == 415)
        }
    }
}

import Testing
import WebServer

@Suite("Router")
struct RouterTests {
    private func makeRouter() -> Router {
        var router = Router()
        router.get("/installs/:id/users") { request in .text("users of \(request.parameters["id"] ?? "?")") }
        router.get("/installs/:id") { request in .text("install \(request.parameters["id"] ?? "?")") }
        router.get("/installs/new") { _ in .text("new install form") }
        router.post("/installs/:id") { request in .text("updated \(request.parameters["id"] ?? "?")") }
        router.add(.DELETE, "/installs/:id") { _ in Response(status: .noContent) }
        router.get("/static/*path") { request in .text("file \(request.parameters["path"] ?? "?")") }
        router.get("/static/special.css") { _ in .text("special") }
        return router
    }

    private func body(_ method: HTTPMethod, _ path: String) throws -> String {
        String(decoding: try makeRouter().respond(to: Request(method: method, path: path)).body, as: UTF8.self)
    }

    private func error(_ method: HTTPMethod, _ path: String) -> HTTPError? {
        #expect(throws: HTTPError.self) { try makeRouter().respond(to: Request(method: method, path: path)) }
    }

    @Test("puts path parameters into request.parameters")
    func pathParameters() throws {
        #expect(try body(.GET, "/installs/42/users") == "users of 42")
        #expect(try body(.GET, "/installs/7") == "install 7")
        #expect(try body(.POST, "/installs/7") == "updated 7")
    }

    @Test("a combining mark after a slash does not hide the slash (found by the request-target fuzzer)")
    func combiningMarkAfterSlash() throws {
        #expect(try body(.GET, "/installs/\u{301}7/users") == "users of \u{301}7")
        #expect(try body(.GET, "/static/\u{73C}x") == "file \u{73C}x")
        #expect(error(.GET, "/\u{73C}")?.status == .notFound)
    }

    @Test("prefers a literal segment over a parameter over a wildcard, whatever the registration order")
    func specificity() throws {
        #expect(try body(.GET, "/installs/new") == "new install form")
        #expect(try body(.GET, "/static/special.css") == "special")
        #expect(try body(.GET, "/static/css/app.css") == "file css/app.css")
    }

    @Test("a wildcard captures the rest of the path, slashes and empty segments included")
    func wildcard() throws {
        #expect(try body(.GET, "/static//etc/passwd") == "file /etc/passwd")
        #expect(try body(.GET, "/static/") == "file ")
        #expect(error(.GET, "/static")?.status == .notFound)
    }

    @Test("an unknown path, an empty parameter or a trailing slash is 404")
    func notFound() {
        #expect(error(.GET, "/nothing")?.status == .notFound)
        #expect(error(.GET, "/installs/7/")?.status == .notFound)
        #expect(error(.GET, "/installs//users")?.status == .notFound)
        #expect(error(.GET, "")?.status == .notFound)
    }

    @Test("a known path with another method is 405 with an Allow header listing the methods")
    func methodNotAllowed() {
        let error = error(.PUT, "/installs/7")
        #expect(error?.status == .methodNotAllowed)
        #expect(error?.headers["Allow"] == "GET, HEAD, POST, DELETE")
        #expect(self.error(.POST, "/installs/7/users")?.headers["Allow"] == "GET, HEAD")
    }

    @Test("HEAD is served by the GET route")
    func head() throws {
        #expect(try body(.HEAD, "/installs/7") == "install 7")
    }

    @Test("errors thrown by a handler reach the caller unchanged")
    func handlerErrors() {
        var router = Router()
        router.get("/teapot") { _ in throw HTTPError(status: .forbidden, message: "No tea for you.") }
        let error = #expect(throws: HTTPError.self) { try router.respond(to: Request(method: .GET, path: "/teapot")) }
        #expect(error?.status == .forbidden)
        #expect(error?.message == "No tea for you.")
    }

    @Test(
        "a method override, as a header in any case or a _method query field, is 400 and reaches no handler",
        arguments: [
            ("X-HTTP-Method-Override", nil), ("x-http-method-override", nil), ("X-HTTP-Method", nil),
            ("X-Method-Override", nil), (nil, "_method=DELETE"), (nil, "a=1&_method=POST"),
        ] as [(String?, String?)])
    func methodOverridesAreRefused(_ header: String?, _ query: String?) throws {
        let request = Request(
            method: .POST, path: "/installs/3", query: try FormData(parsing: Array((query ?? "").utf8)),
            headers: HTTPHeaders(header.map { [($0, "DELETE")] } ?? []))
        let error = #expect(throws: HTTPError.self) { try makeRouter().respond(to: request) }
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains("Method overrides are not accepted") == true)
    }
}

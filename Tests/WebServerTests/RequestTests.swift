import Testing
import WebServer

@Suite("Request, Response and Cookie")
struct RequestTests {
    @Test("cookies are parsed from the Cookie header: malformed pieces ignored, first occurrence wins")
    func cookies() {
        let request = Request(
            method: .GET, path: "/",
            headers: [
                "Cookie": "sid=abc; theme=\"dark\"; junk; =nameless; sid=second;  lang = en ", "cookie": "extra=1",
            ])
        #expect(request.cookies == ["sid": "abc", "theme": "dark", "lang": "en", "extra": "1"])
        #expect(Request(method: .GET, path: "/", cookies: ["a": "b"]).cookies == ["a": "b"])
    }

    @Test("a request built without a socket gets a fresh 16-hex-digit id")
    func requestID() {
        let id = Request(method: .GET, path: "/").id
        #expect(id.count == 16)
        #expect(id.allSatisfy { $0.isHexDigit })
        #expect(id != Request(method: .GET, path: "/").id)
    }

    @Test(
        "form() requires application/x-www-form-urlencoded (charset UTF-8 allowed), else 415",
        arguments: [
            ("application/x-www-form-urlencoded", true),
            ("Application/X-WWW-Form-URLEncoded; charset=UTF-8", true),
            ("application/x-www-form-urlencoded;charset=\"utf-8\"", true),
            ("application/x-www-form-urlencoded; charset=iso-8859-1", false),
            ("multipart/form-data; boundary=x", false),
            ("text/plain", false),
            ("", false),
        ])
    func formContentType(_ contentType: String, _ accepted: Bool) throws {
        let request = Request(
            method: .POST, path: "/", headers: ["Content-Type": contentType], body: Array("a=1".utf8))
        if accepted {
            #expect(try request.form().value(for: "a") == "1")
        } else {
            let error = #expect(throws: HTTPError.self) { try request.form() }
            #expect(error?.status == .unsupportedMediaType)
        }
    }

    @Test("form() without a Content-Type is 415")
    func formWithoutContentType() {
        let error = #expect(throws: HTTPError.self) { try Request(method: .POST, path: "/").form() }
        #expect(error?.status == .unsupportedMediaType)
    }

    @Test("Cookie builds a Set-Cookie value with safe defaults, and responses can carry several")
    func setCookie() {
        var response = Response.redirect(to: "/login")
        response.setCookie(Cookie(name: "sid", value: "abc"))
        response.setCookie(Cookie(name: "old", value: "", maxAge: 0, httpOnly: false, secure: true, sameSite: .strict))
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/login")
        #expect(
            response.headers.values(for: "Set-Cookie") == [
                "sid=abc; Path=/; HttpOnly; SameSite=Lax",
                "old=; Path=/; Max-Age=0; Secure; SameSite=Strict",
            ])
    }

    @Test("text and html responses say their charset")
    func contentTypes() {
        #expect(Response.text("hi").headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(
            Response.html(bytes: Array("<p>hi</p>".utf8), status: .created).headers["Content-Type"]
                == "text/html; charset=utf-8")
        #expect(Response.html(bytes: [], status: .created).status.code == 201)
        #expect(HTTPStatus(code: 404, reason: "Gone Fishing") == .notFound)
    }

    @Test("cookieValues lists every value a name has, across Cookie headers, so a planted duplicate is visible")
    func duplicatedCookies() {
        let request = Request(
            method: .GET, path: "/",
            headers: HTTPHeaders([("Cookie", "sid=abc; x=1; sid=\"planted\""), ("Cookie", "sid=third")]))
        #expect(request.cookieValues(named: "sid") == ["abc", "planted", "third"])
        #expect(request.cookieValues(named: "x") == ["1"])
        #expect(request.cookieValues(named: "none").isEmpty)
        #expect(request.cookies["sid"] == "abc")
    }
}

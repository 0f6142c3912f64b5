import Foundation
import TestSupport
import WebServer

/// One person's browser on the portal, as the load generator drives it: a keep-alive connection of its own,
/// cookies, the `Host` and `Origin` a browser sends, and the session's CSRF token read from a form.
/// `@unchecked Sendable`: handed to one thread at a time, which alone uses it.
final class Browser: @unchecked Sendable {
    /// A request that got no complete answer: refused, reset, or silent past the receive timeout.
    struct NoAnswer: Error, CustomStringConvertible {
        let target: String
        let afterSeconds: Double
        var description: String { "no answer to \(target) after \(afterSeconds) s" }
    }

    /// The connection could not be opened, so the request was never sent (the portal is down).
    struct Refused: Error, CustomStringConvertible {
        let target: String
        var description: String { "connection refused for \(target)" }
    }

    let port: UInt16
    private let timeoutSeconds: Int
    private var connection: RawHTTPClient?
    private(set) var cookies: [String: String] = [:]
    private(set) var csrfToken: String?

    init(port: UInt16, timeoutSeconds: Int = 15) {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    deinit {
        connection?.close()
    }

    /// GET `target`; a keep-alive connection the server closed meanwhile is replaced once.
    func get(_ target: String) throws -> RawResponse {
        try send("GET", target, body: nil)
    }

    /// POST a form to `target`, with the session's CSRF token added when known. Never retried: a POST
    /// without an answer may or may not have been applied, and the caller must count it as such.
    func post(_ target: String, _ fields: [(String, String)]) throws -> RawResponse {
        var all = fields
        if let csrfToken { all.append(("_csrf", csrfToken)) }
        return try send("POST", target, body: Array(FormData(all).encoded.utf8))
    }

    /// Signs in through the form (anti-forgery cookie and field), then reads the session's CSRF token.
    func signIn(email: String, password: String) throws {
        let form = try get("/login")
        guard let token = cookies["hotdesk_signin"] else { throw ResilienceTestError.unexpectedPage(form.bodyText) }
        let answer = try send(
            "POST", "/login",
            body: Array(FormData([("email", email), ("password", password), ("_csrf", token)]).encoded.utf8))
        guard answer.statusCode == 303, cookies["hotdesk_session"] != nil else {
            throw ResilienceTestError.unexpectedPage("sign-in answered \(answer.statusCode): \(answer.bodyText)")
        }
        let page = try get("/telephony")
        guard let csrf = Self.hiddenField("_csrf", in: page.bodyText) else {
            throw ResilienceTestError.unexpectedPage(page.bodyText)
        }
        csrfToken = csrf
    }

    /// Closes the connection; the next request opens a new one.
    func disconnect() {
        connection?.close()
        connection = nil
    }

    /// The value of the first hidden field `name` in an HTML page.
    static func hiddenField(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    private func send(_ method: String, _ target: String, body: [UInt8]?) throws -> RawResponse {
        var head = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1:\(port)"]
        if !cookies.isEmpty {
            head.append(
                "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let body {
            head += [
                "Origin: http://127.0.0.1:\(port)", "Content-Type: application/x-www-form-urlencoded",
                "Content-Length: \(body.count)",
            ]
        }
        let bytes = Array((head + ["", ""]).joined(separator: "\r\n").utf8) + (body ?? [])
        let started = Date()
        let reused = connection != nil
        if let response = try exchange(bytes, target: target) {
            return remember(response)
        }
        if reused && body == nil, let response = try exchange(bytes, target: target) {
            return remember(response)
        }
        throw NoAnswer(target: target, afterSeconds: Date().timeIntervalSince(started))
    }

    /// Sends on the open connection (opening one if needed); nil, with the connection closed, when no
    /// complete answer came back.
    private func exchange(_ bytes: [UInt8], target: String) throws -> RawResponse? {
        if connection == nil {
            do {
                connection = try RawHTTPClient(port: port, timeoutSeconds: timeoutSeconds)
            } catch {
                throw Refused(target: target)
            }
        }
        guard let client = connection, client.send(bytes), let response = client.readResponse() else {
            disconnect()
            return nil
        }
        if response.headers["Connection"]?.lowercased() == "close" { disconnect() }
        return response
    }

    private func remember(_ response: RawResponse) -> RawResponse {
        for line in response.headers.values(for: "Set-Cookie") {
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || line.lowercased().contains("max-age=0") {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
        return response
    }
}

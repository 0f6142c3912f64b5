import Crypto
import HotDesk
import Templates
import WebServer

/// `/login` and `/logout`: password sign-in with throttling, session start and end.
struct SignInHandlers: Sendable {
    let portal: Portal

    /// The one answer to a wrong email or password, whichever it was.
    static let failureMessage = "That email address and password do not match an active account."

    /// `GET /login`: the form, with a fresh anti-forgery token in a cookie and a hidden field.
    func form(_ request: Request) throws -> Response {
        try portal.guarded {
            if try portal.currentSession(request) != nil {
                return .redirect(to: Self.safeNext(try? request.query.value(for: "next")))
            }
            return try render(request, email: "", next: try? request.query.value(for: "next"), error: nil, status: .ok)
        }
    }

    /// `POST /login`: checks origin and token, the throttle, then the password (one argon2id verification
    /// whether or not the account exists), and starts a session.
    func signIn(_ request: Request) throws -> Response {
        try portal.guarded {
            try portal.guardrail.requireSameOrigin(request)
            let form = try request.form()
            try form.requireOnly(["email", "password", "_csrf", "next"])
            guard let cookieToken = request.cookies[portal.settings.signInCookieName] else {
                throw RequestGuard.forbidden
            }
            try portal.guardrail.requireToken(form, expected: cookieToken)
            let typedEmail = try form.value(for: "email") ?? ""
            let password = try form.value(for: "password") ?? ""
            let next = try form.value(for: "next")
            let signedIn: Authentication.SignedIn
            do {
                signedIn = try portal.operations.authentication.signIn(
                    email: typedEmail, password: password,
                    presentedToken: request.cookies[portal.settings.sessionCookieName], requestID: request.id,
                    sourceAddress: request.remoteAddress)
            } catch OperationError.throttled(let wait) {
                let minutes = max(1, Int((Double(wait.components.seconds) / 60).rounded(.up)))
                return try render(
                    request, email: typedEmail, next: next,
                    error: "Too many failed sign-ins. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again.",
                    status: .tooManyRequests)
            } catch OperationError.unauthenticated {
                return try render(
                    request, email: typedEmail, next: next, error: Self.failureMessage, status: .unauthorized)
            }
            var response = Response.redirect(to: Self.safeNext(next))
            response.setCookie(sessionCookie(signedIn.token))
            response.setCookie(
                Cookie(name: portal.settings.signInCookieName, value: "", maxAge: 0, secure: portal.settings.usesHTTPS))
            return response
        }
    }

    /// `POST /logout`: ends the session on the server at once and clears the cookie.
    func signOut(_ request: Request) throws -> Response {
        try portal.signedIn(request) { context in
            try context.form.requireOnly(["_csrf"])
            try portal.operations.authentication.signOut(context.caller, session: context.session)
            var response = portal.redirect(to: "/login", flash: .signedOut)
            var expired = sessionCookie("")
            expired.maxAge = 0
            response.setCookie(expired)
            return response
        }
    }

    /// Only a path on this portal: one leading `/`, not `//` or `/\` (which browsers treat as another host),
    /// and only visible ASCII, as the portal itself writes `next` (browsers drop tabs and line breaks from
    /// URLs, and other characters would need encoding in the `Location` header).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/telephony" }
        return next
    }

    private func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: portal.settings.sessionCookieName, value: token, secure: portal.settings.usesHTTPS, sameSite: .lax)
    }

    private func render(
        _ request: Request, email: String, next: String?, error: String?, status: HTTPStatus
    ) throws
        -> Response
    {
        let token = Secrets.randomToken()
        let view = SignInView(email: email, next: next.map(Self.safeNext) ?? "", error: error, csrfToken: token)
        var response = try portal.page(
            "login", title: "Sign in", context: view, for: request, session: nil, status: status)
        response.setCookie(
            Cookie(
                name: portal.settings.signInCookieName, value: token, secure: portal.settings.usesHTTPS,
                sameSite: .strict))
        response.headers.replaceOrAdd("Cache-Control", "no-store")
        return response
    }
}

/// The sign-in form's view model; the password is never echoed back.
struct SignInView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let email: String
    let next: String
    let error: String?
    let csrfToken: String
}

import Crypto
import Foundation
import HotDesk
import Portal
import PostgresClient
import TestSupport
import Testing
import WebServer

@Suite("Sign-in and sessions")
struct SignInTests {
    private func harnessWithAdmin(
        _ settings: PortalSettings = PortalSettings(), operations: OperationSettings = OperationSettings()
    ) throws -> (PortalHarness, Int) {
        let harness = try PortalHarness(settings: settings, operations: operations)
        let organization = try harness.makeOrganization()
        let account = try harness.makeAccount(organizationID: organization, email: "ada@example.com")
        return (harness, account)
    }

    private func sessionCount(_ harness: PortalHarness, token: String? = nil) throws -> Int {
        if let token {
            return try harness.pool.query(
                "SELECT count(*)::int AS n FROM hotdesk.sessions WHERE token_hash = \(Secrets.sha256Hex(token))")[0]
                .decode("n")
        }
        return try harness.pool.query("SELECT count(*)::int AS n FROM hotdesk.sessions")[0].decode("n")
    }

    private func isLive(_ harness: PortalHarness, _ session: TestSession) throws -> Bool {
        try harness.isSignedIn(session)
    }

    @Test("a right password starts a session with an HttpOnly, SameSite=Lax cookie and redirects")
    func signInSetsSessionCookie() throws {
        let (harness, _) = try harnessWithAdmin()
        let response = try harness.signInAttempt(email: "ADA@example.com", password: "a perfectly fine passphrase")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/telephony")
        let line = try #require(PortalHarness.setCookieLine("hotdesk_session", in: response))
        #expect(line.contains("HttpOnly"))
        #expect(line.contains("SameSite=Lax"))
        #expect(line.contains("Path=/"))
        #expect(!line.contains("Secure"))
        let token = try #require(PortalHarness.cookie("hotdesk_session", in: response))
        #expect(token.count == 43)
        #expect(try sessionCount(harness, token: token) == 1)
        // Only the hash is stored.
        let raw = try harness.pool.query("SELECT count(*)::int AS n FROM hotdesk.sessions WHERE token_hash = \(token)")
        #expect(try raw[0].decode("n", as: Int.self) == 0)
    }

    @Test("behind an https public URL the cookie is Secure and __Host- prefixed")
    func httpsCookieFlags() throws {
        var settings = PortalSettings()
        settings.publicURL = "https://portal.test"
        let (harness, _) = try harnessWithAdmin(settings)
        let form = harness.send(try harness.request(.GET, "/login"))
        let formToken = try #require(PortalHarness.cookie("__Host-hotdesk_signin", in: form))
        let response = harness.send(
            try harness.request(
                .POST, "/login",
                fields: [
                    ("email", "ada@example.com"), ("password", "a perfectly fine passphrase"), ("_csrf", formToken),
                ],
                origin: "https://portal.test", cookies: ["__Host-hotdesk_signin": formToken]))
        #expect(response.status == .seeOther)
        let line = try #require(PortalHarness.setCookieLine("__Host-hotdesk_session", in: response))
        #expect(line.contains("Secure"))
        #expect(line.contains("Path=/"))
        #expect(!line.contains("Domain="))
    }

    @Test("every sign-in gets a new token, and a session cookie sent along is ended")
    func tokenRotatesOnSignIn() throws {
        let (harness, _) = try harnessWithAdmin()
        let first = try harness.signIn(email: "ada@example.com")
        let form = harness.send(try harness.request(.GET, "/login"))
        let formToken = try #require(PortalHarness.cookie("hotdesk_signin", in: form))
        let response = harness.send(
            try harness.request(
                .POST, "/login",
                fields: [
                    ("email", "ada@example.com"), ("password", "a perfectly fine passphrase"), ("_csrf", formToken),
                ],
                cookies: ["hotdesk_signin": formToken, "hotdesk_session": first.token]))
        let second = try #require(PortalHarness.cookie("hotdesk_session", in: response))
        #expect(second != first.token)
        #expect(try !isLive(harness, first))
        #expect(try sessionCount(harness, token: second) == 1)
    }

    @Test("a wrong password and an unknown email get the same answer")
    func wrongEmailAndWrongPasswordLookAlike() throws {
        let (harness, _) = try harnessWithAdmin()
        let wrongPassword = try harness.signInAttempt(email: "ada@example.com", password: "not the right one")
        let unknownEmail = try harness.signInAttempt(email: "nobody@example.com", password: "not the right one")
        #expect(wrongPassword.status == .unauthorized)
        #expect(unknownEmail.status == wrongPassword.status)
        let message = "That email address and password do not match an active account."
        #expect(PortalHarness.text(wrongPassword).contains(message))
        #expect(PortalHarness.text(unknownEmail).contains(message))
        #expect(PortalHarness.cookie("hotdesk_session", in: wrongPassword) == nil)
        #expect(PortalHarness.text(wrongPassword).contains("value=\"ada@example.com\""))
        #expect(!PortalHarness.text(wrongPassword).contains("not the right one"))
        #expect(try sessionCount(harness) == 0)
    }

    @Test("signing out ends the session on the server at once")
    func signOutEndsSession() throws {
        let (harness, _) = try harnessWithAdmin()
        let session = try harness.signIn(email: "ada@example.com")
        #expect(try isLive(harness, session))
        let response = try harness.post("/logout", session: session)
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/login")
        #expect(PortalHarness.setCookieLine("hotdesk_session", in: response)?.contains("Max-Age=0") == true)
        #expect(try !isLive(harness, session))
        // Replaying the old cookie does not sign out a second time: it is simply not a session.
        #expect(try harness.post("/logout", session: session).status == .forbidden)
    }

    @Test("sessions end after the idle timeout and after the absolute timeout")
    func sessionsExpire() throws {
        let (harness, _) = try harnessWithAdmin()
        let idle = try harness.signIn(email: "ada@example.com")
        let absolute = try harness.signIn(email: "ada@example.com")
        #expect(try isLive(harness, idle) && isLive(harness, absolute))
        try harness.pool.query(
            """
            UPDATE hotdesk.sessions SET last_seen_at = now() - interval '31 minutes'
            WHERE token_hash = \(Secrets.sha256Hex(idle.token))
            """)
        try harness.pool.query(
            """
            UPDATE hotdesk.sessions SET created_at = now() - interval '12 hours 1 minute'
            WHERE token_hash = \(Secrets.sha256Hex(absolute.token))
            """)
        #expect(try !isLive(harness, idle))
        #expect(try !isLive(harness, absolute))
    }

    @Test("a shorter configured idle timeout is honoured")
    func configurableIdleTimeout() throws {
        var operations = OperationSettings()
        operations.sessionIdleTimeout = .seconds(60)
        let (harness, _) = try harnessWithAdmin(operations: operations)
        let session = try harness.signIn(email: "ada@example.com")
        try harness.pool.query(
            """
            UPDATE hotdesk.sessions SET last_seen_at = now() - interval '61 seconds'
            WHERE token_hash = \(Secrets.sha256Hex(session.token))
            """)
        #expect(try !isLive(harness, session))
    }

    @Test("a disabled account is signed out at once and cannot sign in")
    func disabledAccountIsSignedOut() throws {
        let (harness, account) = try harnessWithAdmin()
        let session = try harness.signIn(email: "ada@example.com")
        try harness.pool.query("UPDATE hotdesk.accounts SET disabled = true WHERE id = \(account)")
        #expect(try !isLive(harness, session))
        let attempt = try harness.signInAttempt(email: "ada@example.com", password: "a perfectly fine passphrase")
        #expect(attempt.status == .unauthorized)
    }

    @Test("the sixth wrong password locks the account even for the right password, until the delay passes")
    func throttleLocksAfterFiveFailures() throws {
        var operations = OperationSettings()
        operations.throttle.baseDelay = .seconds(2)
        let (harness, _) = try harnessWithAdmin(operations: operations)
        for _ in 0..<5 {
            #expect(
                try harness.signInAttempt(email: "ada@example.com", password: "wrong password!").status == .unauthorized
            )
        }
        let locked = try harness.signInAttempt(email: "ada@example.com", password: "a perfectly fine passphrase")
        #expect(locked.status == .tooManyRequests)
        #expect(PortalHarness.text(locked).contains("Too many failed sign-ins"))
        #expect(PortalHarness.cookie("hotdesk_session", in: locked) == nil)
        Thread.sleep(forTimeInterval: 2.2)
        let session = try harness.signIn(email: "ada@example.com")
        #expect(try isLive(harness, session))
        // A success clears the account's counter.
        let failures = try harness.pool.query(
            "SELECT count(*)::int AS n FROM hotdesk.sign_in_failures WHERE email = \("ada@example.com")")
        #expect(try failures[0].decode("n", as: Int.self) == 0)
    }

    @Test("two portal instances on one database share the failure counters")
    func throttleIsSharedAcrossInstances() throws {
        let (first, _) = try harnessWithAdmin()
        let second = try PortalHarness(sharingDatabaseOf: first)
        for attempt in 0..<5 {
            let instance = attempt.isMultiple(of: 2) ? first : second
            _ = try instance.signInAttempt(email: "ada@example.com", password: "wrong password!")
        }
        #expect(
            try second.signInAttempt(email: "ada@example.com", password: "a perfectly fine passphrase").status
                == .tooManyRequests)
        #expect(
            try first.signInAttempt(email: "ada@example.com", password: "a perfectly fine passphrase").status
                == .tooManyRequests)
    }

    @Test("twenty failures from one address lock that address for every account")
    func throttleLocksSourceAddress() throws {
        let (harness, _) = try harnessWithAdmin()
        for index in 0..<20 {
            _ = try harness.signInAttempt(
                email: "guess\(index)@example.com", password: "wrong password!", remoteAddress: "192.0.2.9")
        }
        let fromThere = try harness.signInAttempt(
            email: "ada@example.com", password: "a perfectly fine passphrase", remoteAddress: "192.0.2.9")
        #expect(fromThere.status == .tooManyRequests)
        let fromElsewhere = try harness.signInAttempt(
            email: "ada@example.com", password: "a perfectly fine passphrase", remoteAddress: "192.0.2.10")
        #expect(fromElsewhere.status == .seeOther)
    }

    @Test(
        "the sign-in form refuses a missing or wrong token and a foreign origin, and records nothing",
        arguments: ["missing cookie", "wrong token", "foreign origin", "null origin", "cross-site fetch"])
    func signInFormIsProtected(_ attack: String) throws {
        let (harness, _) = try harnessWithAdmin()
        let form = harness.send(try harness.request(.GET, "/login"))
        let token = try #require(PortalHarness.cookie("hotdesk_signin", in: form))
        var cookies = ["hotdesk_signin": token]
        var fieldToken = token
        var origin: String? = PortalHarness.origin
        var headers: [(String, String)] = []
        switch attack {
        case "missing cookie": cookies = [:]
        case "wrong token": fieldToken = String(token.reversed())
        case "foreign origin": origin = "http://evil.example"
        case "null origin": origin = "null"
        default: headers = [("Sec-Fetch-Site", "cross-site")]
        }
        let response = harness.send(
            try harness.request(
                .POST, "/login",
                fields: [
                    ("email", "ada@example.com"), ("password", "a perfectly fine passphrase"), ("_csrf", fieldToken),
                ],
                headers: headers, origin: origin, cookies: cookies))
        #expect(response.status == .forbidden)
        #expect(try sessionCount(harness) == 0)
    }

    @Test(
        "after sign-in, next= only redirects to a path on this portal",
        arguments: [
            ("/installs/3/users", "/installs/3/users"), ("//evil.example", "/telephony"),
            ("https://evil.example/", "/telephony"), ("/\\evil.example", "/telephony"),
            ("javascript:alert(1)", "/telephony"),
        ])
    func nextRedirectStaysOnPortal(_ next: String, _ expected: String) throws {
        let (harness, _) = try harnessWithAdmin()
        let form = harness.send(try harness.request(.GET, "/login"))
        let token = try #require(PortalHarness.cookie("hotdesk_signin", in: form))
        let response = harness.send(
            try harness.request(
                .POST, "/login",
                fields: [
                    ("email", "ada@example.com"), ("password", "a perfectly fine passphrase"), ("_csrf", token),
                    ("next", next),
                ],
                cookies: ["hotdesk_signin": token]))
        #expect(response.headers["Location"] == expected)
    }

    @Test("sign-in success, failure and sign-out each write one audit event")
    func signInIsAudited() throws {
        let (harness, account) = try harnessWithAdmin()
        _ = try harness.signInAttempt(email: "ada@example.com", password: "wrong password!")
        let session = try harness.signIn(email: "ada@example.com")
        _ = try harness.post("/logout", session: session)
        let rows = try harness.pool.query(
            "SELECT action, result, account_id, target_id, source_address::text AS source FROM hotdesk.audit_events WHERE action IN ('sign_in', 'sign_out') ORDER BY id"
        )
        #expect(rows.count == 3)
        #expect(
            try rows.map { "\(try $0.decode("action", as: String.self)):\(try $0.decode("result", as: String.self))" }
                == ["sign_in:failure", "sign_in:success", "sign_out:success"])
        #expect(try rows[0].decode("account_id", as: Int?.self) == nil)
        #expect(try rows[0].decode("target_id", as: Int?.self) == account)
        #expect(try rows[1].decode("account_id", as: Int?.self) == account)
        #expect(try rows[2].decode("source", as: String.self) == "127.0.0.1/32")
    }

    @Test("authenticated responses are never cached")
    func authenticatedPagesAreNotCached() throws {
        let (harness, _) = try harnessWithAdmin()
        let session = try harness.signIn(email: "ada@example.com")
        let response = try harness.post("/logout", session: session)
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(try harness.get("/login").headers["Cache-Control"] == "no-store")
    }
}

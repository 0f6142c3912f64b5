import Crypto
import HotDesk
import Testing
import WebServer

@Suite("CSRF: account, password and sign-out forms refuse forged requests")
struct CSRFTests {
    /// A way a forged or stale request differs from the portal's own form.
    private struct Forgery: Sendable, CustomStringConvertible {
        let description: String
        /// The `_csrf` value to send; nil sends none.
        let token: @Sendable (AccountFixture) -> String?
        let origin: String?
        var headers: [(String, String)] = []
    }

    private static let forgeries: [Forgery] = [
        Forgery(description: "no token", token: { _ in nil }, origin: PortalHarness.origin),
        Forgery(description: "a wrong token", token: { _ in Secrets.randomToken() }, origin: PortalHarness.origin),
        Forgery(description: "another session's token", token: { $0.manager.csrfToken }, origin: PortalHarness.origin),
        Forgery(description: "a foreign Origin", token: { $0.administrator.csrfToken }, origin: "http://evil.example"),
        Forgery(description: "Origin: null", token: { $0.administrator.csrfToken }, origin: "null"),
        Forgery(
            description: "a look-alike host", token: { $0.administrator.csrfToken },
            origin: "http://portal.test.evil.example"),
        Forgery(description: "neither Origin nor Referer", token: { $0.administrator.csrfToken }, origin: nil),
        Forgery(
            description: "Sec-Fetch-Site: cross-site", token: { $0.administrator.csrfToken },
            origin: PortalHarness.origin, headers: [("Sec-Fetch-Site", "cross-site")]),
    ]

    /// Every state-changing form of the account screens, and sign-out, each valid but for the forgery.
    private func forms(_ fixture: AccountFixture) throws -> [(String, [(String, String)])] {
        let target = fixture.managerID
        return [
            (
                "/accounts",
                PortalHarness.newAccountFields(email: "forged@a.example", name: "Forged", role: .administrator)
            ),
            (
                "/accounts/\(target)",
                [
                    ("version", String(try fixture.harness.accountVersion(target))), ("role", "administrator"),
                    ("disabled", "on"), ("confirm", "yes"),
                ]
            ),
            ("/accounts/\(target)/password", []),
            (
                "/account/password",
                [
                    ("current_password", "a perfectly fine passphrase"), ("new_password", "forged but long enough"),
                    ("new_password_confirmation", "forged but long enough"),
                ]
            ),
            ("/logout", []),
        ]
    }

    @Test(
        "missing, wrong or another session's token, foreign, null or look-alike Origin, no Origin, cross-site fetch → 403, nothing changed"
    )
    func forgedRequestsAreRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for (path, fields) in try forms(fixture) {
            for forgery in Self.forgeries {
                let before = try harness.accountsSnapshot()
                var all = fields
                if let token = forgery.token(fixture) { all.append(("_csrf", token)) }
                let response = harness.send(
                    try harness.request(
                        .POST, path, session: fixture.administrator, fields: all, headers: forgery.headers,
                        origin: forgery.origin))
                #expect(response.status == .forbidden, "\(path) with \(forgery)")
                #expect(try harness.accountsSnapshot() == before, "\(path) with \(forgery)")
            }
        }
        #expect(try harness.isSignedIn(fixture.administrator))
    }

    @Test("the same forms pass with the session's token and a same-origin Referer instead of an Origin")
    func genuineRequestsPass() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for (path, fields) in try forms(fixture) {
            let response = harness.send(
                try harness.request(
                    .POST, path, session: fixture.administrator,
                    fields: fields + [("_csrf", fixture.administrator.csrfToken)],
                    headers: [("Referer", PortalHarness.origin + "/accounts")], origin: nil))
            #expect(response.status != .forbidden, "\(path)")
        }
    }
}

import HotDesk
import Testing
import WebServer

@Suite("Accounts: passwords reset by administrators and changed by their owners")
struct AccountPasswordTests {
    private func change(
        _ harness: PortalHarness, as session: TestSession, current: String = "a perfectly fine passphrase",
        new: String = "a brand new passphrase", again: String? = nil
    ) throws -> Response {
        try harness.post(
            "/account/password", session: session,
            fields: [("current_password", current), ("new_password", new), ("new_password_confirmation", again ?? new)])
    }

    @Test("an administrator's reset shows a new password once and ends every session of the account")
    func resetShowsPasswordAndSignsOut() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try harness.post("/accounts/\(fixture.managerID)/password", session: fixture.administrator)
        #expect(response.status == .ok)
        #expect(response.headers["Cache-Control"] == "no-store")
        let password = try #require(AccountCreationTests.shownPassword(in: response))
        #expect(PortalHarness.text(response).contains("Password reset"))
        #expect(try !harness.isSignedIn(fixture.manager))
        #expect(
            try harness.signInAttempt(email: "manager@a.example", password: "a perfectly fine passphrase").status
                == .unauthorized)
        _ = try harness.signIn(email: "manager@a.example", password: password)
        let page = try harness.get("/accounts/\(fixture.managerID)", session: fixture.administrator)
        #expect(!PortalHarness.text(page).contains(password))
    }

    @Test("an administrator cannot reset their own password from the account page and is pointed to My password")
    func ownResetIsRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.accountsSnapshot()
        let response = try harness.post("/accounts/\(fixture.administratorID)/password", session: fixture.administrator)
        #expect(response.status == .unprocessableContent)
        #expect(PortalHarness.text(response).contains("To change your own password, use My password"))
        #expect(try harness.accountsSnapshot() == before)
        #expect(
            try harness.post(
                "/accounts/\(fixture.administratorID)/password", session: fixture.administrator,
                fields: [("extra", "1")]
            ).status == .badRequest)
    }

    @Test("changing one's own password keeps this session and ends the account's other sessions")
    func ownChangeKeepsThisSession() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let elsewhere = try harness.signIn(email: "manager@a.example", remoteAddress: "192.0.2.9")
        let response = try change(harness, as: fixture.manager)
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/account/password")
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "password-changed")
        #expect(try harness.isSignedIn(fixture.manager))
        #expect(try !harness.isSignedIn(elsewhere))
        #expect(try harness.isSignedIn(fixture.administrator))
        _ = try harness.signIn(email: "manager@a.example", password: "a brand new passphrase")
    }

    @Test(
        "a wrong current password is a 422 that changes nothing, is audited as a failure and counts toward the throttle"
    )
    func wrongCurrentPasswordIsRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try change(harness, as: fixture.manager, current: "not my password at all")
        #expect(response.status == .unprocessableContent)
        #expect(
            PortalHarness.text(response).contains("id=\"current_password-error\">That is not your current password."))
        #expect(!PortalHarness.text(response).contains("a brand new passphrase"))
        _ = try harness.signIn(email: "manager@a.example", password: "a perfectly fine passphrase")
        let failures = try harness.auditEvents(action: "account.password_changed")
        #expect(failures.count == 1)
        #expect(try failures.first?.decode("result", as: String.self) == "failure")
        // The sign-in above cleared the counter; five wrong guesses lock the form and sign-in alike.
        for _ in 0..<5 { _ = try change(harness, as: fixture.manager, current: "still not my password") }
        let locked = try change(harness, as: fixture.manager)
        #expect(locked.status == .tooManyRequests)
        #expect(PortalHarness.text(locked).contains("Too many wrong passwords"))
        #expect(
            try harness.signInAttempt(email: "manager@a.example", password: "a perfectly fine passphrase").status
                == .tooManyRequests)
    }

    @Test("a new password that is short, common or typed differently twice is a 422 beside its field")
    func badNewPasswordsAreRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.accountsSnapshot()
        let cases: [(String, String, String)] = [
            ("tiny pass", "tiny pass", "id=\"new_password-error\">Use at least 12 characters"),
            ("password1234", "password1234", "id=\"new_password-error\">This password is on a list"),
            (
                "one long passphrase", "two long passphrases",
                "id=\"new_password_confirmation-error\">The two passwords differ"
            ),
        ]
        for (new, again, message) in cases {
            let response = try change(harness, as: fixture.manager, new: new, again: again)
            #expect(response.status == .unprocessableContent, "\(message)")
            #expect(PortalHarness.text(response).contains(message))
        }
        let empty = try change(harness, as: fixture.manager, current: "")
        #expect(PortalHarness.text(empty).contains("Enter your current password."))
        #expect(try harness.accountsSnapshot() == before)
    }
}

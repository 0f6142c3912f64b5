import Foundation
import HotDesk
import Testing
import WebServer

@Suite("Accounts: creating them")
struct AccountCreationTests {
    /// The password shown on a "password shown once" page.
    static func shownPassword(in response: Response) -> String? {
        let html = PortalHarness.text(response)
        guard let start = html.range(of: "<p class=\"secret\"><code>"),
            let end = html.range(of: "</code>", range: start.upperBound..<html.endIndex)
        else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test("a generated initial password is shown once, signs in, and is never shown again")
    func generatedPasswordIsShownOnce() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try harness.post(
            "/accounts", session: fixture.administrator,
            fields: PortalHarness.newAccountFields(
                email: "New.Person@A.example", name: "New Person", installs: [fixture.install, fixture.secondInstall])
                + [("password", ""), ("password_confirmation", "")])
        #expect(response.status == .ok)
        #expect(response.headers["Cache-Control"] == "no-store")
        let password = try #require(Self.shownPassword(in: response))
        #expect(password.count == 23)
        #expect(PasswordPolicy(commonPasswords: []).check(password) == nil)

        let id = try harness.accountID(email: "new.person@a.example")
        let session = try harness.signIn(email: "new.person@a.example", password: password)
        #expect(session.accountID == id)
        for page in ["/accounts/\(id)", "/accounts", "/audit"] {
            #expect(
                !PortalHarness.text(try harness.get(page, session: fixture.administrator)).contains(password), "\(page)"
            )
        }
        #expect(try harness.assignedInstallCount(id) == 2)
    }

    @Test("a typed initial password that follows the policy creates the account and leads to its page")
    func typedPasswordCreatesAccount() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try harness.post(
            "/accounts", session: fixture.administrator,
            fields: [
                ("email", "typed@a.example"), ("display_name", "Typed Person"), ("role", "administrator"),
                ("installs", String(fixture.install)), ("password_choice", "typed"),
                ("password", "correct horse battery"), ("password_confirmation", "correct horse battery"),
            ])
        let id = try harness.accountID(email: "typed@a.example")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/accounts/\(id)")
        _ = try harness.signIn(email: "typed@a.example", password: "correct horse battery")
        // Administrators see every install, so no assignments are stored for them.
        #expect(try harness.assignedInstallCount(id) == 0)
    }

    @Test(
        "a form with mistakes is a 422 with each message beside its field and at the top, keeping what was typed but not the password"
    )
    func mistakesAreShownBesideTheFields() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.accountsSnapshot()
        let response = try harness.post(
            "/accounts", session: fixture.administrator,
            fields: [
                ("email", "not-an-address"), ("display_name", "   "), ("password_choice", "typed"),
                ("password", "Short-Pass1"), ("password_confirmation", "Short-Pass1"),
            ])
        let html = PortalHarness.text(response)
        #expect(response.status == .unprocessableContent)
        #expect(html.contains("class=\"error-summary\""))
        #expect(html.contains("<a href=\"#email\">Add the @"))
        #expect(html.contains("id=\"email-error\""))
        #expect(html.contains("id=\"display_name-error\""))
        #expect(html.contains("id=\"role-error\">Choose Administrator or Manager."))
        #expect(html.contains("id=\"password-error\">Use at least 12 characters"))
        #expect(html.contains("value=\"not-an-address\""))
        #expect(html.contains("value=\"typed\" checked"))
        #expect(!html.contains("Short-Pass1"))
        #expect(try harness.accountsSnapshot() == before)
    }

    @Test("a common password and two different passwords are refused beside their fields")
    func commonAndMismatchedPasswordsAreRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let base = [("email", "p@a.example"), ("display_name", "P"), ("role", "manager"), ("password_choice", "typed")]
        let common = try harness.post(
            "/accounts", session: fixture.administrator,
            fields: base + [("password", "password1234"), ("password_confirmation", "password1234")])
        #expect(common.status == .unprocessableContent)
        #expect(PortalHarness.text(common).contains("list of common passwords"))
        let mismatched = try harness.post(
            "/accounts", session: fixture.administrator,
            fields: base + [("password", "one long passphrase"), ("password_confirmation", "another long passphrase")])
        #expect(mismatched.status == .unprocessableContent)
        #expect(PortalHarness.text(mismatched).contains("id=\"password_confirmation-error\">The two passwords differ"))
        let created = try harness.pool.query(
            "SELECT count(*)::int AS n FROM hotdesk.accounts WHERE email = 'p@a.example'")
        #expect(try created[0].decode("n", as: Int.self) == 0)
    }

    @Test("an address already in use, in any case, is refused beside the email field")
    func takenAddressIsRefused() throws {
        let fixture = try AccountFixture()
        let response = try fixture.harness.post(
            "/accounts", session: fixture.administrator,
            fields: PortalHarness.newAccountFields(email: "Manager@A.example", name: "Copy"))
        #expect(response.status == .unprocessableContent)
        #expect(PortalHarness.text(response).contains("id=\"email-error\">Another account already signs in"))
    }

    @Test("unknown, repeated or malformed fields are a 400 and create nothing")
    func tamperedFormsAreRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let valid = PortalHarness.newAccountFields(email: "t@a.example", name: "T")
        let before = try harness.accountsSnapshot()
        for extra in [
            [("organization_id", String(fixture.otherOrganization))], [("role", "administrator")],
            [("installs", "1e3")], [("installs", "-1")], [("email", "u@a.example")],
        ] {
            let response = try harness.post("/accounts", session: fixture.administrator, fields: valid + extra)
            #expect(response.status == .badRequest, "\(extra)")
        }
        let noChoice = try harness.post(
            "/accounts", session: fixture.administrator, fields: valid.filter { $0.0 != "password_choice" })
        #expect(noChoice.status == .badRequest)
        #expect(try harness.accountsSnapshot() == before)
    }

    @Test("the list shows each account's email, name, role, status and, for managers, their installs")
    func listShowsAccounts() throws {
        let fixture = try AccountFixture()
        let html = PortalHarness.text(try fixture.harness.get("/accounts", session: fixture.administrator))
        #expect(html.contains(">manager@a.example</a></td>"))
        #expect(html.contains("<td>Max Manager</td>\n      <td>Manager</td>\n      <td>Head office</td>"))
        #expect(html.contains("<td>Ada Admin</td>\n      <td>Administrator</td>\n      <td>all</td>"))
        #expect(!html.contains("admin@b.example"))
    }

    @Test("a long list is cut into pages of 50 with links between them; a page past the end is a 404")
    func longListsArePaginated() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for number in 0..<49 {
            _ = try harness.makeAccount(
                organizationID: fixture.organization, email: String(format: "z%02d@a.example", number), role: .manager)
        }
        let first = PortalHarness.text(try harness.get("/accounts", session: fixture.administrator))
        #expect(first.contains("52 portal accounts in this organization, page 1 of 2"))
        #expect(first.contains("href=\"/accounts?page=2\" rel=\"next\""))
        #expect(!first.contains("z47@a.example"))
        let second = PortalHarness.text(try harness.get("/accounts?page=2", session: fixture.administrator))
        #expect(second.contains("z47@a.example") && second.contains("z48@a.example"))
        #expect(second.contains("href=\"/accounts?page=1\" rel=\"prev\""))
        #expect(try harness.get("/accounts?page=3", session: fixture.administrator).status == .notFound)
        #expect(try harness.get("/accounts?page=0", session: fixture.administrator).status == .notFound)
        #expect(try harness.get("/accounts?page=two", session: fixture.administrator).status == .badRequest)
        #expect(try harness.get("/accounts?sort=email", session: fixture.administrator).status == .badRequest)
    }
}

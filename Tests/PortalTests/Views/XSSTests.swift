import HotDesk
import Testing
import WebServer

@Suite("XSS: names and addresses with markup render as text on the account and audit screens")
struct XSSTests {
    private static let script = "<script>alert(1)</script>"
    private static let image = "\"><img src=x onerror=alert(1)>"

    @Test(
        "markup in display names and email addresses is escaped on the accounts list, the account page and the audit page"
    )
    func markupIsEscapedEverywhere() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let accounts: [(email: String, name: String)] = [
            ("\(Self.script)@a.example", "Eve \(Self.script)"),
            ("\"><img/src=x/onerror=alert(1)>@a.example", "Mallory \(Self.image)"),
        ]
        for account in accounts {
            let created = try harness.post(
                "/accounts", session: fixture.administrator,
                fields: PortalHarness.newAccountFields(email: account.email, name: account.name))
            #expect(created.status == .ok, "\(account.email)")
            #expect(!PortalHarness.text(created).contains(account.name))
        }
        let first = try harness.accountID(email: accounts[0].email)
        let second = try harness.accountID(email: accounts[1].email)
        let pages = [
            "/accounts", "/accounts/\(first)", "/accounts/\(second)", "/audit", "/audit?account=\(first)",
        ]
        for page in pages {
            let html = PortalHarness.text(try harness.get(page, session: fixture.administrator))
            #expect(!html.contains("<script>alert"), "\(page)")
            #expect(!html.contains("<img"), "\(page)")
            #expect(!html.contains("onerror=alert(1)>"), "\(page)")
        }
        let list = PortalHarness.text(try harness.get("/accounts", session: fixture.administrator))
        #expect(list.contains("Eve &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(list.contains("Mallory &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(list.contains("&lt;script&gt;alert(1)&lt;/script&gt;@a.example"))
        #expect(list.contains("&quot;&gt;&lt;img/src=x/onerror=alert(1)&gt;@a.example"))
        let edit = PortalHarness.text(try harness.get("/accounts/\(second)", session: fixture.administrator))
        #expect(edit.contains("<h1>Mallory &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>"))
        let audit = PortalHarness.text(try harness.get("/audit?action=account.created", session: fixture.administrator))
        #expect(audit.contains("account &lt;script&gt;alert(1)&lt;/script&gt;@a.example #\(first)"))
        #expect(audit.contains("<code>display_name</code>: — → Eve &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(
            audit.contains(
                "<option value=\"\(second)\">&quot;&gt;&lt;img/src=x/onerror=alert(1)&gt;@a.example</option>"))
    }

    @Test("the page title and the signed-in header escape the account's own name")
    func headerAndTitleAreEscaped() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let id = try harness.makeAccount(
            organizationID: fixture.organization, email: "x@a.example", name: "X \(Self.script)")
        let session = try harness.signIn(email: "x@a.example")
        for page in ["/account/password", "/accounts/\(id)"] {
            let html = PortalHarness.text(try harness.get(page, session: session))
            #expect(!html.contains("<script>"), "\(page)")
            #expect(html.contains("X &lt;script&gt;alert(1)&lt;/script&gt;"), "\(page)")
        }
    }
}

import Foundation
import HotDesk
import Portal
import TestSupport
import Testing
import WebServer

@Suite("In a real headless Chromium: sign in, create an install, add a user with access and PIN, trusted ranges")
struct TelephonyBrowserTests {
    /// Where the screenshots go: `screenshots/` at the repository root (git-ignored).
    private static let folder = TestPostgres.repositoryRoot + "/screenshots"

    @Test("an administrator does everything the article describes, by keyboard-usable forms, without JavaScript")
    func articleFlow() throws {
        let harness = try PortalHarness()
        let organization = try harness.makeOrganization("Browser Org")
        _ = try harness.makeAccount(organizationID: organization, email: "ada@example.com", name: "Ada Admin")
        let server = try harness.startServer()
        defer { server.shutdown() }
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        let site = "http://127.0.0.1:\(server.port)"
        let browser = try WebDriverClient()
        func shot(_ name: String) throws { try browser.screenshot(to: "\(Self.folder)/telephony-\(name).png") }

        try browser.open(site + "/login")
        try browser.type("ada@example.com", into: "#email")
        try browser.type("a perfectly fine passphrase", into: "#password")
        try shot("01-sign-in")
        try browser.click("main form button[type=submit]")
        #expect(try browser.pageContains("Phone System Installs", within: 30))
        #expect(try browser.currentURL() == site + "/telephony")
        try shot("02-telephony-settings")

        try browser.type("Head office", into: "#name")
        try browser.type("pbx.example.com", into: "#sip_domain")
        try browser.click("form[action='/installs'] button")
        #expect(try browser.pageContains("This install has no users yet."))
        let install: Int = try harness.pool.query("SELECT id FROM hotdesk.installs")[0].decode("id")
        #expect(try browser.currentURL() == site + "/installs/\(install)/users")
        try shot("03-users-empty")

        try browser.click("a.button-link")
        try browser.type("0042", into: "#extension")
        try browser.type("Ann Smith", into: "#display_name")
        try shot("04-add-user")
        try browser.click("main form button[type=submit]")
        #expect(try browser.pageContains("User Settings: 0042 Ann Smith"))
        try shot("05-user-settings")
        try browser.click("#hot_desk_access")
        try browser.type("7391", into: "#pin")
        try browser.click("main form.form button[type=submit]")
        #expect(try browser.pageContains("Saved."))
        #expect(try browser.currentURL() == site + "/installs/\(install)/users")
        #expect(try browser.source().contains("<span class=\"yes\">Yes</span>"))
        #expect(
            try harness.pool.query("SELECT hot_desk_pin FROM hotdesk.users")[0].decode("hot_desk_pin", as: String.self)
                == "7391")
        try shot("06-users-access-granted")

        try browser.click("nav.tabs a[href$='/trusted-ips']")
        #expect(try browser.pageContains("No location can use hot desking until a range is added"))
        try shot("07-trusted-ips-empty")
        try browser.type("10.1/16", into: "#network")
        try browser.type("Head office LAN", into: "#description")
        try browser.click("form.add-range button[type=submit]")
        #expect(try browser.pageContains("This is not an IPv4 CIDR range"))
        try shot("08-trusted-ips-bad-range")
        try browser.type("203.0.113.0/24", into: "#network")
        try browser.click("form.add-range button[type=submit]")
        #expect(try browser.pageContains("<td><code>203.0.113.0/24</code></td>"))
        try shot("09-trusted-ips-added")
        try browser.click("td.actions a")
        #expect(try browser.pageContains("Remove 203.0.113.0/24?"))
        try shot("10-remove-range")
        try browser.click("main form button.danger")
        #expect(try browser.pageContains("IP range removed."))
        #expect(try harness.pool.query("SELECT id FROM hotdesk.trusted_networks").count == 0)
        try shot("11-trusted-ips-removed")

        try browser.resize(width: 375, height: 812)
        try browser.open(site + "/installs/\(install)/users")
        #expect(try browser.pageContains("Ann Smith"))
        try shot("12-users-375px")

        try browser.resize(width: 1280, height: 1400)
        try browser.open(site + "/installs/\(install)/handsets")
        #expect(try browser.pageContains("linekey.3.type = 34"))
        try shot("13-handsets")
        try browser.type("601", into: "#registration_expiry")
        try browser.click("form[action$='/handsets'] button[type=submit]")
        #expect(try browser.pageContains("Use at most 600 seconds"))
        try shot("14-handsets-bad-expiry")
        try browser.click("#provisioning_enabled")
        try browser.click("form[action$='/handsets/provisioning'] button[type=submit]")
        #expect(try browser.pageContains("/y000000000000.boot"))
        try shot("15-handsets-provisioning")
    }

    @Test("an administrator imports users from a CSV file: upload, preview, apply, and the generated PINs once")
    func importFlow() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        _ = try harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann Smith")
        let server = try harness.startServer()
        defer { server.shutdown() }
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        let site = "http://127.0.0.1:\(server.port)"
        let browser = try WebDriverClient()
        func shot(_ name: String) throws { try browser.screenshot(to: "\(Self.folder)/import-\(name).png") }
        let file = NSTemporaryDirectory() + "import-\(UUID().uuidString).csv"
        try "extension,name,hot_desk_access,pin\r\n0042,Ann Jones,yes,generate\r\n0043,\"Berg, Bo\",yes,4829\r\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }

        try browser.open(site + "/login")
        try browser.type("admin@a.example", into: "#email")
        try browser.type("a perfectly fine passphrase", into: "#password")
        try browser.click("main form button[type=submit]")
        // The sign-in lands on Telephony Settings: wait for it (argon2id takes seconds on a busy machine), or the
        // next page load could cancel the sign-in.
        try #require(try browser.pageContains("Phone System Installs", within: 30), "signed in")
        try browser.open(site + "/installs/\(fixture.install)/users")
        try browser.click("a[href$='/users/import']")
        #expect(try browser.pageContains("Import users"))
        try browser.type(file, into: "#file")
        try shot("01-form")
        try browser.click("form[enctype='multipart/form-data'] button[type=submit]")
        #expect(try browser.pageContains("1 to add, 1 to update, 0 unchanged, 0 to remove, 0 with errors."))
        #expect(try browser.pageContains("Update: name, Hot Desk Access, PIN"))
        #expect(try harness.pool.query("SELECT id FROM hotdesk.users").count == 1, "a preview writes nothing")
        try shot("02-preview")
        try browser.click("form[action$='/import/apply'] button[type=submit]")
        #expect(try browser.pageContains("1 added, 1 updated, 0 unchanged, 0 removed."))
        #expect(try browser.pageContains("they are not kept anywhere and are never shown again"))
        let pin: String = try harness.pool.query("SELECT hot_desk_pin FROM hotdesk.users WHERE extension = '0042'")[0]
            .decode("hot_desk_pin")
        let page = try browser.source()
        #expect(page.contains("<code>\(pin)</code>"))
        #expect(page.contains("download=\"pins-head-office.csv\""))
        try shot("03-applied-pins")
        try browser.click("a[download]")
        let list = String(decoding: try browser.downloaded("pins-head-office.csv"), as: UTF8.self)
        #expect(list == "extension,name,pin\r\n0042,Ann Jones,\(pin)\r\n")
        try browser.open(site + "/installs/\(fixture.install)/users")
        #expect(try browser.pageContains("Berg, Bo"))
        #expect(try !browser.source().contains(pin), "the PIN is never shown again")
        try shot("04-users-after-import")
    }

    @Test(
        "an administrator watches an operator log in through Kamailio, sees the page update itself, and logs them out")
    func liveHotDeskingFlow() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let install = fixture.install
        let domain: String = try harness.pool.query("SELECT sip_domain FROM hotdesk.installs WHERE id = \(install)")[
            0
        ].decode("sip_domain")
        _ = try harness.makeUser(installID: install, extension: "1001", name: "Ann Operator", access: true, pin: "4829")
        try harness.pool.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(install), '127.0.0.0/24', 'Desk phones')
            """)
        let kamailio = try KamailioProcess(database: harness.database)
        let server = try harness.startServer()
        defer { server.shutdown() }
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        let site = "http://127.0.0.1:\(server.port)"
        let browser = try WebDriverClient()
        func shot(_ name: String) throws { try browser.screenshot(to: "\(Self.folder)/live-\(name).png") }

        try browser.open(site + "/login")
        try browser.type("admin@a.example", into: "#email")
        try browser.type("a perfectly fine passphrase", into: "#password")
        try browser.click("main form button[type=submit]")
        // The sign-in lands on Telephony Settings: wait for it (argon2id takes seconds on a busy machine), or the
        // next page load could cancel the sign-in.
        try #require(try browser.pageContains("Phone System Installs", within: 30), "signed in")
        try browser.open(site + "/installs/\(install)/users")
        try browser.click("a[href$='/status']")
        #expect(try browser.pageContains("Nobody is logged in on a handset of this install right now."))
        // The operator logs in on a handset while the page is open: it shows them without a reload.
        var handset = SippLogin(extensionNumber: "1001", domain: domain, pin: "4829", expires: 300)
        handset.callID = "browser-desk-1"
        let login = try handset.run(against: kamailio, expecting: .accepted)
        #expect(login.matched, "\(login.messages)\n\(kamailio.log())")
        let deadline = Date(timeIntervalSinceNow: 12)
        while try !browser.pageContains("Ann Operator"), Date() < deadline { Thread.sleep(forTimeInterval: 0.25) }
        #expect(try browser.pageContains("Yealink T46U · 108.86.0.20"), "the live refresh showed the login")
        #expect(try browser.pageContains("1 logged in, of 1 user with Hot Desk Access."))
        try shot("01-status")
        try browser.click("a[href$='/logout']")
        #expect(try browser.pageContains("Log out 1001 Ann Operator?"))
        try shot("02-logout-confirm")
        try browser.click("main form button[type=submit]")
        #expect(try browser.pageContains("The operator was logged out"))
        #expect(try browser.pageContains("Nobody is logged in on a handset of this install right now."))
        try shot("03-logged-out")
        try browser.click("a[href='/installs/\(install)/history']")
        #expect(try browser.pageContains("Logged out by admin@a.example"))
        try shot("04-history")
        try browser.open(site + "/installs/\(install)/settings")
        try browser.type("12", into: "#max_login_hours")
        try browser.type("Europe/London", into: "#time_zone")
        try browser.click("#second_login_refuse")
        try browser.click("form[action$='/login-policy'] button[type=submit]")
        #expect(try browser.pageContains("Saved."))
        try shot("05-login-policy")
        let saved = try harness.pool.query(
            "SELECT max_login_hours, second_login FROM hotdesk.login_policies WHERE install_id = \(install)")[0]
        #expect(try saved.decode("max_login_hours", as: Int.self) == 12)
        #expect(try saved.decode("second_login", as: String.self) == "refuse")
    }
}

import Foundation
import HotDesk
import TestSupport
import Testing

@Suite("Accessibility in a real headless Chromium: axe-core's WCAG 2.x A and AA rules on every page")
struct AccessibilityBrowserTests {
    @Test("no page breaks a WCAG 2.x A or AA rule, signed out, as an administrator or a manager, at 1280 and 375 px")
    func everyPage() throws {
        let site = try AccessibilitySite()
        let server = try site.harness.startServer()
        defer { server.shutdown() }
        let origin = "http://127.0.0.1:\(server.port)"
        let browser = try WebDriverClient()
        var visitor: CheckedPage.Visitor?
        let started = ContinuousClock.now
        let pages = Self.pages(site)
        for page in pages {
            if page.visitor != visitor {
                try signIn(browser, origin: origin, as: page.visitor, of: site)
                visitor = page.visitor
            }
            try browser.setViewport(.desktop)
            try browser.open(origin + page.path)
            for step in page.steps {
                switch step {
                case .type(let text, let selector): try browser.type(text, into: selector)
                case .click(let selector): try browser.click(selector)
                }
            }
            guard try browser.pageContains(page.shows) else {
                Issue.record("\(page): \(try browser.currentURL()) does not show “\(page.shows)”")
                continue
            }
            for viewport in [Viewport.desktop, .phone] {
                try browser.setViewport(viewport)
                let violations = try browser.accessibilityViolations()
                if !violations.isEmpty {
                    let list = violations.map { "  - \($0)" }.joined(separator: "\n")
                    Issue.record("\(page) at \(viewport): \(violations.count) axe-core violations\n\(list)")
                }
            }
        }
        print("Checked \(pages.count) pages at 1280 and 375 px with axe-core in \(ContinuousClock.now - started)")
    }

    /// Every page of the portal, in the order the test visits them: grouped by visitor (the browser signs in
    /// once a group), pages that only show before those that change something (a generated PIN, an import, a
    /// new account). A new page is one line here: who, a name, its address, what to do there first (fill in
    /// and submit a form, tick a box), and a text only that page shows.
    static func pages(_ site: AccessibilitySite) -> [CheckedPage] {
        let install = "/installs/\(site.install)"
        let empty = "/installs/\(site.emptyInstall)"
        let user = "\(install)/users/\(site.user)"
        let submit = CheckedPage.Step.click("main form button[type=submit]")
        let importCSV = "extension,name,hot_desk_access,pin\n2001,Cy Import,yes,generate\n2002,Di Import,no,\n"
        return [
            .signedOut("start page", "/", shows: "to manage hot desking"),
            .signedOut("sign-in", "/login", shows: "Sign in"),
            .signedOut(
                "sign-in refused", "/login", shows: "login-error", .type("admin@a.example", into: "#email"),
                .type("not the password", into: "#password"), submit),
            .signedOut("not found, signed out", "/no-such-page", shows: "There is no page at this address."),

            .administrator("start page, signed in", "/", shows: "Go to Telephony Settings"),
            .administrator("installs, with a pager", "/telephony", shows: "rel=\"next\""),
            .administrator(
                "installs, new install refused", "/telephony", shows: "The form could not be saved",
                .click("form[action='/installs'] button")),
            .administrator("installs, no match", "/telephony?q=zzz", shows: "No installs have a name"),
            .administrator("users, with a pager", "\(install)/users", shows: "Next 50"),
            .administrator(
                "users, second page", "\(install)/users", shows: "Previous 50", .click("nav.pager a[rel=next]")),
            .administrator(
                "users, bulk change refused", "\(install)/users", shows: "Tick at least one user",
                .click("button[name=access][value=grant]")),
            .administrator("users, no match", "\(install)/users?q=zzz", shows: "No users match"),
            .administrator("users, none yet", "\(empty)/users", shows: "This install has no users yet."),
            .administrator("new user", "\(install)/users/new", shows: "new-user-heading"),
            .administrator("new user refused", "\(install)/users/new", shows: "The form could not be saved", submit),
            .administrator("user settings", user, shows: "User Settings: 1001"),
            .administrator(
                "user settings refused", user, shows: "The form could not be saved", .type("12", into: "#pin"),
                .click("main form.form button[type=submit]")),
            .administrator("reset PIN", "\(user)/pin", shows: "Reset the PIN of 1001"),
            .administrator(
                "reset PIN refused", "\(user)/pin", shows: "The form could not be saved",
                .click("main form.form:not(.generate) button[type=submit]")),
            .administrator(
                "PIN generated", "\(user)/pin", shows: "New PIN for 1001", .click("form.generate button[type=submit]")),
            .administrator("delete user", "\(user)/delete", shows: "Delete 1001"),
            .administrator("import", "\(install)/users/import", shows: "import-heading"),
            .administrator(
                "import refused", "\(install)/users/import", shows: "Choose a CSV file",
                .click("form[action$='/users/import'] button[type=submit]")),
            .administrator(
                "import preview", "\(install)/users/import", shows: "2 to add", .type(importCSV, into: "#text"),
                .click("form[action$='/users/import'] button[type=submit]")),
            .administrator(
                "import preview with errors", "\(install)/users/import", shows: "Nothing can be imported",
                .type("extension,name\n12ab,Bad Line\n", into: "#text"),
                .click("form[action$='/users/import'] button[type=submit]")),
            .administrator(
                "import preview, removals to confirm", "\(install)/users/import", shows: "confirm_removals",
                .click("input[name=mode][value=sync]"), .type(importCSV, into: "#text"),
                .click("form[action$='/users/import'] button[type=submit]")),
            .administrator(
                "import applied, PINs shown", "\(install)/users/import", shows: "Users imported",
                .type(importCSV, into: "#text"), .click("form[action$='/users/import'] button[type=submit]"),
                .click("form[action$='/import/apply'] button[type=submit]")),
            .administrator("trusted IPs", "\(install)/trusted-ips", shows: "which already trusts it"),
            .administrator(
                "trusted IPs, bad range", "\(install)/trusted-ips", shows: "This is not an IPv4 CIDR range",
                .type("10.1/16", into: "#network"), .click("form.add-range button[type=submit]")),
            .administrator(
                "trusted IPs, wide range to confirm", "\(install)/trusted-ips", shows: "is the whole internet",
                .type("0.0.0.0/0", into: "#network"), .type("Anywhere", into: "#description"),
                .click("form.add-range button[type=submit]")),
            .administrator("trusted IPs, none yet", "\(empty)/trusted-ips", shows: "No location can use hot desking"),
            .administrator(
                "remove range", "\(install)/trusted-ips/\(site.range)/remove", shows: "Remove 203.0.113.0/24?"),
            .administrator("handsets, provisioning off", "\(empty)/handsets", shows: "Auto-provisioning is off"),
            .administrator("handsets, provisioning on", "\(install)/handsets", shows: "/y000000000000.boot"),
            .administrator(
                "handsets refused", "\(install)/handsets", shows: "Use at most 600 seconds",
                .type("601", into: "#registration_expiry"), .click("form[action$='/handsets'] button[type=submit]")),
            .administrator("rotate token", "\(install)/handsets/rotate", shows: "Rotate the provisioning token?"),
            .administrator("install settings", "\(install)/settings", shows: "settings-heading"),
            .administrator(
                "install settings, login policy refused", "\(install)/settings", shows: "Enter a whole number of hours",
                .type("0", into: "#max_login_hours"), .click("form[action$='/login-policy'] button[type=submit]")),
            .administrator("hot desk status, with a pager", "\(install)/status", shows: "60 logged in"),
            .administrator(
                "hot desk status, second page", "\(install)/status", shows: "Previous 50",
                .click("nav.pager a[rel=next]")),
            .administrator("hot desk status, nobody", "\(empty)/status", shows: "Nobody is logged in"),
            .administrator(
                "log out, to confirm", "\(install)/status/\(site.registration)/logout", shows: "Log out 1001 Ann Smith?"
            ),
            .administrator("login history, with a pager", "\(install)/history", shows: "Next 50"),
            .administrator(
                "login history of 1001", "\(install)/history?extension=1001", shows: "Login history of 1001"),
            .administrator(
                "login history, bad extension", "\(install)/history?extension=12ab", shows: "extension-error"),
            .administrator(
                "install settings, domain change to confirm", "\(install)/settings",
                shows: "Handsets must use the new server", .type("pbx.new.example.com", into: "#sip_domain"), submit),
            .administrator("accounts, with a pager", "/accounts", shows: "page 1 of 2"),
            .administrator("accounts, second page", "/accounts?page=2", shows: "page 2 of 2"),
            .administrator("new account", "/accounts/new", shows: "Initial password"),
            .administrator("new account refused", "/accounts/new", shows: "The form could not be saved", submit),
            .administrator(
                "new account, password shown", "/accounts/new", shows: "The password of",
                .type("new.person@a.example", into: "#email"), .type("New Person", into: "#display_name"),
                .click("input[name=role][value=manager]"), submit),
            .administrator("an account", "/accounts/\(site.manager)", shows: "Max Manager"),
            .administrator("own account", "/accounts/\(site.administrator)", shows: "This is your own account"),
            .administrator(
                "disable account, to confirm", "/accounts/\(site.secondAdministrator)", shows: "Disable this account?",
                .click("#disabled"), .click("form[action='/accounts/\(site.secondAdministrator)'] button")),
            .administrator(
                "password reset, shown", "/accounts/\(site.secondAdministrator)", shows: "The password of",
                .click("form[action$='/password'] button")),
            .administrator("my password", "/account/password", shows: "Change password"),
            .administrator("my password refused", "/account/password", shows: "The form could not be saved", submit),
            .administrator("API keys", "/accounts/api-keys", shows: "HR provisioning"),
            .administrator("new API key", "/accounts/api-keys/new", shows: "New API key"),
            .administrator(
                "new API key refused", "/accounts/api-keys/new", shows: "The form could not be saved", submit),
            .administrator(
                "API key created", "/accounts/api-keys/new", shows: "API key created",
                .type("Directory sync", into: "#name"), .click("input[name=role][value=administrator]"), submit),
            .administrator("revoke API key", "/accounts/api-keys/\(site.apiKey)/revoke", shows: "Revoke the key"),
            .administrator("audit, with a pager", "/audit", shows: "Older events"),
            .administrator("audit, older events", "/audit", shows: "Newest events", .click("nav.pager a[rel=next]")),
            .administrator("audit, no match", "/audit?install=\(site.emptyInstall)", shows: "No events match"),
            .administrator("not found", "/installs/999999/users", shows: "There is no such page."),

            .manager("installs", "/telephony", shows: "Phone System Installs"),
            .manager("users", "\(install)/users", shows: "Reset the PIN of 1001"),
            .manager("hot desk status", "\(install)/status", shows: "60 logged in"),
            .manager("login history", "\(install)/history", shows: "Logged in"),
            .manager("reset PIN", "\(user)/pin", shows: "Reset the PIN of 1001"),
            .manager(
                "PIN generated", "\(user)/pin", shows: "New PIN for 1001", .click("form.generate button[type=submit]")),
            .manager("not allowed", "/audit", shows: "role cannot use this page."),
            .manager("my password", "/account/password", shows: "Change password"),
        ]
    }

    /// Signs the browser out, then in as `visitor` through the sign-in form.
    private func signIn(
        _ browser: WebDriverClient, origin: String, as visitor: CheckedPage.Visitor, of site: AccessibilitySite
    ) throws {
        try browser.open(origin + "/login")
        try browser.deleteCookies()
        let email: String
        switch visitor {
        case .signedOut: return
        case .administrator: email = site.administratorEmail
        case .manager: email = site.managerEmail
        }
        try browser.open(origin + "/login")
        try browser.type(email, into: "#email")
        try browser.type(AccessibilitySite.password, into: "#password")
        try browser.click("main form button[type=submit]")
        guard try browser.pageContains("Phone System Installs", within: 30) else {
            throw WebDriverClient.Failure(description: "\(email) could not sign in: \(try browser.currentURL())")
        }
    }
}

/// One page the accessibility test checks: who looks at it, where, what to do there first (a refused form,
/// a confirmation), and a text that proves the browser got that page and not another.
struct CheckedPage: CustomStringConvertible {
    /// Who is signed in.
    enum Visitor { case signedOut, administrator, manager }

    /// Something to do on the page before checking it.
    enum Step {
        case type(String, into: String)
        case click(String)
    }

    let visitor: Visitor
    let name: String
    let path: String
    let shows: String
    let steps: [Step]

    static func signedOut(_ name: String, _ path: String, shows: String, _ steps: Step...) -> CheckedPage {
        CheckedPage(visitor: .signedOut, name: name, path: path, shows: shows, steps: steps)
    }

    static func administrator(_ name: String, _ path: String, shows: String, _ steps: Step...) -> CheckedPage {
        CheckedPage(visitor: .administrator, name: name, path: path, shows: shows, steps: steps)
    }

    static func manager(_ name: String, _ path: String, shows: String, _ steps: Step...) -> CheckedPage {
        CheckedPage(visitor: .manager, name: name, path: path, shows: shows, steps: steps)
    }

    var description: String { "\(visitor) · \(name) (\(path))" }
}

/// An organization with enough in it that every table, pager, note and button of the portal shows: more
/// installs, users, accounts and audit events than a page holds, trusted ranges one inside another, an API
/// key, provisioning on for one install and off for another that has nothing yet.
struct AccessibilitySite {
    static let password = "a perfectly fine passphrase"

    let harness: PortalHarness
    let administratorEmail = "admin@a.example"
    let managerEmail = "manager@a.example"
    let install: Int
    let emptyInstall: Int
    let user: Int
    let range: Int
    let apiKey: Int
    /// 1001's registration, one of the install's 60 operators logged in.
    let registration: Int
    let administrator: Int
    let secondAdministrator: Int
    let manager: Int

    init() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        self.harness = harness
        install = fixture.install
        emptyInstall = fixture.secondInstall
        administrator = fixture.administratorID
        secondAdministrator = fixture.secondAdministratorID
        manager = fixture.managerID
        let admin = fixture.administrator
        for number in 1...50 {
            _ = try harness.makeInstall(organizationID: fixture.organization, name: "Branch \(number)")
        }
        user = try harness.makeUser(installID: install, extension: "1001", name: "Ann Smith", access: true, pin: "4829")
        for number in 1002...1060 {
            _ = try harness.makeUser(
                installID: install, extension: String(number), name: "User \(number)", access: number % 2 == 0,
                pin: number % 3 == 0 ? "4829" : nil)
        }
        for number in 1...48 {
            _ = try harness.makeAccount(
                organizationID: fixture.organization, email: "person\(number)@a.example", role: .manager,
                installs: [install], name: "Person \(number)")
        }
        let ranges = "/installs/\(install)/trusted-ips"
        for (network, description) in [("10.0.0.0/8", "Head office"), ("10.1.0.0/16", "Second floor")] {
            _ = try harness.post(ranges, session: admin, fields: [("network", network), ("description", description)])
        }
        _ = try harness.post(ranges, session: admin, fields: [("network", "203.0.113.0/24"), ("description", "Lab")])
        range = try harness.pool.query(
            "SELECT id FROM hotdesk.trusted_networks WHERE network = '203.0.113.0/24'")[0].decode("id")
        _ = try harness.post(
            "/installs/\(install)/handsets/provisioning", session: admin,
            fields: [("version", "\(try harness.handsetVersion(install))"), ("provisioning_enabled", "yes")])
        _ = try harness.post(
            "/accounts/api-keys", session: admin, fields: [("name", "HR provisioning"), ("role", "administrator")])
        apiKey = try harness.pool.query("SELECT id FROM hotdesk.api_keys")[0].decode("id")
        let events: Int = try harness.pool.query(
            "SELECT count(*)::int AS n FROM hotdesk.audit_events WHERE organization_id = \(fixture.organization)")[0]
            .decode("n")
        // 60 operators logged in as the registrar records them, and refused attempts, for the live pages.
        let domain: String = try harness.pool.query("SELECT sip_domain FROM hotdesk.installs WHERE id = \(install)")[0]
            .decode("sip_domain")
        try TestPostgres.superuserScript(
            """
            INSERT INTO registrar_state.location (ruid, username, domain, contact, received, expires, callid, user_agent)
            SELECT 'a11y-' || e, e::text, '\(domain)', 'sip:' || e || '@10.1.0.' || (e - 1000) || ':5060',
                   'sip:10.1.0.' || (e - 1000) || ':5060', extract(epoch FROM now())::bigint + 3600, 'a11y-call-' || e,
                   'Yealink SIP-T46U 108.86.0.20 80:5e:c0:11:22:33'
            FROM generate_series(1001, 1060) e;
            SELECT registrar_state.record_logins();
            SELECT registrar_state.refuse('\(domain)', '1001', '10.9.9.9', 'untrusted_source');
            SELECT registrar_state.refuse('\(domain)', '1009', '10.1.0.9', 'credentials');
            """, database: harness.database.name)
        registration = try TestPostgres.superuserQuery(
            "SELECT id FROM registrar_state.location WHERE callid = 'a11y-call-1001'", database: harness.database.name)[
                0
            ].decode("id")
        try #require(events > AuditQuery.pageSize, "the audit log needs a second page")
        try #require(try harness.provisioningToken(install) != nil, "provisioning is on for the install")
    }
}

import HotDesk
import Portal
import PostgresClient
import TestSupport
import Testing
import WebServer

@Suite("Telephony Settings: the installs list, New install and install settings")
struct TelephonyInstallTests {
    @Test("the list shows each install's SIP server and its user, access and range counts; managers see only theirs")
    func listShowsInstallsWithCounts() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        _ = try harness.makeUser(installID: fixture.install, extension: "0001", access: true)
        _ = try harness.makeUser(installID: fixture.install, extension: "0002", access: true)
        _ = try harness.makeUser(installID: fixture.install, extension: "0003")
        _ = try harness.makeUser(installID: fixture.secondInstall, extension: "0001")
        try harness.pool.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(fixture.install), '192.0.2.0/24', 'Office')
            """)
        let html = PortalHarness.text(try harness.get("/telephony", session: fixture.administrator))
        #expect(html.contains("<th scope=\"row\"><a href=\"/installs/\(fixture.install)/users\">Head office</a></th>"))
        #expect(html.contains(#"<td class="number">3</td>"#))
        #expect(html.contains(#"<td class="number">2</td>"#))
        #expect(html.contains("/installs/\(fixture.install)/trusted-ips\">1</a>"))
        #expect(html.contains("Warehouse"))
        #expect(!html.contains("Elsewhere"))
        #expect(html.contains("New install"))

        let managerHTML = PortalHarness.text(try harness.get("/telephony", session: fixture.manager))
        #expect(managerHTML.contains("Head office"))
        #expect(!managerHTML.contains("Warehouse"))
        #expect(!managerHTML.contains("Trusted ranges"))
        #expect(!managerHTML.contains("New install"))
    }

    @Test("New install creates the install with a lowercased domain, opens it, and audits install.created")
    func createInstall() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try harness.post(
            "/installs", session: fixture.administrator,
            fields: [("name", "  Branch  "), ("sip_domain", "PBX.Branch.Example.")])
        #expect(response.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "created")
        let row = try harness.pool.query(
            "SELECT id, name, sip_domain, organization_id FROM hotdesk.installs WHERE name = 'Branch'")[0]
        let id: Int = try row.decode("id")
        #expect(response.headers["Location"] == "/installs/\(id)/users")
        #expect(try row.decode("sip_domain", as: String.self) == "pbx.branch.example")
        #expect(try row.decode("organization_id", as: Int.self) == fixture.organization)
        let events = try harness.auditEvents(action: "install.created")
        #expect(events.count == 1)
        #expect(try events[0].decode("install_id", as: Int?.self) == id)
        #expect(try events[0].decode("target_label", as: String?.self) == "Branch")
        #expect(try events[0].decode("account_email", as: String?.self) == "admin@a.example")
        #expect(try events[0].decode("changes", as: String.self).contains("pbx.branch.example"))
    }

    @Test("New install refuses a bad name and domain with their messages, keeps what was typed, and answers 422")
    func createInstallRefusesBadInput() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.telephonySnapshot()
        let cases: [(name: String, domain: String, message: String)] = [
            ("", "pbx.example.net", "Enter the install name, for example Head office."),
            ("Branch", "sip:pbx.example.net", "without sip:, a port or a path"),
            ("Branch", "10.0.0.1", "not its IP address"),
            ("Branch", "pbx", "with at least one dot"),
            ("Branch", "pbx_one.example.net", "Remove"),
            ("Branch", "", "Enter the host name of the SIP server"),
        ]
        for entry in cases {
            let response = try harness.post(
                "/installs", session: fixture.administrator,
                fields: [("name", entry.name), ("sip_domain", entry.domain)])
            let html = PortalHarness.text(response)
            #expect(response.status == .unprocessableContent, "\(entry)")
            #expect(html.contains(entry.message), "\(entry)")
            #expect(html.contains("The form could not be saved"), "\(entry)")
            #expect(html.contains("value=\"\(entry.domain)\""), "\(entry)")
            #expect(html.contains("aria-invalid=\"true\""), "\(entry)")
        }
        #expect(try harness.telephonySnapshot() == before)
    }

    @Test("a SIP domain that another install uses, in any organization, is refused with a message")
    func duplicateDomainIsRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let taken: String = try harness.pool.query(
            "SELECT sip_domain FROM hotdesk.installs WHERE id = \(fixture.otherInstall)")[0].decode("sip_domain")
        let response = try harness.post(
            "/installs", session: fixture.administrator, fields: [("name", "Copy"), ("sip_domain", taken.uppercased())])
        #expect(response.status == .unprocessableContent)
        #expect(
            PortalHarness.text(response).contains(
                "Another install already uses this SIP domain; each install needs its own."))
        #expect(try harness.auditEvents(action: "install.created").count == 0)
    }

    @Test("a new SIP domain is saved only after confirming that handsets must use the new server")
    func domainChangeNeedsConfirmation() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let settings = "/installs/\(fixture.install)/settings"
        let form = PortalHarness.text(try harness.get(settings, session: fixture.administrator))
        #expect(form.contains("name=\"version\" value=\"1\""))
        #expect(form.contains("every handset must be set to the new server"))
        let unconfirmed = try harness.post(
            settings, session: fixture.administrator,
            fields: [("version", "1"), ("name", "HQ"), ("sip_domain", "new-pbx.example.com")])
        #expect(unconfirmed.status == .unprocessableContent)
        let html = PortalHarness.text(unconfirmed)
        #expect(html.contains("Handsets must use the new server."))
        #expect(html.contains("name=\"confirm_domain_change\""))
        #expect(
            try harness.pool.query("SELECT name FROM hotdesk.installs WHERE id = \(fixture.install)")[0]
                .decode("name", as: String.self) == "Head office")

        let confirmed = try harness.post(
            settings, session: fixture.administrator,
            fields: [
                ("version", "1"), ("name", "HQ"), ("sip_domain", "new-pbx.example.com"),
                ("confirm_domain_change", "yes"),
            ])
        #expect(confirmed.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: confirmed) == "domain-changed")
        let row = try harness.pool.query(
            "SELECT name, sip_domain, version FROM hotdesk.installs WHERE id = \(fixture.install)")[0]
        #expect(try row.decode("sip_domain", as: String.self) == "new-pbx.example.com")
        #expect(try row.decode("version", as: Int.self) == 2)
        let changes = try harness.auditEvents(action: "install.changed")[0].decode("changes", as: String.self)
        #expect(changes.contains(#""name": {"after": "HQ", "before": "Head office"}"#))
        #expect(changes.contains(#""after": "new-pbx.example.com""#))

        let renamed = try harness.post(
            settings, session: fixture.administrator,
            fields: [("version", "2"), ("name", "Head office"), ("sip_domain", "new-pbx.example.com")])
        #expect(PortalHarness.cookie("hotdesk_flash", in: renamed) == "saved")
    }

    @Test("two concurrent edits of one install: the second is shown the saved values and overwrites nothing")
    func staleInstallEditIsRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let settings = "/installs/\(fixture.install)/settings"
        let domain: String = try harness.pool.query(
            "SELECT sip_domain FROM hotdesk.installs WHERE id = \(fixture.install)")[0].decode("sip_domain")
        let first = try harness.post(
            settings, session: fixture.administrator,
            fields: [("version", "1"), ("name", "First"), ("sip_domain", domain)])
        #expect(first.status == .seeOther)
        let second = try harness.post(
            settings, session: fixture.administrator,
            fields: [("version", "1"), ("name", "Second"), ("sip_domain", domain)])
        #expect(second.status == .conflict)
        let html = PortalHarness.text(second)
        #expect(html.contains("Someone else saved this install"))
        #expect(html.contains("value=\"First\""))
        #expect(html.contains("name=\"version\" value=\"2\""))
        #expect(
            try harness.pool.query("SELECT name FROM hotdesk.installs WHERE id = \(fixture.install)")[0]
                .decode("name", as: String.self) == "First")
    }

    @Test("unknown install ids answer a 404 page; an unreachable database answers 503 with no SQL or libpq text")
    func unknownIDsAndUnreachableDatabase() throws {
        let fixture = try AccountFixture()
        for path in [
            "/installs/999999/users", "/installs/abc/users", "/installs/\(fixture.install)/users/999999",
            "/installs/\(fixture.install)/trusted-ips/999999/remove", "/installs/99999999999999999999/settings",
        ] {
            let response = try fixture.harness.get(path, session: fixture.administrator)
            #expect(response.status == .notFound, "\(path)")
            #expect(PortalHarness.text(response).contains("<h1>Not found</h1>"), "\(path)")
        }
        let unreachable = try PostgresPool(
            configuration: .init(connectionString: TestPostgres.url(database: "no_such_database", role: "hotdesk_app")),
            logger: TestPostgres.logger)
        let portal = try PortalHarness.portal(pool: unreachable, changes: nil)
        let request = Request(
            method: .GET, path: "/installs/1/users", cookies: ["hotdesk_session": fixture.administrator.token])
        #expect {
            try portal.makeRouter().respond(to: request)
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.status == .serviceUnavailable && !error.message.contains("no_such_database")
        }
    }
}

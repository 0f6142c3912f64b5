import HotDesk
import TestSupport
import Testing
import WebServer

@Suite("Reset PIN: managers (and administrators) type a new PIN twice or generate one shown once")
struct UserPINResetTests {
    private func resetPath(_ fixture: AccountFixture, _ user: Int) -> String {
        "/installs/\(fixture.install)/users/\(user)/pin"
    }

    @Test("a manager's Users tab shows extension, name and PIN set with Reset PIN, and no access or edit controls")
    func managerUsersTab() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(
            installID: fixture.install, extension: "0042", name: "Ann", access: true, pin: "7391")
        let html = PortalHarness.text(try harness.get("/installs/\(fixture.install)/users", session: fixture.manager))
        #expect(html.contains("<td class=\"extension\">0042</td>"))
        #expect(html.contains("href=\"\(resetPath(fixture, user))\""))
        #expect(!html.contains("Hot Desk Access"))
        #expect(!html.contains("name=\"user\""))
        #expect(!html.contains("Add user"))
        #expect(!html.contains("Trusted IPs"))
        #expect(!html.contains("7391"))
    }

    @Test("a manager resets a PIN typed twice: saved, audited as pin.reset with the manager's role, never the PIN")
    func typedReset() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", pin: "7391")
        let form = PortalHarness.text(try harness.get(resetPath(fixture, user), session: fixture.manager))
        #expect(form.contains("<label for=\"pin\">New PIN</label>"))
        #expect(form.contains("<label for=\"pin_confirmation\">New PIN again</label>"))
        let response = try harness.post(
            resetPath(fixture, user), session: fixture.manager,
            fields: [("version", "1"), ("pin", "8264"), ("pin_confirmation", "8264")])
        #expect(response.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "pin-reset")
        #expect(try harness.userField(user, "hot_desk_pin") == "8264")
        let event = try harness.auditEvents(action: "pin.reset")[0]
        #expect(try event.decode("account_role", as: String?.self) == "manager")
        #expect(try event.decode("account_email", as: String?.self) == "manager@a.example")
        #expect(try event.decode("changes", as: String.self) == #"{"pin": {"after": "set", "before": "set"}}"#)
    }

    @Test("two PINs that differ, and weak PINs, are refused with a message and change nothing")
    func typedResetRefusesBadPINs() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", pin: "7391")
        let before = try harness.telephonySnapshot()
        let cases: [(String, String, String)] = [
            ("8264", "8265", "The two PINs differ"),
            ("0042", "0042", "own extension"),
            ("2400", "2400", "extension backwards"),
            ("4321", "4321", "runs of consecutive digits"),
            ("", "", "Enter a four-digit PIN, or press Generate"),
        ]
        for (pin, again, message) in cases {
            let response = try harness.post(
                resetPath(fixture, user), session: fixture.manager,
                fields: [("version", "1"), ("pin", pin), ("pin_confirmation", again)])
            #expect(response.status == .unprocessableContent, "\(pin)")
            #expect(PortalHarness.text(response).contains(message), "\(pin)")
        }
        #expect(try harness.telephonySnapshot() == before)
    }

    @Test(
        "Generate shows a strong PIN once: 200, no-store, no redirect; it is never shown again, and a resubmit is refused"
    )
    func generateShowsPINOnce() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042")
        let response = try harness.post(
            resetPath(fixture, user), session: fixture.manager, fields: [("version", "1"), ("generate", "yes")])
        #expect(response.status == .ok)
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.headers["Location"] == nil)
        let pin = try #require(try harness.userField(user, "hot_desk_pin"))
        #expect((try? HotDeskPIN(pin, for: try Extension("0042"))) != nil, "never weak")
        #expect(PortalHarness.text(response).contains("<code>\(pin)</code>"))
        for page in ["/installs/\(fixture.install)/users", resetPath(fixture, user), "/telephony"] {
            #expect(!PortalHarness.text(try harness.get(page, session: fixture.manager)).contains(pin), "\(page)")
        }
        #expect(
            !PortalHarness.text(
                try harness.get("/installs/\(fixture.install)/users/\(user)", session: fixture.administrator)
            )
            .contains(pin))
        let resubmitted = try harness.post(
            resetPath(fixture, user), session: fixture.manager, fields: [("version", "1"), ("generate", "yes")])
        #expect(resubmitted.status == .conflict)
        #expect(PortalHarness.text(resubmitted).contains("Someone else changed this user"))
        #expect(try harness.userField(user, "hot_desk_pin") == pin)
        #expect(try harness.auditEvents(action: "pin.reset").count == 1)
    }

    @Test("a manager reaches only assigned installs (404 elsewhere) and no administrator screen (403)")
    func managerScope() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let assigned = try harness.makeUser(installID: fixture.install, extension: "0042")
        let unassigned = try harness.makeUser(installID: fixture.secondInstall, extension: "0042")
        #expect(
            try harness.get("/installs/\(fixture.secondInstall)/users", session: fixture.manager).status == .notFound)
        #expect(
            try harness.get("/installs/\(fixture.secondInstall)/users/\(unassigned)/pin", session: fixture.manager)
                .status
                == .notFound)
        #expect(
            try harness.get("/installs/\(fixture.install)/users/\(assigned)", session: fixture.manager).status
                == .forbidden)
        #expect(
            try harness.get("/installs/\(fixture.install)/trusted-ips", session: fixture.manager).status == .forbidden)
        #expect(try harness.get("/installs/\(fixture.install)/settings", session: fixture.manager).status == .forbidden)
    }

    @Test("a PIN reset is one transaction of five statements, plus the session's when it is not kept in memory")
    func resetStatements() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", pin: "7391")
        try TestPostgres.superuserScript("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        let database = harness.database.name
        func statements() throws -> [(text: String, calls: Int)] {
            try TestPostgres.superuserQuery(
                """
                SELECT s.query, s.calls::int AS calls FROM pg_stat_statements s
                JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
                WHERE d.datname = \(database) AND r.rolname = 'hotdesk_app' ORDER BY s.query
                """
            ).map { (try $0.decode("query"), try $0.decode("calls")) }
        }
        for (index, session) in [fixture.manager, fixture.administrator].enumerated() {
            _ = try TestPostgres.superuserQuery(
                "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = \(database)), 0)")
            let response = try harness.post(
                resetPath(fixture, user), session: session, fields: [("version", "\(index + 1)"), ("generate", "yes")])
            #expect(response.status == .ok)
            let issued = try statements()
            let total = issued.reduce(0) { $0 + $1.calls }
            #expect((5...6).contains(total), "\(issued)")
            #expect(issued.filter { $0.text.hasPrefix("BEGIN") }.map(\.calls) == [1], "one transaction: \(issued)")
            #expect(issued.contains { $0.text.contains("FOR UPDATE OF u") }, "the install, user and scope in one read")
        }
    }
}

import Foundation
import HotDesk
import PostgresClient
import TestSupport
import Testing
import WebServer

/// Live hot desking end to end: a real Kamailio (the shipped kamailio.cfg) keeps its registrations, login history
/// and refusals in the database, sipp plays the handsets, and the portal's pages show what happened. One Kamailio
/// per test; serialized, since each runs several processes.
@Suite("Live hot desking: a real Kamailio's registrations, history and refusals on the portal's pages", .serialized)
struct LiveHotDeskingTests {
    /// The account fixture's first install trusting 127.0.0.0/24 ("Loopback") and 127.0.0.1/32 ("Desk phones"),
    /// with 1001 Ann Operator (access, PIN 4829), 1002 (no access) and 1003 (access, no PIN).
    private struct Desk {
        let fixture: AccountFixture
        let domain: String
        let ann: Int
        let noAccess: Int
        let noPIN: Int

        init() throws {
            fixture = try AccountFixture()
            let harness = fixture.harness
            domain = try harness.pool.query("SELECT sip_domain FROM hotdesk.installs WHERE id = \(fixture.install)")[0]
                .decode("sip_domain")
            for (network, description) in [("127.0.0.0/24", "Loopback"), ("127.0.0.1/32", "Desk phones")] {
                try harness.pool.query(
                    """
                    INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                    VALUES (\(fixture.install), \(network)::cidr, \(description))
                    """)
            }
            ann = try harness.makeUser(
                installID: fixture.install, extension: "1001", name: "Ann Operator", access: true, pin: "4829")
            noAccess = try harness.makeUser(installID: fixture.install, extension: "1002", name: "Bo", pin: "5937")
            noPIN = try harness.makeUser(installID: fixture.install, extension: "1003", name: "Cy", access: true)
        }

        var harness: PortalHarness { fixture.harness }
        var install: String { "/installs/\(fixture.install)" }

        /// A handset of Ann's (or of `ext`) on `port`, for the registration `callID`.
        func handset(
            _ callID: String, port: UInt16, ext: String = "1001", pin: String = "4829", cseq: Int = 1,
            expires: Int = 300, from source: String = "127.0.0.1"
        ) -> SippLogin {
            var login = SippLogin(extensionNumber: ext, domain: domain, pin: pin, source: source, expires: expires)
            login.port = port
            login.callID = callID
            login.cseq = cseq
            return login
        }

        /// The registrar's rows for the install: Call-IDs by extension.
        func registrations() throws -> [String] {
            try TestPostgres.superuserQuery(
                "SELECT username || ' ' || callid AS r FROM registrar_state.location WHERE domain = \(domain) ORDER BY id",
                database: harness.database.name
            ).map { try $0.decode("r") }
        }

        /// The login history of the install, oldest first: "event detail callid".
        func events() throws -> [String] {
            try TestPostgres.superuserQuery(
                """
                SELECT concat_ws(' ', event, detail, callid) AS e FROM registrar_state.login_events
                WHERE domain = \(domain) ORDER BY id
                """, database: harness.database.name
            ).map { try $0.decode("e") }
        }

        /// Runs `sql` as the database's superuser (moving a registration's clock, as a test may).
        func superuser(_ sql: PostgresQuery) throws {
            _ = try TestPostgres.superuserQuery(sql, database: harness.database.name)
        }

        func page(_ path: String, as session: TestSession? = nil) throws -> String {
            PortalHarness.text(try harness.get(path, session: session ?? fixture.administrator))
        }

        /// Waits up to `seconds` for `condition`, polling every 50 ms.
        func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date(timeIntervalSinceNow: seconds)
            repeat {
                if try condition() { return true }
                Thread.sleep(forTimeInterval: 0.05)
            } while Date() < deadline
            return try condition()
        }
    }

    private func expectExchange(
        _ login: SippLogin, _ kamailio: KamailioProcess, _ expectation: SippLogin.Expectation,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try login.run(against: kamailio, expecting: expectation)
        #expect(result.matched, "\(expectation): \(result.messages)\n\(kamailio.log())", sourceLocation: sourceLocation)
    }

    @Test(
        "the registrar's timer purges history and refusals older than its retention (-A HISTORY_DAYS) and keeps the rest"
    )
    func registrarPurgesOldHistory() throws {
        let desk = try Desk()
        try desk.superuser(
            """
            INSERT INTO registrar_state.login_events (domain, username, event, at, login_at, callid)
            VALUES (\(desk.domain), '1001', 'login', now() - interval '3 days', now() - interval '3 days', 'old'),
                   (\(desk.domain), '1001', 'login', now() - interval '1 day', now() - interval '1 day', 'recent')
            """)
        try desk.superuser(
            """
            INSERT INTO registrar_state.refusals (domain, username, source_address, reason, first_at, last_at)
            VALUES (\(desk.domain), '1001', '10.0.0.1', 'wrong_pin', now() - interval '4 days', now() - interval '3 days'),
                   (\(desk.domain), '1001', '10.0.0.2', 'wrong_pin', now() - interval '4 days', now() - interval '1 day')
            """)
        let kamailio = try KamailioProcess(database: desk.harness.database, historyDays: 2)
        let refusals = {
            try TestPostgres.superuserQuery(
                "SELECT host(source_address) AS a FROM registrar_state.refusals ORDER BY 1",
                database: desk.harness.database.name
            ).map { try $0.decode("a") as String }
        }
        // The purge runs every 10 s.
        #expect(try desk.eventually(within: 15) { try desk.events() == ["login recent"] }, "\(kamailio.log())")
        #expect(try refusals() == ["10.0.0.2"])
        #expect(!kamailio.log().contains("ERROR"), "\(kamailio.log())")
    }

    @Test(
        "a login shows on Hot Desk Status within a second, with its address, the range that admitted it and the handset"
    )
    func loginShowsOnStatusPage() throws {
        let desk = try Desk()
        let kamailio = try KamailioProcess(database: desk.harness.database)
        let port = try FreePort.udp()
        try expectExchange(desk.handset("desk12-a", port: port), kamailio, .accepted)
        let loggedInAt = Date()
        var status = ""
        let shown = try desk.eventually(within: 1) {
            status = try desk.page(desk.install + "/status")
            return status.contains("127.0.0.1:\(port)")
        }
        #expect(shown, "not on the status page within a second of the 200 OK")
        #expect(Date().timeIntervalSince(loggedInAt) < 1.5)
        #expect(status.contains("<td class=\"extension\">1001</td>"))
        #expect(status.contains("Ann Operator"))
        #expect(status.contains("<code>127.0.0.1/32</code>"), "the most specific range that admitted it")
        #expect(status.contains("Yealink T46U · 108.86.0.20"))
        #expect(status.contains("MAC 80:5e:c0:11:22:33"))
        #expect(status.contains("1 logged in, of 2 users with Hot Desk Access."))
        #expect(status.contains("src=\"/static/live-refresh.js\""))
        #expect(!status.contains("<script>"), "no inline script")
        let users = try desk.page(desk.install + "/users")
        #expect(users.contains("At 127.0.0.1:\(port)"))
        let settings = try desk.page(desk.install + "/users/\(desk.ann)")
        #expect(settings.contains("admitted by <code>127.0.0.1/32</code>"))
        #expect(settings.contains("Log out from this handset"))
        // The registrar records logins in the history every 200 ms.
        #expect(try desk.eventually(within: 1) { try desk.page(desk.install + "/history").contains("Logged in") })
        #expect(try desk.page(desk.install + "/status", as: desk.fixture.manager).contains("127.0.0.1:\(port)"))
        let searched = try desk.page(desk.install + "/status?q=ann")
        #expect(searched.contains("1 match “ann”."))
        #expect(try desk.page(desk.install + "/status?q=zed").contains("Nobody logged in matches “zed”."))
        #expect(try desk.page(desk.install + "/status?q=100").contains("1 match “100”."), "an extension prefix")
        #expect(try desk.page(desk.install + "/status?q=1002").contains("Nobody logged in matches “1002”."))
    }

    @Test("a handset logout (Expires: 0) and an expiry without refresh each end the registration with a history line")
    func handsetLogoutAndExpiry() throws {
        let desk = try Desk()
        // Registrations as short as 2 s, so one can expire in the test.
        let kamailio = try KamailioProcess(database: desk.harness.database, minimumExpires: 1)
        let port = try FreePort.udp()
        try expectExchange(desk.handset("desk12-b", port: port), kamailio, .accepted)
        try expectExchange(desk.handset("desk12-b", port: port, cseq: 3, expires: 0), kamailio, .accepted)
        #expect(try desk.registrations().isEmpty)
        #expect(try desk.events() == ["login desk12-b", "handset_logout desk12-b"])
        try expectExchange(desk.handset("desk12-c", port: port, expires: 2), kamailio, .accepted)
        #expect(try desk.registrations() == ["1001 desk12-c"])
        #expect(try desk.eventually(within: 6) { try desk.registrations().isEmpty })
        #expect(try kamailio.rpc("ul.lookup", "location", "1001@\(desk.domain)").contains("not found"))
        #expect(try desk.events().last == "expired desk12-c")
        let history = try desk.page(desk.install + "/history?extension=1001")
        #expect(history.contains("Expired without a refresh"))
        #expect(history.contains("Logged out on the handset"))
        #expect(try desk.page(desk.install + "/status").contains("Nobody is logged in on a handset"))
    }

    @Test(
        "a forced logout is gone from Kamailio's own lookup at once, refuses that registration's refreshes, and is audited"
    )
    func forcedLogout() throws {
        let desk = try Desk()
        let kamailio = try KamailioProcess(database: desk.harness.database)
        let port = try FreePort.udp()
        try expectExchange(desk.handset("desk12-d", port: port), kamailio, .accepted)
        let aor = "1001@\(desk.domain)"
        #expect(try kamailio.rpc("ul.lookup", "location", aor).contains("Call-ID: desk12-d"))
        let id: Int = try TestPostgres.superuserQuery(
            "SELECT id FROM registrar_state.location WHERE callid = 'desk12-d'", database: desk.harness.database.name)[
                0
            ].decode("id")
        let logoutPath = desk.install + "/status/\(id)/logout"
        // Another organization's administrator sees none of it.
        let other = desk.fixture.otherAdministrator
        #expect(try desk.harness.get(desk.install + "/status", session: other).status == .notFound)
        #expect(try desk.harness.get(desk.install + "/history", session: other).status == .notFound)
        #expect(try desk.harness.get(logoutPath, session: other).status == .notFound)
        #expect(try desk.harness.post(logoutPath, session: other, fields: [("return_to", "")]).status == .notFound)
        #expect(try desk.registrations() == ["1001 desk12-d"])
        // The install's manager asks, confirms, and the operator is logged out.
        let confirm = try desk.page(logoutPath, as: desk.fixture.manager)
        #expect(confirm.contains("Log out 1001 Ann Operator?"))
        let response = try desk.harness.post(
            logoutPath, session: desk.fixture.manager,
            fields: [("return_to", "/installs/\(desk.fixture.install)/status")])
        #expect(response.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "logged-out")
        // Off the portal's pages at once; out of the registrar's memory and table within its 200 ms tick.
        #expect(try desk.page(desk.install + "/status").contains("Nobody is logged in on a handset"))
        #expect(try desk.eventually(within: 1) { try kamailio.rpc("ul.lookup", "location", aor).contains("not found") })
        #expect(try desk.eventually(within: 1) { try desk.registrations().isEmpty })
        #expect(try desk.events().last == "forced_logout manager@a.example desk12-d")
        let event = try desk.harness.auditEvents(action: "registration.logged_out")
        #expect(event.count == 1)
        #expect(try event[0].decode("account_email", as: String?.self) == "manager@a.example")
        // The handset's next refresh of that registration is refused; a new login works.
        try expectExchange(desk.handset("desk12-d", port: port, cseq: 3), kamailio, .forbiddenAfterPIN)
        #expect(
            try desk.page(desk.install + "/users/\(desk.ann)").contains(
                "The handset refreshed a registration that had been logged out"))
        try expectExchange(desk.handset("desk12-e", port: port), kamailio, .accepted)
        #expect(try desk.registrations() == ["1001 desk12-e"])
        #expect(try desk.page(desk.install + "/history").contains("Logged out by manager@a.example"))
        // A registration already gone answers 404.
        #expect(try desk.harness.post(logoutPath, session: desk.fixture.administrator, fields: []).status == .notFound)
    }

    @Test("the maximum login time and the daily logout end registrations by the data's clock, with the portal stopped")
    func loginPolicyIsEnforcedByTheRegistrar() throws {
        let desk = try Desk()
        let settings = desk.install + "/settings"
        let version = { () throws -> String in
            let rows = try desk.harness.pool.query(
                "SELECT version FROM hotdesk.login_policies WHERE install_id = \(desk.fixture.install)")
            return String(try rows[0].decode("version", as: Int.self))
        }
        func save(_ hours: String, _ daily: String, _ zone: String, _ rule: String = "replace") throws -> Response {
            try desk.harness.post(
                settings + "/login-policy", session: desk.fixture.administrator,
                fields: [
                    ("version", try version()), ("max_login_hours", hours), ("daily_logout_at", daily),
                    ("time_zone", zone), ("second_login", rule),
                ])
        }
        for (hours, daily, zone, message) in [
            ("0", "", "UTC", "Enter a whole number of hours from 1 to 168"),
            ("169", "", "UTC", "Enter a whole number of hours from 1 to 168"),
            ("", "25:00", "UTC", "Enter a time of day as hours and minutes"),
            ("", "", "Mars/Olympus", "is not a time zone the database knows"),
        ] {
            let refused = try save(hours, daily, zone)
            #expect(refused.status == .unprocessableContent)
            let html = PortalHarness.text(refused)
            #expect(html.contains(message), "\(hours) \(daily) \(zone)")
            #expect(html.contains("value=\"\(zone)\""), "the input is kept")
        }
        #expect(try save("1", "", "Europe/London").status == .seeOther)
        #expect(try desk.page(settings).contains("value=\"Europe/London\""))
        #expect(try desk.harness.auditEvents(action: "login_policy.changed").count == 1)

        let kamailio = try KamailioProcess(database: desk.harness.database)
        let port = try FreePort.udp()
        try expectExchange(desk.handset("desk12-f", port: port), kamailio, .accepted)
        // A daily logout a minute ago, in the install's time zone.
        let aMinuteAgo: String = try TestPostgres.superuserQuery(
            "SELECT to_char((now() - interval '1 minute') AT TIME ZONE 'Europe/London', 'HH24:MI') AS t")[0].decode("t")
        #expect(try save("", aMinuteAgo, "Europe/London").status == .seeOther)
        try expectExchange(desk.handset("desk12-g", port: port + 0), kamailio, .accepted)
        // The portal stops: from here on only Kamailio and the database act.
        desk.harness.changes.stop()
        desk.harness.pool.close()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try desk.registrations() == ["1001 desk12-g"], "logged in after the daily logout time: stays")
        try desk.superuser(
            "UPDATE registrar_state.location SET login_at = now() - interval '1 day' WHERE callid = 'desk12-g'")
        #expect(try desk.eventually(within: 3) { try desk.registrations().isEmpty })
        #expect(try desk.events().last == "automatic_logout daily_logout desk12-g")
        try expectExchange(desk.handset("desk12-g", port: port, cseq: 3), kamailio, .forbiddenAfterPIN)
        // The maximum login time, set while the portal was up (1 hour), moved past by the clock of the data.
        try desk.superuser(
            "UPDATE hotdesk.login_policies SET max_login_hours = 1, daily_logout_at = NULL WHERE install_id = \(desk.fixture.install)"
        )
        try expectExchange(desk.handset("desk12-h", port: port), kamailio, .accepted)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try desk.registrations() == ["1001 desk12-h"])
        try desk.superuser(
            "UPDATE registrar_state.location SET login_at = now() - interval '61 minutes' WHERE callid = 'desk12-h'")
        #expect(try desk.eventually(within: 3) { try desk.registrations().isEmpty })
        #expect(try desk.events().last == "automatic_logout max_login_time desk12-h")
        try expectExchange(desk.handset("desk12-h", port: port, cseq: 3), kamailio, .forbiddenAfterPIN)
        try expectExchange(desk.handset("desk12-i", port: port), kamailio, .accepted)
    }

    @Test("“refuse while logged in elsewhere” refuses a second handset; “replace” moves the operator to it")
    func secondLoginRule() throws {
        let desk = try Desk()
        let kamailio = try KamailioProcess(database: desk.harness.database)
        let first = try FreePort.udp()
        let second = try FreePort.udp()
        try desk.superuser(
            "UPDATE hotdesk.login_policies SET second_login = 'refuse' WHERE install_id = \(desk.fixture.install)")
        try expectExchange(desk.handset("desk12-j", port: first), kamailio, .accepted)
        try expectExchange(desk.handset("desk13-k", port: second), kamailio, .forbiddenAfterPIN)
        #expect(try desk.registrations() == ["1001 desk12-j"])
        #expect(
            try desk.page(desk.install + "/users/\(desk.ann)").contains(
                "The operator was logged in on another handset, and this install refuses a second login."))
        // The same handset logging in again is not "elsewhere".
        try expectExchange(desk.handset("desk12-j2", port: first), kamailio, .accepted)
        try desk.superuser(
            "UPDATE hotdesk.login_policies SET second_login = 'replace' WHERE install_id = \(desk.fixture.install)")
        try expectExchange(desk.handset("desk13-l", port: second), kamailio, .accepted)
        #expect(try desk.registrations() == ["1001 desk13-l"])
        #expect(try desk.events().suffix(2) == ["login desk13-l", "replaced desk12-j2"])
        #expect(try desk.page(desk.install + "/history").contains("Replaced by a login on another handset"))
    }

    @Test("every refusal reason shows with its sentence: on User Settings, and an unknown extension on Hot Desk Status")
    func refusalReasons() throws {
        let desk = try Desk()
        let kamailio = try KamailioProcess(database: desk.harness.database, failureLimit: 3)
        let ann = desk.install + "/users/\(desk.ann)"
        try expectExchange(
            desk.handset("r1", port: try FreePort.udp(host: "127.0.1.5"), from: "127.0.1.5"), kamailio,
            .forbiddenAfterPIN)
        #expect(
            try desk.page(ann).contains("address 127.0.1.5 is not in any of the install"))
        try expectExchange(
            desk.handset("r2", port: try FreePort.udp(host: "127.0.0.11"), pin: "0000", from: "127.0.0.11"), kamailio,
            .refused)
        #expect(try desk.page(ann).contains("The PIN entered on the handset was wrong."))
        try expectExchange(
            desk.handset(
                "r3", port: try FreePort.udp(host: "127.0.0.12"), ext: "1002", pin: "5937", from: "127.0.0.12"),
            kamailio, .refused)
        #expect(
            try desk.page(desk.install + "/users/\(desk.noAccess)").contains("The user does not have Hot Desk Access."))
        try expectExchange(
            desk.handset(
                "r4", port: try FreePort.udp(host: "127.0.0.13"), ext: "1003", pin: "1234", from: "127.0.0.13"),
            kamailio, .refused)
        #expect(try desk.page(desk.install + "/users/\(desk.noPIN)").contains("The user has no Hot Desk PIN yet."))
        try expectExchange(
            desk.handset(
                "r5", port: try FreePort.udp(host: "127.0.0.14"), ext: "1009", pin: "1234", from: "127.0.0.14"),
            kamailio, .refused)
        #expect(try desk.page(desk.install + "/status").contains("No user of this install has that extension."))
        // Two more wrong PINs for 1001 reach the limit of three: the next attempt is refused before any challenge.
        let banned = try FreePort.udp(host: "127.0.0.15")
        for attempt in ["r6", "r7"] {
            try expectExchange(
                desk.handset(attempt, port: banned, pin: "0000", from: "127.0.0.15"), kamailio, .refused)
        }
        try expectExchange(desk.handset("r8", port: banned, from: "127.0.0.15"), kamailio, .forbidden)
        #expect(try desk.page(ann).contains("Too many failed attempts from 127.0.0.15 or for this extension"))
        let counted: Int = try TestPostgres.superuserQuery(
            """
            SELECT attempts::int AS n FROM registrar_state.refusals
            WHERE domain = \(desk.domain) AND username = '1001' AND reason = 'wrong_pin' AND source_address = '127.0.0.15'
            """, database: desk.harness.database.name)[0].decode("n")
        #expect(counted == 2, "one row per extension, address and reason, with a count")
    }

    @Test("a Kamailio restart keeps the registrations, and their refreshes are accepted")
    func restartKeepsRegistrations() throws {
        let desk = try Desk()
        let port = try FreePort.udp()
        var kamailio: KamailioProcess? = try KamailioProcess(database: desk.harness.database)
        let sipPort = kamailio!.port
        try expectExchange(desk.handset("desk12-m", port: port), kamailio!, .accepted)
        kamailio!.stop()
        kamailio = nil
        let restarted = try KamailioProcess(database: desk.harness.database, port: sipPort)
        #expect(try restarted.rpc("ul.lookup", "location", "1001@\(desk.domain)").contains("Call-ID: desk12-m"))
        try expectExchange(desk.handset("desk12-m", port: port, cseq: 3), restarted, .accepted)
        #expect(try desk.registrations() == ["1001 desk12-m"])
        // The restarted registrar records the login within 200 ms, if the first one had yet to.
        #expect(try desk.eventually(within: 1) { try desk.events() == ["login desk12-m"] }, "a refresh is not a login")
    }
}

import Foundation
import HotDesk
import PostgresClient
import TestSupport
import Testing

/// `registrar_state`, the registrar's own schema, as the registrar and the portal log in to it: who may write
/// what, the verdict on a REGISTER, the rules' clock, and the purge.
@Suite("Registrar state: one writer, the portal's one narrow way in, the rules and the purge")
struct RegistrarStateTests {
    /// A migrated database with Acme (pbx.acme.example, trusting 192.0.2.0/24, user 1001 with access and PIN) and
    /// Beta (pbx.beta.example), a registrar login and the portal's login.
    private struct World {
        let database: TestDatabase
        let registrar: PostgresConnection
        let portal: PostgresConnection

        init() throws {
            database = try TestPostgres.makeDatabase(migrated: false)
            try Migrator(migrations: Migration.load(from: TestPostgres.migrationsFolder), logger: TestPostgres.logger)
                .migrate(connection: database.ownerConnection())
            portal = try PostgresConnection(connectionString: database.appURL)
            try portal.runScript(
                """
                INSERT INTO hotdesk.organizations (name) VALUES ('Acme');
                INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                    SELECT id, 'HQ', 'pbx.acme.example' FROM hotdesk.organizations UNION ALL
                    SELECT id, 'Beta', 'pbx.beta.example' FROM hotdesk.organizations;
                INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
                    SELECT id, '1001', 'Ann', true, '4829' FROM hotdesk.installs WHERE name = 'HQ';
                INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                    SELECT id, '192.0.2.0/24', 'Office' FROM hotdesk.installs WHERE name = 'HQ';
                """)
            registrar = try PostgresConnection(connectionString: try database.makeRegistrarRole().url)
        }

        /// A registration of 1001 at Acme as usrloc writes it (Call-ID `callID`, from 192.0.2.7:5060), by the
        /// registrar's role; returns its id.
        @discardableResult
        func register(
            _ callID: String, contact: String = "sip:1001@192.0.2.7:5060", expiresIn: Int = 300
        ) throws
            -> Int
        {
            try registrar.query(
                """
                INSERT INTO location (ruid, username, domain, contact, received, expires, callid, cseq, user_agent,
                                      last_modified)
                VALUES (\(UUID().uuidString), '1001', 'pbx.acme.example', \(contact), 'sip:192.0.2.7:5060',
                        extract(epoch FROM now())::bigint + \(expiresIn), \(callID), 2, 'Yealink SIP-T46U 108.86.0.20',
                        extract(epoch FROM now())::bigint)
                RETURNING id
                """)[0].decode("id")
        }

        func verdict(
            _ callID: String, contact: String = "<sip:1001@192.0.2.7:5060>", expires: String = ""
        )
            throws -> String
        {
            try registrar.query(
                """
                SELECT split_part(register_verdict('pbx.acme.example', inet '192.0.2.7', '1001', \(callID), \(contact),
                                                   \(expires)), ':', 1) AS v
                """)[0].decode("v")
        }

        /// What the registrar's 200 ms timer does: each registration queued by force_logout or a rule goes (the
        /// registrar's unregister() deletes its row); returns the AORs removed.
        @discardableResult
        func removeEndedRegistrations() throws -> [String] {
            let ending = try registrar.query("SELECT aor, ruid FROM ending_registrations()")
            for row in ending {
                _ = try registrar.query("DELETE FROM location WHERE ruid = \(try row.decode("ruid", as: String.self))")
            }
            return try ending.map { try $0.decode("aor") }
        }

        /// What the registrar's 200 ms timer does first: the logins written since its last run get their history
        /// lines, counts and announcements; returns how many.
        @discardableResult
        func recordLogins() throws -> Int {
            try registrar.query("SELECT record_logins() AS n")[0].decode("n")
        }

        func loggedInCount() throws -> Int {
            try portal.query(
                "SELECT coalesce(sum(operators), 0)::int AS n FROM registrar_state.logged_in_counts")[0].decode("n")
        }

        func events() throws -> [String] {
            try registrar.query("SELECT concat_ws(' ', event, detail, callid) AS e FROM login_events ORDER BY id")
                .map { try $0.decode("e") }
        }

        func refused(_ statement: PostgresQuery, on connection: PostgresConnection) -> Bool {
            do {
                try connection.query(statement)
                return false
            } catch {
                return error.sqlState == .insufficientPrivilege
            }
        }
    }

    @Test("the portal's role reads the registrar's state and changes it only through force_logout")
    func portalWritesOnlyThroughForcedLogout() throws {
        let world = try World()
        defer { world.database.drop() }
        let id = try world.register("call-1")
        for statement: PostgresQuery in [
            "INSERT INTO registrar_state.location (username, domain, callid) VALUES ('1001', 'pbx.acme.example', 'x')",
            "UPDATE registrar_state.location SET expires = 0", "DELETE FROM registrar_state.location",
            "DELETE FROM registrar_state.login_events", "UPDATE registrar_state.refusals SET attempts = 0",
            "INSERT INTO registrar_state.ended_registrations (callid, username, domain) VALUES ('x', 'y', 'z')",
            "INSERT INTO registrar_state.pending_logouts (ruid, reason) VALUES ('x', 'forced_logout:x')",
            "SELECT * FROM registrar_state.ending_registrations()", "SELECT registrar_state.announce_changes()",
            "SELECT registrar_state.record_logins()", "DELETE FROM registrar_state.unrecorded_logins",
            "UPDATE registrar_state.logged_in_counts SET operators = 7",
            "SELECT registrar_state.enforce_login_policy()", "SELECT registrar_state.purge(0, 1000)",
            "SELECT registrar_state.end_registrations(ARRAY[1], 'forced_logout:x')",
            "SELECT registrar_state.refuse('pbx.acme.example', '1001', '192.0.2.7', 'banned')",
            "CREATE TABLE registrar_state.intruder (id int)",
        ] {
            #expect(world.refused(statement, on: world.portal), "\(statement.sql)")
        }
        #expect(
            try world.portal.query("SELECT count(*)::int AS n FROM registrar_state.location")[0].decode(
                "n", as: Int.self) == 1)
        // Another install's domain does not reach the registration.
        let wrongDomain: String? = try world.portal.query(
            "SELECT registrar_state.force_logout('pbx.beta.example', \(id)::integer, 'intruder') AS e")[0].decode("e")
        #expect(wrongDomain == nil)
        let ended: String? = try world.portal.query(
            "SELECT registrar_state.force_logout('pbx.acme.example', \(id)::integer, 'admin@acme.example') AS e")[0]
            .decode("e")
        #expect(ended == "1001")
        // Gone from what the portal shows at once, queued for the registrar, refused a second time.
        #expect(
            try world.portal.query("SELECT count(*)::int AS n FROM registrar_state.live_registrations")[0].decode(
                "n", as: Int.self) == 0)
        let again: String? = try world.portal.query(
            "SELECT registrar_state.force_logout('pbx.acme.example', \(id)::integer, 'admin@acme.example') AS e")[0]
            .decode("e")
        #expect(again == nil)
        #expect(try world.removeEndedRegistrations() == ["sip:1001@pbx.acme.example"])
        #expect(try world.removeEndedRegistrations().isEmpty)
        #expect(try world.events() == ["login call-1", "forced_logout admin@acme.example call-1"])
        #expect(try world.verdict("call-1") == "logged_out")
        #expect(try world.verdict("call-2") == "ok")
    }

    @Test("a time zone PostgreSQL cannot read is refused by the table itself, so no row can stop the rules")
    func unknownTimeZoneIsRefusedByTheTable() throws {
        let world = try World()
        defer { world.database.drop() }
        #expect {
            try world.portal.query("UPDATE hotdesk.login_policies SET time_zone = 'Mars/Olympus'")
        } throws: { error in
            (error as? PostgresError)?.sqlState == SQLState(rawValue: "23514")
        }
        try world.portal.query("UPDATE hotdesk.login_policies SET time_zone = 'Pacific/Chatham'")
        #expect(try world.registrar.query("SELECT enforce_login_policy() AS n")[0].decode("n", as: Int.self) == 0)
    }

    @Test("the verdict: untrusted sources, ended registrations, removals, and a second login when refused")
    func verdicts() throws {
        let world = try World()
        defer { world.database.drop() }
        let outside: String = try world.registrar.query(
            "SELECT register_verdict('pbx.acme.example', inet '198.51.100.1', '1001', 'c', '', '') AS v")[0].decode("v")
        #expect(outside == "untrusted::", "no credentials for an untrusted source")
        let trusted: String = try world.registrar.query(
            "SELECT register_verdict('pbx.acme.example', inet '192.0.2.7', '1001', 'c', '', '') AS v")[0].decode("v")
        let credentials: String = try world.registrar.query(
            "SELECT 'ok:' || ha1 || ':' || ha1b AS v FROM registrar.subscriber WHERE username = '1001'")[0].decode("v")
        #expect(trusted == credentials, "the verdict and the operator's HA1 and HA1b")
        let unknown: String = try world.registrar.query(
            "SELECT register_verdict('pbx.acme.example', inet '192.0.2.7', '1009', 'c', '', '') AS v")[0].decode("v")
        #expect(unknown == "ok::", "no credentials for an extension that may not log in")
        try world.register("call-1")
        #expect(try world.verdict("call-9", contact: "<sip:1001@192.0.2.8:5060>") == "ok", "replace by default")
        try world.portal.query("UPDATE hotdesk.login_policies SET second_login = 'refuse'")
        #expect(try world.verdict("call-9", contact: "<sip:1001@192.0.2.8:5060>") == "logged_in_elsewhere")
        #expect(try world.verdict("call-9", contact: "<sip:1001@192.0.2.7:5060>") == "ok", "the same handset")
        #expect(try world.verdict("call-1", contact: "<sip:1001@192.0.2.7:5060>") == "ok", "its own refresh")
        for removal in [("<sip:1001@192.0.2.8:5060>;expires=0", ""), ("*", "0"), ("<sip:1001@192.0.2.8:5060>", "0")] {
            #expect(try world.verdict("call-9", contact: removal.0, expires: removal.1) == "ok", "\(removal)")
        }
        for removal in [("<sip:1001@192.0.2.8:5060>; EXPIRES = 00", "500"), ("<sip:1001@192.0.2.8:5060>", " 0 ")] {
            #expect(try world.verdict("call-9", contact: removal.0, expires: removal.1) == "ok", "\(removal)")
        }
        for login in [
            ("<sip:1001@192.0.2.8:5060>;expires=500", "0"), ("<sip:1001@192.0.2.8:5060>", "500"),
            ("<sip:1001@192.0.2.8:5060>;expires=05", ""), ("<sip:1001@192.0.2.8:5060>", "05"),
        ] {
            #expect(
                try world.verdict("call-9", contact: login.0, expires: login.1) == "logged_in_elsewhere", "\(login)")
        }
    }

    @Test(
        "the rules compare the data's login time with now: a maximum login time and a daily logout in the install's zone"
    )
    func rulesFollowTheDataClock() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.portal.query("UPDATE hotdesk.login_policies SET max_login_hours = 8")
        let fresh = try world.register("fresh")
        let old = try world.register("old")
        #expect(try world.recordLogins() == 2)
        try TestPostgres.superuserQuery(
            "UPDATE registrar_state.location SET login_at = now() - interval '8 hours 1 second' WHERE id = \(old)",
            database: world.database.name)
        #expect(try world.registrar.query("SELECT enforce_login_policy() AS n")[0].decode("n", as: Int.self) == 1)
        try world.portal.query(
            """
            UPDATE hotdesk.login_policies
            SET max_login_hours = NULL, time_zone = 'America/New_York',
                daily_logout_at = date_trunc('minute', (now() - interval '2 minutes') AT TIME ZONE 'America/New_York')::time
            """)
        #expect(try world.registrar.query("SELECT enforce_login_policy() AS n")[0].decode("n", as: Int.self) == 0)
        try TestPostgres.superuserQuery(
            "UPDATE registrar_state.location SET login_at = now() - interval '3 minutes' WHERE id = \(fresh)",
            database: world.database.name)
        #expect(try world.registrar.query("SELECT enforce_login_policy() AS n")[0].decode("n", as: Int.self) == 1)
        #expect(try world.removeEndedRegistrations().count == 2)
        #expect(
            try world.events() == [
                "login fresh", "login old", "automatic_logout max_login_time old",
                "automatic_logout daily_logout fresh",
            ])
        #expect(try world.verdict("old") == "logged_out")
        #expect(try world.verdict("fresh") == "logged_out")
    }

    @Test(
        "a login is recorded once: by the registrar's timer, or by its end when it leaves first, login line before end line"
    )
    func loginsAreRecordedOnceInOrder() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.register("desk-a")
        #expect(try world.events().isEmpty, "a login's own INSERT only queues it")
        #expect(try world.recordLogins() == 1)
        #expect(try world.recordLogins() == 0)
        #expect(try world.loggedInCount() == 1)
        let announced = try TestPostgres.superuserQuery(
            "SELECT domain FROM registrar_state.unannounced_changes", database: world.database.name)
        #expect(try announced.map { try $0.decode("domain", as: String.self) } == ["pbx.acme.example"])
        // Desk B logs in and its handset logs out before the timer came: recorded by its end, never counted.
        try world.register("desk-b", contact: "sip:1001@192.0.2.8:5060")
        _ = try world.registrar.query("DELETE FROM location WHERE callid = 'desk-b'")
        #expect(try world.recordLogins() == 0)
        #expect(try world.loggedInCount() == 1)
        _ = try world.registrar.query("DELETE FROM location WHERE callid = 'desk-a'")
        #expect(try world.loggedInCount() == 0)
        #expect(try world.events() == ["login desk-a", "login desk-b", "replaced desk-b", "handset_logout desk-a"])
        let lines = try world.portal.query(
            """
            SELECT host(source_address) AS address, source_port AS port, user_agent, at = login_at AS at_login
            FROM registrar_state.login_events WHERE event = 'login' ORDER BY id
            """)
        for line in lines {
            #expect(try line.decode("address", as: String.self).hasPrefix("192.0.2."))
            #expect(try line.decode("port", as: Int.self) == 5060)
            #expect(try line.decode("user_agent", as: String.self) == "Yealink SIP-T46U 108.86.0.20")
            #expect(try line.decode("at_login", as: Bool.self), "a login line is dated at the login")
        }
    }

    @Test("the history reads a registration's source from received, sip:ADDRESS:PORT, and nothing else")
    func historySources() throws {
        let world = try World()
        defer { world.database.drop() }
        let parsed = try world.registrar.query(
            """
            SELECT concat_ws(' ', r, host(source_address(r)), source_port(r)) AS s
            FROM unnest(ARRAY['sip:192.0.2.7:5060', 'sips:[2001:db8::7]:5061', 'sip:2001:db8::8:5062', 'sip:192.0.2.7',
                              'sip::5060', 'sip:evil;x:5060', 'sip:192.0.2.7:99999x', 'garbage']) AS r
            """
        ).map { try $0.decode("s", as: String.self) }
        #expect(
            parsed == [
                "sip:192.0.2.7:5060 192.0.2.7 5060", "sips:[2001:db8::7]:5061 2001:db8::7 5061",
                "sip:2001:db8::8:5062 2001:db8::8 5062", "sip:192.0.2.7", "sip::5060 5060", "sip:evil;x:5060 5060",
                "sip:192.0.2.7:99999x", "garbage",
            ])
    }

    @Test(
        "refusals are one counted row per extension, address and reason; the purge goes in batches and keeps recent rows"
    )
    func refusalsAndPurge() throws {
        let world = try World()
        defer { world.database.drop() }
        for _ in 1...50 {
            _ = try world.registrar.query("SELECT refuse('pbx.acme.example', '1001', '192.0.2.7', 'credentials')")
        }
        _ = try world.registrar.query("SELECT refuse('pbx.acme.example', '1009', '192.0.2.7', 'credentials')")
        _ = try world.registrar.query("SELECT refuse('no.such.example', '1001', '192.0.2.7', 'untrusted_source')")
        let rows = try world.registrar.query(
            "SELECT username, reason, attempts::int AS n FROM refusals ORDER BY username")
        #expect(
            try rows.map {
                "\(try $0.decode("username", as: String.self)) \(try $0.decode("reason", as: String.self)) \(try $0.decode("n", as: Int.self))"
            } == ["1001 wrong_pin 50", "1009 unknown_extension 1"])
        try TestPostgres.superuserScript(
            """
            INSERT INTO registrar_state.login_events (domain, username, event, at, login_at, callid)
            SELECT 'pbx.acme.example', '1001', 'login', now() - interval '100 days', now() - interval '100 days', 'old-' || n
            FROM generate_series(1, 1200) n;
            INSERT INTO registrar_state.login_events (domain, username, event, at, login_at, callid)
            VALUES ('pbx.acme.example', '1001', 'login', now() - interval '10 days', now() - interval '10 days', 'recent')
            """, database: world.database.name)
        var batches: [Int] = []
        repeat {
            batches.append(try world.registrar.query("SELECT purge(90, 500) AS n")[0].decode("n"))
        } while batches.last != 0
        #expect(batches == [500, 500, 200, 0])
        #expect(try world.events() == ["login recent"])
    }
}

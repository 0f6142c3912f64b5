import Foundation
import HotDesk
import PostgresClient
import TestSupport
import Testing

/// The `registrar` schema as a separate program sees it, logged in as a registrar role over TCP.
@Suite("Registrar views and role")
struct RegistrarViewTests {
    /// A database migrated in place (so the database-level revokes apply), with one install, three users
    /// (one usable, one without access, one without PIN), a trusted range, and a registrar login.
    private func fixture() throws -> (TestDatabase, registrar: PostgresConnection, roleName: String) {
        let database = try TestPostgres.makeDatabase(migrated: false)
        try Migrator(migrations: Migration.load(from: TestPostgres.migrationsFolder), logger: TestPostgres.logger)
            .migrate(connection: database.ownerConnection())
        try PostgresConnection(connectionString: database.appURL).runScript(
            """
            INSERT INTO hotdesk.organizations (name) VALUES ('Acme');
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                SELECT id, 'HQ', 'pbx.acme.example' FROM hotdesk.organizations;
            INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
                SELECT id, '1001', 'Ann', true, '4829' FROM hotdesk.installs UNION ALL
                SELECT id, '1002', 'Bo', false, '5937' FROM hotdesk.installs UNION ALL
                SELECT id, '1003', 'Cy', true, NULL FROM hotdesk.installs;
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                SELECT id, '192.0.2.0/24', 'Office' FROM hotdesk.installs;
            """)
        let role = try database.makeRegistrarRole()
        return (database, try PostgresConnection(connectionString: role.url), role.name)
    }

    /// nil when the statement was refused: no privilege, or a view that cannot be written at all (55000) or
    /// truncated (42809) (the privilege sweep proves the grants themselves); otherwise what happened.
    private func refusal(of statement: PostgresQuery, on connection: PostgresConnection) -> String? {
        do {
            try connection.query(statement)
            return "succeeded"
        } catch {
            let allowed: Set<SQLState?> = [
                .insufficientPrivilege, SQLState(rawValue: "42809"), SQLState(rawValue: "55000"),
            ]
            return allowed.contains(error.sqlState) ? nil : "\(error)"
        }
    }

    @Test("the registrar logs in with search_path registrar_state, registrar and a statement timeout, and may write")
    func roleSettingsApplyAtLogin() throws {
        let (database, registrar, roleName) = try fixture()
        defer { database.drop() }
        #expect(
            try registrar.query("SHOW search_path")[0].decode("search_path", as: String.self)
                == "registrar_state, registrar")
        #expect(try registrar.query("SHOW statement_timeout")[0].decode("statement_timeout", as: String.self) == "2s")
        #expect(
            try registrar.query("SHOW default_transaction_read_only")[0].decode(
                "default_transaction_read_only", as: String.self) == "off")
        let limit = try TestPostgres.superuserQuery(
            "SELECT rolconnlimit FROM pg_roles WHERE rolname = \(roleName)", database: database.name)
        #expect(try limit[0].decode("rolconnlimit", as: Int.self) == 20)
    }

    @Test("subscriber lists only operators with access and a PIN, with the right HA1 and HA1b and no PIN")
    func subscriberViewContents() throws {
        let (database, registrar, _) = try fixture()
        defer { database.drop() }
        let rows = try registrar.query("SELECT * FROM subscriber")
        #expect(rows.columns == ["id", "username", "domain", "ha1", "ha1b"])
        #expect(rows.count == 1)
        let row = rows[0]
        #expect(try row.decode("username", as: String.self) == "1001")
        #expect(try row.decode("domain", as: String.self) == "pbx.acme.example")
        let expected = try TestPostgres.superuserQuery(
            """
            SELECT md5('1001:pbx.acme.example:4829') AS ha1, md5('1001@pbx.acme.example:pbx.acme.example:4829') AS ha1b
            """)[0]
        #expect(try row.decode("ha1", as: String.self) == expected.decode("ha1", as: String.self))
        #expect(try row.decode("ha1b", as: String.self) == expected.decode("ha1b", as: String.self))
        for view in ["subscriber", "address", "trusted_networks", "version", "login_policy"] {
            let text = try registrar.query("SELECT row_to_json(v)::text AS json FROM \(unsafeViewName: view) v")
            #expect(try text.allSatisfy { try !$0.decode("json", as: String.self).contains("4829") })
        }
    }

    @Test("address, trusted_networks and version have the shapes Kamailio reads")
    func otherViewShapes() throws {
        let (database, registrar, _) = try fixture()
        defer { database.drop() }
        let address = try registrar.query("SELECT * FROM address")
        #expect(address.columns == ["id", "grp", "ip_addr", "mask", "port", "tag"])
        #expect(try address[0].decode("ip_addr", as: String.self) == "192.0.2.0")
        #expect(try address[0].decode("mask", as: Int.self) == 24)
        #expect(try address[0].decode("port", as: Int.self) == 0)
        #expect(try address[0].decode("tag", as: String.self) == "pbx.acme.example")
        let inside = try registrar.query(
            "SELECT count(*)::int AS n FROM trusted_networks WHERE domain = \("pbx.acme.example") AND \("192.0.2.77")::inet <<= network"
        )
        #expect(try inside[0].decode("n", as: Int.self) == 1)
        let outside = try registrar.query(
            "SELECT count(*)::int AS n FROM trusted_networks WHERE domain = \("pbx.acme.example") AND \("198.51.100.1")::inet <<= network"
        )
        #expect(try outside[0].decode("n", as: Int.self) == 0)
        let versions = try registrar.query("SELECT table_name, table_version FROM version ORDER BY table_name")
        let pairs = try versions.map {
            "\(try $0.decode("table_name", as: String.self))=\(try $0.decode("table_version", as: Int.self))"
        }
        #expect(
            pairs == [
                "address=6", "location=9", "registrar.address=6", "registrar.subscriber=7",
                "registrar_state.location=9", "subscriber=7",
            ])
    }

    @Test("the registrar role cannot read or write the portal's tables, write views, or create anything")
    func registrarRoleCannotTouchThePortalsData() throws {
        let (database, registrar, _) = try fixture()
        defer { database.drop() }
        let forbidden: [PostgresQuery] = [
            "SELECT * FROM hotdesk.users", "SELECT * FROM hotdesk.installs", "SELECT * FROM hotdesk.trusted_networks",
            "SELECT * FROM hotdesk.accounts", "SELECT * FROM hotdesk.sessions", "SELECT * FROM hotdesk.audit_events",
            "SELECT * FROM hotdesk.organizations", "SELECT * FROM hotdesk.schema_migrations",
            "INSERT INTO subscriber (username, domain, ha1, ha1b) VALUES ('9999', 'x.example', 'a', 'b')",
            "INSERT INTO trusted_networks (domain, network) VALUES ('x.example', '0.0.0.0/0')",
            "UPDATE subscriber SET ha1 = 'x'", "DELETE FROM subscriber", "TRUNCATE subscriber",
            "UPDATE address SET mask = 0", "DELETE FROM trusted_networks", "CREATE TABLE registrar.intruder (id int)",
            "CREATE TABLE public.intruder (id int)", "CREATE TABLE hotdesk.intruder (id int)",
            "CREATE TEMP TABLE intruder (id int)", "CREATE SCHEMA intruder",
            "INSERT INTO hotdesk.users (install_id, extension, display_name) VALUES (1, '9999', 'x')",
            "UPDATE hotdesk.users SET hot_desk_pin = '1234'", "DELETE FROM hotdesk.audit_events",
            "UPDATE login_policy SET refuse_second_login = false", "DELETE FROM hotdesk.login_policies",
            "CREATE TABLE registrar_state.intruder (id int)",
            "SELECT registrar_state.force_logout('pbx.acme.example', 1, 'intruder')",
        ]
        for statement in forbidden {
            #expect(refusal(of: statement, on: registrar) == nil, "\(statement.sql)")
        }
        for view in ["subscriber", "address", "trusted_networks", "version", "login_policy"] {
            #expect(try registrar.query("SELECT count(*) AS n FROM \(unsafeViewName: view)").count == 1)
        }
    }

    @Test("a sweep of has_table_privilege shows SELECT on the registrar views, its own state, and nothing else")
    func privilegeSweep() throws {
        let (database, _, roleName) = try fixture()
        defer { database.drop() }
        let rows = try TestPostgres.superuserQuery(
            """
            SELECT n.nspname || '.' || c.relname AS relation, p.privilege
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) AS p (privilege)
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S')
              AND has_table_privilege(\(roleName), c.oid, p.privilege)
            ORDER BY 1, 2
            """, database: database.name)
        let granted = try rows.map {
            "\(try $0.decode("relation", as: String.self)):\(try $0.decode("privilege", as: String.self))"
        }
        let writable = ["DELETE", "INSERT", "SELECT", "UPDATE"]
        let ownState =
            ["ended_registrations", "location", "logged_in_counts", "login_events"].flatMap { table in
                writable.map { "registrar_state.\(table):\($0)" }
            } + ["DELETE", "INSERT", "SELECT"].map { "registrar_state.pending_logouts:\($0)" }
            + writable.map { "registrar_state.refusals:\($0)" } + ["registrar_state.unannounced_changes:INSERT"]
            + ["DELETE", "INSERT", "SELECT"].map { "registrar_state.unrecorded_logins:\($0)" }
        #expect(
            granted == [
                "registrar.address:SELECT", "registrar.login_policy:SELECT", "registrar.subscriber:SELECT",
                "registrar.trusted_networks:SELECT", "registrar.version:SELECT",
            ] + ownState)
        let databasePrivileges = try TestPostgres.superuserQuery(
            """
            SELECT has_database_privilege(\(roleName), current_database(), 'CREATE') AS can_create,
                   has_database_privilege(\(roleName), current_database(), 'TEMP') AS can_temp,
                   has_schema_privilege(\(roleName), 'public', 'USAGE') AS public_usage,
                   has_schema_privilege(\(roleName), 'hotdesk', 'USAGE') AS hotdesk_usage
            """, database: database.name)[0]
        #expect(try !databasePrivileges.decode("can_create", as: Bool.self))
        #expect(try !databasePrivileges.decode("can_temp", as: Bool.self))
        #expect(try !databasePrivileges.decode("public_usage", as: Bool.self))
        #expect(try !databasePrivileges.decode("hotdesk_usage", as: Bool.self))
    }

    @Test("registrar-role refuses a role that has other powers, and updating a registrar role keeps it locked down")
    func registrarRoleCommandRules() throws {
        let (database, _, roleName) = try fixture()
        defer { database.drop() }
        let admin = try PostgresConnection(
            connectionString: TestPostgres.url(database: database.name, role: "postgres"))
        try RegistrarRole(name: roleName).apply(password: "another long password", on: admin)
        let relogin = try PostgresConnection(
            connectionString:
                "postgres://\(roleName):another%20long%20password@127.0.0.1:\(TestPostgres.port)/\(database.name)")
        #expect(try relogin.query("SELECT count(*)::int AS n FROM subscriber")[0].decode("n", as: Int.self) == 1)
        #expect(throws: RegistrarRoleError.roleHasOtherPowers("hotdesk_owner_like")) {
            try TestPostgres.superuserScript(
                "DROP ROLE IF EXISTS hotdesk_owner_like; CREATE ROLE hotdesk_owner_like CREATEDB")
            try RegistrarRole(name: "hotdesk_owner_like").apply(password: "whatever long", on: admin)
        }
        #expect(throws: RegistrarRoleError.self) { try RegistrarRole(name: "Robert'); DROP TABLE x;--") }
        #expect(throws: RegistrarRoleError.self) { try RegistrarRole(name: "hotdesk_app") }
    }
}

extension RegistrarViewTests {
    @Test("at 100,000 users, 1,000 installs and 10,000 ranges, Kamailio's lookups are index scans")
    func lookupsUseIndexesAtScale() throws {
        let (database, registrar, _) = try fixture()
        defer { database.drop() }
        try PostgresConnection(connectionString: database.ownerURL).runScript(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                SELECT (SELECT min(id) FROM hotdesk.organizations), 'Site ' || n, 'site' || n || '.scale.example'
                FROM generate_series(1, 1000) AS n;
            INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
                SELECT i.id, lpad(e::text, 4, '0'), 'User ' || e, e % 10 <> 0, lpad(((e * 7919) % 10000)::text, 4, '0')
                FROM hotdesk.installs i CROSS JOIN generate_series(1, 100) AS e
                WHERE i.sip_domain LIKE '%.scale.example';
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                SELECT i.id, ('10.' || (i.id % 250) || '.' || r || '.0/24')::cidr, 'Range ' || r
                FROM hotdesk.installs i CROSS JOIN generate_series(1, 10) AS r
                WHERE i.sip_domain LIKE '%.scale.example';
            ANALYZE hotdesk.installs; ANALYZE hotdesk.users; ANALYZE hotdesk.trusted_networks;
            """)
        let counts = try TestPostgres.superuserQuery(
            """
            SELECT (SELECT count(*) FROM hotdesk.users)::int AS users, (SELECT count(*) FROM hotdesk.trusted_networks)::int AS ranges
            """, database: database.name)[0]
        #expect(try counts.decode("users", as: Int.self) >= 100_000)
        #expect(try counts.decode("ranges", as: Int.self) >= 10_000)
        let lookups: [PostgresQuery] = [
            "EXPLAIN (FORMAT JSON) SELECT ha1 FROM subscriber WHERE username = '0042' AND domain = 'site500.scale.example'",
            "EXPLAIN (FORMAT JSON) SELECT ha1b FROM subscriber WHERE username = '0042' AND domain = 'site500.scale.example'",
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM trusted_networks WHERE domain = 'site500.scale.example' AND inet '10.250.3.9' <<= network LIMIT 1",
        ]
        for lookup in lookups {
            let plan = try registrar.query(lookup)[0].decode("QUERY PLAN", as: String.self)
            #expect(!plan.contains("\"Seq Scan\""), "\(lookup.sql): \(plan)")
            #expect(plan.contains("Index"), "\(lookup.sql): \(plan)")
        }
    }
}

extension RegistrarViewTests {
    @Test("the views follow every change at once: PIN, access, ranges, deletions and a new SIP domain")
    func viewsFollowChanges() throws {
        let (database, registrar, _) = try fixture()
        defer { database.drop() }
        let app = try PostgresConnection(connectionString: database.appURL)
        func subscribers() throws -> [String] {
            try registrar.query("SELECT username || '@' || domain || ':' || ha1 AS entry FROM subscriber ORDER BY 1")
                .map {
                    try $0.decode("entry")
                }
        }
        func ha1(_ user: String, _ domain: String, _ pin: String) throws -> String {
            try TestPostgres.superuserQuery("SELECT md5(\(user + ":" + domain + ":" + pin)) AS h")[0].decode("h")
        }
        try app.query("UPDATE hotdesk.users SET hot_desk_pin = '7351' WHERE extension = '1001'")
        try app.query("UPDATE hotdesk.users SET hot_desk_access = true WHERE extension = '1002'")
        #expect(
            try subscribers() == [
                "1001@pbx.acme.example:" + ha1("1001", "pbx.acme.example", "7351"),
                "1002@pbx.acme.example:" + ha1("1002", "pbx.acme.example", "5937"),
            ])
        try app.query("UPDATE hotdesk.installs SET sip_domain = 'sip.acme.example'")
        #expect(
            try subscribers() == [
                "1001@sip.acme.example:" + ha1("1001", "sip.acme.example", "7351"),
                "1002@sip.acme.example:" + ha1("1002", "sip.acme.example", "5937"),
            ])
        let domains = try registrar.query("SELECT DISTINCT domain FROM trusted_networks")
        #expect(try domains.map { try $0.decode("domain", as: String.self) } == ["sip.acme.example"])
        try app.query("UPDATE hotdesk.users SET hot_desk_pin = NULL WHERE extension = '1001'")
        try app.query("DELETE FROM hotdesk.users WHERE extension = '1002'")
        try app.query("DELETE FROM hotdesk.trusted_networks")
        #expect(try subscribers().isEmpty)
        #expect(
            try registrar.query("SELECT count(*)::int AS n FROM trusted_networks")[0].decode("n", as: Int.self) == 0)
    }
}

extension PostgresQuery.StringInterpolation {
    /// A fixed view name from the test itself (identifiers cannot be bind parameters).
    mutating func appendInterpolation(unsafeViewName name: String) {
        precondition(["subscriber", "address", "trusted_networks", "version", "login_policy"].contains(name))
        appendLiteral(name)
    }
}

import PostgresClient
import TestSupport
import Testing

/// The database's own constraints, straight in SQL: the last line of defence behind the portal's checks.
@Suite("Schema constraints")
struct SchemaConstraintTests {
    /// A migrated database with one organization and one install, and a connection as the runtime role.
    func fixture() throws -> (TestDatabase, PostgresConnection, installID: Int) {
        let database = try TestPostgres.makeDatabase()
        let connection = try PostgresConnection(connectionString: database.appURL)
        let organization = try connection.query(
            "INSERT INTO hotdesk.organizations (name) VALUES (\("Acme")) RETURNING id")[0].decode("id", as: Int.self)
        let install = try connection.query(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
            VALUES (\(organization), \("Head office"), \("pbx.acme.example")) RETURNING id
            """)[0].decode("id", as: Int.self)
        return (database, connection, install)
    }

    private func refusedByCheck(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch let error as PostgresError {
            return error.sqlState == .checkViolation || error.sqlState == .invalidTextRepresentation
        } catch {
            return false
        }
    }

    @Test(
        "a PIN must be exactly four ASCII digits",
        arguments: ["123", "12345", "١٢٣٤", "１２３４", "¹²³⁴", "12a4", " 123", "", "12 4"])
    func pinConstraint(_ pin: String) throws {
        let (database, connection, install) = try fixture()
        defer { database.drop() }
        #expect(
            refusedByCheck {
                try connection.query(
                    """
                    INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_pin)
                    VALUES (\(install), \("1001"), \("Ann"), \(pin))
                    """)
            })
    }

    @Test("an extension must be exactly four ASCII digits", arguments: ["100", "10001", "١٠٠١", "１００１", "10a1"])
    func extensionConstraint(_ extensionText: String) throws {
        let (database, connection, install) = try fixture()
        defer { database.drop() }
        #expect(
            refusedByCheck {
                try connection.query(
                    """
                    INSERT INTO hotdesk.users (install_id, extension, display_name)
                    VALUES (\(install), \(extensionText), \("Ann"))
                    """)
            })
    }

    @Test("a valid user is accepted and its extension is unique within the install")
    func validUserAndUniqueExtension() throws {
        let (database, connection, install) = try fixture()
        defer { database.drop() }
        try connection.query(
            """
            INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
            VALUES (\(install), \("0042"), \("Ann"), true, \("0815"))
            """)
        #expect {
            try connection.query(
                "INSERT INTO hotdesk.users (install_id, extension, display_name) VALUES (\(install), \("0042"), \("Bo"))"
            )
        } throws: { error in
            (error as? PostgresError)?.sqlState == .uniqueViolation
        }
    }

    @Test(
        "trusted networks refuse IPv6, host bits, and multicast or reserved space",
        arguments: ["2001:db8::/32", "::1/128", "192.168.1.10/24", "224.0.0.0/4", "240.0.0.0/4", "239.1.2.0/24"])
    func networkConstraint(_ network: String) throws {
        let (database, connection, install) = try fixture()
        defer { database.drop() }
        #expect(
            refusedByCheck {
                try connection.query(
                    """
                    INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                    VALUES (\(install), \(network)::cidr, \("Office"))
                    """)
            })
    }

    @Test("a valid IPv4 range is accepted once per install")
    func validNetworkOncePerInstall() throws {
        let (database, connection, install) = try fixture()
        defer { database.drop() }
        let insert: PostgresQuery = """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(install), \("192.168.1.0/24")::cidr, \("Office"))
            """
        try connection.query(insert)
        #expect {
            try connection.query(insert)
        } throws: { error in
            (error as? PostgresError)?.sqlState == .uniqueViolation
        }
    }

    @Test(
        "the SIP domain must be a lowercase host name and unique",
        arguments: ["", "-bad.example", "UPPER.example", "a..b", "sp ace.example", "x_y.example"])
    func sipDomainConstraint(_ domain: String) throws {
        let (database, connection, _) = try fixture()
        defer { database.drop() }
        let organization = try connection.query("SELECT id FROM hotdesk.organizations")[0].decode("id", as: Int.self)
        #expect(
            refusedByCheck {
                try connection.query(
                    "INSERT INTO hotdesk.installs (organization_id, name, sip_domain) VALUES (\(organization), \("X"), \(domain))"
                )
            })
        #expect {
            try connection.query(
                """
                INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                VALUES (\(organization), \("Again"), \("pbx.acme.example"))
                """)
        } throws: { error in
            (error as? PostgresError)?.sqlState == .uniqueViolation
        }
    }

    @Test("the runtime role reads and writes data but cannot change the schema")
    func runtimeRoleHasNoDDL() throws {
        let (database, connection, _) = try fixture()
        defer { database.drop() }
        for statement: PostgresQuery in [
            "CREATE TABLE hotdesk.intruder (id int)",
            "ALTER TABLE hotdesk.users ADD COLUMN intruder int",
            "DROP TABLE hotdesk.trusted_networks",
            "DELETE FROM hotdesk.schema_migrations",
        ] {
            #expect {
                try connection.query(statement)
            } throws: { error in
                (error as? PostgresError)?.sqlState == .insufficientPrivilege
            }
        }
    }
}

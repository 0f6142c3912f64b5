import PostgresClient
import TestSupport
import Testing

/// The handset settings table's own rules, straight in SQL as the portal's role: every install has its
/// row with the article's defaults, and values the portal would refuse are refused here too.
extension SchemaConstraintTests {
    @Test("a new install gets its row: key 3, Hot Desking, prompt hidden, 500 s, no token, provisioning off")
    func handsetDefaultsRow() throws {
        let (database, connection, install) = try fixture()
        defer { database.drop() }
        let row = try connection.query("SELECT * FROM hotdesk.handset_settings WHERE install_id = \(install)")[0]
        #expect(try row.decode("line_key", as: Int.self) == 3)
        #expect(try row.decode("key_label", as: String.self) == "Hot Desking")
        #expect(try row.decode("hide_server_prompt", as: Bool.self))
        #expect(try row.decode("registration_expiry", as: Int.self) == 500)
        #expect(try row.decode("sip_server", as: String?.self) == nil)
        #expect(try row.decode("provisioning_token", as: String?.self) == nil)
        #expect(try !row.decode("provisioning_enabled", as: Bool.self))
    }

    @Test(
        "handset values the forms refuse are refused by the table",
        arguments: [
            "line_key = 0", "line_key = 28", "handset_family = 't38', line_key = 7", "registration_expiry = 601",
            "registration_expiry = 59", "key_label = E'Hot\\nDesking'", "key_label = repeat('x', 33)", "key_label = ''",
            "sip_port = 0", "sip_port = 65536", "sip_transport = 'sctp'", "sip_server = 'pbx'",
            "sip_server = 'PBX.example.com'",
            "handset_family = 't99'", "provisioning_enabled = true",
            "provisioning_token = repeat('a', 43), provisioning_token_hash = repeat('0', 64)",
            "provisioning_token = 'short', provisioning_token_hash = encode(sha256('short'), 'hex')",
        ])
    func handsetValuesRefused(_ assignment: String) throws {
        let (database, connection, _) = try fixture()
        defer { database.drop() }
        do {
            // The assignments are this test's fixed arguments; the one install's row is the only row.
            try connection.query(PostgresQuery(stringLiteral: "UPDATE hotdesk.handset_settings SET " + assignment))
            Issue.record("accepted \(assignment)")
        } catch {
            #expect(error.sqlState == .checkViolation, "\(assignment): \(error)")
        }
    }

    @Test("a token whose stored hash is its SHA-256 is accepted")
    func handsetTokenWithItsHash() throws {
        let (database, connection, install) = try fixture()
        defer { database.drop() }
        let token = String(repeating: "a", count: 43)
        try connection.query(
            """
            UPDATE hotdesk.handset_settings
            SET provisioning_token = \(token), provisioning_token_hash = encode(sha256(convert_to(\(token), 'UTF8')), 'hex'),
                provisioning_enabled = true
            WHERE install_id = \(install)
            """)
    }
}

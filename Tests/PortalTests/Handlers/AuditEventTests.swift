import Foundation
import HotDesk
import PostgresClient
import TestSupport
import Testing
import WebServer

@Suite("Audit: every account action writes exactly one event with the right fields")
struct AuditEventTests {
    /// Checks the one event with `action`: who did it, from where, to which account, with which result and changes.
    private func expectOneEvent(
        _ action: String, in fixture: AccountFixture, actor: String, target: Int, result: String = "success",
        changes: [String: [String: String?]] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let events = try fixture.harness.auditEvents(action: action)
        try #require(events.count == 1, "\(action)", sourceLocation: sourceLocation)
        let event = events[0]
        let actorID = try fixture.harness.accountID(email: actor)
        #expect(try event.decode("request_id", as: String?.self)?.count == 16, sourceLocation: sourceLocation)
        #expect(
            try event.decode("organization_id", as: Int.self) == fixture.organization, sourceLocation: sourceLocation)
        #expect(try event.decode("account_id", as: Int.self) == actorID, sourceLocation: sourceLocation)
        #expect(try event.decode("account_email", as: String.self) == actor, sourceLocation: sourceLocation)
        #expect(try event.decode("source", as: String.self) == "127.0.0.1", sourceLocation: sourceLocation)
        #expect(try event.decode("target_type", as: String.self) == "account", sourceLocation: sourceLocation)
        #expect(try event.decode("target_id", as: Int.self) == target, sourceLocation: sourceLocation)
        #expect(try event.decode("result", as: String.self) == result, sourceLocation: sourceLocation)
        let json = try JSONSerialization.jsonObject(with: Data(try event.decode("changes", as: String.self).utf8))
        let recorded = (json as? [String: [String: Any]] ?? [:]).mapValues { values in
            values.mapValues { $0 as? String }
        }
        #expect(recorded == changes, sourceLocation: sourceLocation)
    }

    @Test(
        "created, changed, disabled, enabled, password reset and password changed: one event each, with actor, source, target and changes"
    )
    func everyActionIsAuditedOnce() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let admin = "admin@a.example"

        _ = try harness.post(
            "/accounts", session: fixture.administrator,
            fields: PortalHarness.newAccountFields(
                email: "audited@a.example", name: "Audited Person", installs: [fixture.secondInstall]))
        let id = try harness.accountID(email: "audited@a.example")
        // The fixture's own accounts were created outside a request; only the screen's creation counts here.
        let created = try harness.pool.query(
            "SELECT count(*)::int AS n FROM hotdesk.audit_events WHERE action = 'account.created' AND target_id = \(id)"
        )
        #expect(try created[0].decode("n", as: Int.self) == 1)
        let changes = try harness.pool.query(
            """
            SELECT account_email, changes::text AS changes FROM hotdesk.audit_events
            WHERE action = 'account.created' AND target_id = \(id)
            """)[0]
        #expect(try changes.decode("account_email", as: String.self) == admin)
        #expect(
            try changes.decode("changes", as: String.self).contains(
                "\"installs\": {\"after\": \"\(fixture.secondInstall)\""))

        func save(_ fields: [(String, String)]) throws {
            let version = String(try harness.accountVersion(id))
            #expect(
                try harness.post(
                    "/accounts/\(id)", session: fixture.administrator, fields: [("version", version)] + fields
                )
                .status == .seeOther)
        }
        try save([("role", "administrator")])
        try expectOneEvent(
            "account.changed", in: fixture, actor: admin, target: id,
            changes: [
                "role": ["before": "manager", "after": "administrator"],
                "installs": ["before": String(fixture.secondInstall), "after": ""],
            ])
        try save([("role", "administrator"), ("disabled", "on"), ("confirm", "yes")])
        try expectOneEvent(
            "account.disabled", in: fixture, actor: admin, target: id,
            changes: ["disabled": ["before": "false", "after": "true"]])
        try save([("role", "administrator")])
        try expectOneEvent(
            "account.enabled", in: fixture, actor: admin, target: id,
            changes: ["disabled": ["before": "true", "after": "false"]])

        let reset = try harness.post("/accounts/\(id)/password", session: fixture.administrator)
        try expectOneEvent("account.password_reset", in: fixture, actor: admin, target: id)

        let password = try #require(AccountCreationTests.shownPassword(in: reset))
        let own = try harness.signIn(email: "audited@a.example", password: password)
        _ = try harness.post(
            "/account/password", session: own,
            fields: [
                ("current_password", password), ("new_password", "my very own passphrase"),
                ("new_password_confirmation", "my very own passphrase"),
            ])
        try expectOneEvent("account.password_changed", in: fixture, actor: "audited@a.example", target: id)
        let secrets = try harness.pool.query(
            """
            SELECT count(*)::int AS n FROM hotdesk.audit_events
            WHERE changes::text LIKE '%' || \(password) || '%' OR changes::text LIKE '%my very own passphrase%'
            """)
        #expect(try secrets[0].decode("n", as: Int.self) == 0)
    }

    @Test("the portal's database role can add and read audit events but cannot alter or delete them")
    func portalRoleCannotAlterEvents() throws {
        let fixture = try AccountFixture()
        let connection = try PostgresConnection(connectionString: fixture.harness.database.appURL)
        let count: Int = try connection.query("SELECT count(*)::int AS n FROM hotdesk.audit_events")[0].decode("n")
        #expect(count > 0)
        #expect(throws: PostgresError.self) {
            try connection.query("UPDATE hotdesk.audit_events SET action = 'sign_out'")
        }
        #expect(throws: PostgresError.self) { try connection.query("DELETE FROM hotdesk.audit_events") }
        #expect(throws: PostgresError.self) { try connection.query("TRUNCATE hotdesk.audit_events") }
        let after: Int = try connection.query("SELECT count(*)::int AS n FROM hotdesk.audit_events")[0].decode("n")
        #expect(after == count)
    }
}

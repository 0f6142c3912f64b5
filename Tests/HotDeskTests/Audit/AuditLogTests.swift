import Foundation
import HotDesk
import PostgresClient
import TestSupport
import Testing

@Suite("Audit log: append-only storage and reading it back")
struct AuditLogTests {
    /// A migrated database with two organizations (the first with two installs), and a connection as the
    /// portal's runtime role.
    private struct Fixture {
        let database: TestDatabase
        let connection: PostgresConnection
        let organization: Int
        let other: Int
        let installs: [Int]

        init() throws {
            database = try TestPostgres.makeDatabase()
            let connection = try PostgresConnection(connectionString: database.appURL)
            self.connection = connection
            let organization = try OrganizationStore().findOrCreate(name: "Acme", on: connection)
            self.organization = organization
            other = try OrganizationStore().findOrCreate(name: "Other", on: connection)
            installs = try ["Head office", "Warehouse"].enumerated().map { offset, name in
                try connection.query(
                    """
                    INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                    VALUES (\(organization), \(name), \("pbx\(offset).acme.example")) RETURNING id
                    """)[0].decode("id")
            }
        }

        func record(
            _ action: String, organization: Int? = nil, install: Int? = nil, changes: [AuditChange] = [],
            result: AuditResult = .success
        ) throws {
            try AuditLog.record(
                AuditEvent(
                    action: action, result: result, organizationID: organization ?? self.organization,
                    installID: install,
                    targetType: "user", targetID: 1, targetLabel: "2001", changes: changes),
                context: AuditContext(requestID: "0123456789abcdef", actor: nil, sourceAddress: "203.0.113.9"),
                on: connection)
        }
    }

    @Test("the portal's role can insert and read events but cannot update, delete or truncate them")
    func eventsAreAppendOnly() throws {
        let fixture = try Fixture()
        defer { fixture.database.drop() }
        try fixture.record("user.created")
        let connection = fixture.connection
        for statement: PostgresQuery in [
            "UPDATE hotdesk.audit_events SET result = 'failure'", "DELETE FROM hotdesk.audit_events",
            "TRUNCATE hotdesk.audit_events",
        ] {
            #expect(throws: PostgresError.self, "\(statement.sql)") { try connection.query(statement) }
        }
        let page = try AuditLog.page(AuditQuery(organizationID: fixture.organization), on: connection)
        #expect(page.entries.map(\.result) == [.success])
    }

    @Test("a page reads one organization's events newest first, with every recorded field")
    func pageReadsEveryField() throws {
        let fixture = try Fixture()
        defer { fixture.database.drop() }
        try fixture.record("user.created", install: fixture.installs[0])
        try fixture.record(
            "user.changed", install: fixture.installs[0],
            changes: [AuditChange("name", from: "Ann", to: "Anna"), AuditChange("pin", from: nil, to: "set")],
            result: .refused)
        try fixture.record("user.created", organization: fixture.other)
        let page = try AuditLog.page(AuditQuery(organizationID: fixture.organization), on: fixture.connection)
        #expect(page.entries.map(\.action) == ["user.changed", "user.created"])
        #expect(page.olderBefore == nil)
        let newest = try #require(page.entries.first)
        #expect(newest.installName == "Head office")
        #expect(newest.installID == fixture.installs[0])
        #expect(newest.sourceAddress == "203.0.113.9")
        #expect(newest.requestID == "0123456789abcdef")
        #expect(newest.accountEmail == nil && newest.accountID == nil)
        #expect(newest.targetType == "user" && newest.targetID == 1 && newest.targetLabel == "2001")
        #expect(newest.result == .refused)
        #expect(
            newest.changes == [AuditChange("name", from: "Ann", to: "Anna"), AuditChange("pin", from: nil, to: "set")])
        #expect(abs(newest.occurredAt.timeIntervalSinceNow) < 60)
    }

    @Test("filters by install and action combine, and keyset pages cut by id without gaps or repeats")
    func filtersAndPages() throws {
        let fixture = try Fixture()
        defer { fixture.database.drop() }
        for number in 0..<7 {
            try fixture.record(
                number.isMultiple(of: 2) ? "user.created" : "user.deleted", install: fixture.installs[number % 2])
        }
        let connection = fixture.connection
        let byInstall = try AuditLog.page(
            AuditQuery(organizationID: fixture.organization, installID: fixture.installs[0]), on: connection)
        #expect(byInstall.entries.count == 4 && byInstall.entries.allSatisfy { $0.installID == fixture.installs[0] })
        let combined = try AuditLog.page(
            AuditQuery(organizationID: fixture.organization, installID: fixture.installs[1], action: "user.deleted"),
            on: connection)
        #expect(combined.entries.count == 3)
        let foreign = try AuditLog.page(
            AuditQuery(organizationID: fixture.other, installID: fixture.installs[0]), on: connection)
        #expect(foreign.entries.isEmpty)

        var seen: [Int] = []
        var query = AuditQuery(organizationID: fixture.organization, limit: 3)
        while true {
            let page = try AuditLog.page(query, on: connection)
            seen += page.entries.map(\.id)
            guard let before = page.olderBefore else { break }
            query.before = before
        }
        #expect(seen.count == 7)
        #expect(seen == seen.sorted(by: >))
    }

    @Test("the actions list names each recorded action of the organization once, in order")
    func actionsAreDistinct() throws {
        let fixture = try Fixture()
        defer { fixture.database.drop() }
        for action in ["user.deleted", "sign_in", "user.deleted", "account.created", "sign_in"] {
            try fixture.record(action)
        }
        try fixture.record("trusted_range.added", organization: fixture.other)
        #expect(
            try AuditLog.actions(organizationID: fixture.organization, on: fixture.connection)
                == ["account.created", "sign_in", "user.deleted"])
        #expect(try AuditLog.actions(organizationID: 0, on: fixture.connection).isEmpty)
    }

    @Test("action filters accept only lowercase letters, dots and underscores, up to 64 characters")
    func actionNames() {
        #expect(AuditQuery.isActionName("account.password_reset"))
        for bad in ["", "Account.created", "user created", "user-created", "ｕser", String(repeating: "a", count: 65)] {
            #expect(!AuditQuery.isActionName(bad), "\(bad)")
        }
    }

    @Test("visible text spells out control, direction and zero-width characters and doubles backslashes")
    func visibleText() {
        #expect(AuditText.visible("plain Ann Smith, ünïcödé") == "plain Ann Smith, ünïcödé")
        #expect(AuditText.visible("a\u{7}b\nc\u{7F}d\u{85}") == #"a\u0007b\u000Ac\u007Fd\u0085"#)
        #expect(AuditText.visible("\u{202E}evil\u{200B}\u{2028}") == #"\u202Eevil\u200B\u2028"#)
        #expect(AuditText.visible(#"C:\temp \u0007"#) == #"C:\\temp \\u0007"#)
    }
}

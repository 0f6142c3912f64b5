import Crypto
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import HotDesk

@Suite("Read cache: kept reads dropped by a change to what they were read from, from this process or elsewhere")
struct ReadCacheTests {
    /// A migrated database (its tables announce changes), a listening feed, a pool that reports to it, and the
    /// database as operations use it; `reads` counts the reads the cache let through.
    final class Fixture: @unchecked Sendable {
        let database: TestDatabase
        let changes: ChangeFeed
        let pool: PostgresPool
        let access: Database
        var reads = 0
        let organization: Int
        let installs: [Int]
        let account: Int

        var cache: ReadCache { changes.cache }

        init(lifetime: Duration = .seconds(60)) throws {
            database = try TestPostgres.makeDatabase()
            changes = try database.listeningChangeFeed(capacity: 100, lifetime: lifetime)
            let pool = try database.appPool(observer: changes)
            self.pool = pool
            access = Database(pool: pool, changes: changes, logger: TestPostgres.logger)
            let organization = try pool.withConnection { try OrganizationStore().findOrCreate(name: "Org", on: $0) }
            self.organization = organization
            installs = try (0..<2).map { index in
                try pool.query(
                    """
                    INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                    VALUES (\(organization), \("Install \(index)"), \("pbx\(index).example.com")) RETURNING id
                    """)[0].decode("id")
            }
            let hash = Argon2id.hash("not used to sign in", operations: 1, memoryLimit: 8 * 1024 * 1024)
            account = try pool.query(
                """
                INSERT INTO hotdesk.accounts (organization_id, email, display_name, password_hash, role)
                VALUES (\(organization), 'a@example.com', 'A', \(hash), 'administrator') RETURNING id
                """)[0].decode("id")
        }

        deinit {
            changes.stop()
            pool.close()
            database.drop()
        }

        /// The value kept for `key`, read from `scopes`: the number of reads so far, kept for `lifetime`.
        func value(
            _ key: String, scopes: [ChangeScope], lifetime: Duration = .seconds(60), during: () throws -> Void = {}
        ) throws -> Int {
            try cache.value(for: key) {
                reads += 1
                try during()
                return (reads, scopes, lifetime)
            }
        }

        /// Waits until `condition` holds, at most `seconds`.
        func eventually(within seconds: Double = 3, _ condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while !(try condition()) {
                if Date() > deadline { return false }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return true
        }
    }

    @Test("a change an operation declares drops the reads of its scopes before it returns, and only those")
    func declaredChangeDropsOnlyItsScopes() throws {
        let fixture = try Fixture()
        let (first, second) = (fixture.installs[0], fixture.installs[1])
        #expect(try fixture.value("first", scopes: [.install(first)]) == 1)
        #expect(try fixture.value("second", scopes: [.install(second)]) == 2)
        #expect(try fixture.value("first", scopes: [.install(first)]) == 1)
        try fixture.access.write(changing: [.install(first)]) { connection in
            try connection.query("UPDATE hotdesk.installs SET name = 'Renamed' WHERE id = \(first)")
        }
        #expect(try fixture.value("first", scopes: [.install(first)]) == 3)
        #expect(try fixture.value("second", scopes: [.install(second)]) == 2)
        // The trigger's notification of that change comes from this process's own pool: it is not news, so
        // the entries read since stay.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try fixture.value("first", scopes: [.install(first)]) == 3)
        #expect(fixture.cache.statistics == ReadCache.Statistics(hits: 3, misses: 3))
    }

    @Test(
        "a change made on another connection is announced with its scope and drops the reads of that scope only",
        arguments: [
            ("UPDATE hotdesk.users SET display_name = 'x' WHERE install_id = $INSTALL", "install"),
            (
                "INSERT INTO hotdesk.users (install_id, extension, display_name) VALUES ($INSTALL, '0042', 'N')",
                "install"
            ),
            (
                "INSERT INTO hotdesk.trusted_networks (install_id, network, description) VALUES ($INSTALL, '192.0.2.0/24', 'd')",
                "install"
            ),
            ("UPDATE hotdesk.installs SET name = 'x' WHERE id = $INSTALL", "install"),
            ("UPDATE hotdesk.accounts SET display_name = 'x' WHERE id = $ACCOUNT", "account"),
            (
                "INSERT INTO hotdesk.manager_installs (organization_id, account_id, install_id) VALUES ($ORGANIZATION, $ACCOUNT, $INSTALL)",
                "account"
            ),
            ("DELETE FROM hotdesk.sessions WHERE account_id = $ACCOUNT", "account"),
        ])
    func changeElsewhereDropsItsScope(statement: String, kind: String) throws {
        let fixture = try Fixture()
        let (install, other) = (fixture.installs[0], fixture.installs[1])
        try fixture.pool.query(
            """
            INSERT INTO hotdesk.users (install_id, extension, display_name) VALUES (\(install), '0001', 'U');
            """)
        try fixture.pool.query(
            """
            INSERT INTO hotdesk.sessions (token_hash, csrf_token, account_id)
            VALUES (repeat('a', 64), repeat('c', 43), \(fixture.account))
            """)
        let touched: ChangeScope = kind == "install" ? .install(install) : .account(fixture.account)
        let untouched: ChangeScope = kind == "install" ? .install(other) : .install(install)
        let keptTouched = try fixture.value("touched", scopes: [touched])
        let keptOther = try fixture.value("other", scopes: [untouched])
        let sql = statement.replacingOccurrences(of: "$INSTALL", with: String(install))
            .replacingOccurrences(of: "$ACCOUNT", with: String(fixture.account))
            .replacingOccurrences(of: "$ORGANIZATION", with: String(fixture.organization))
        let elsewhere = try PostgresConnection(connectionString: fixture.database.appURL)
        try elsewhere.runScript(sql)
        #expect(try fixture.eventually { try fixture.value("touched", scopes: [touched]) != keptTouched }, "\(sql)")
        #expect(try fixture.value("other", scopes: [untouched]) == keptOther, "\(sql) leaves other reads")
    }

    @Test("a write through the pool that no operation declared drops every kept read")
    func undeclaredWriteDropsEverything() throws {
        let fixture = try Fixture()
        #expect(try fixture.value("first", scopes: [.install(fixture.installs[0])]) == 1)
        _ = try fixture.pool.query("SELECT count(*) AS n FROM hotdesk.installs")
        #expect(try fixture.value("first", scopes: [.install(fixture.installs[0])]) == 1, "a read changes nothing")
        try fixture.pool.query("UPDATE hotdesk.organizations SET name = name")
        #expect(try fixture.value("first", scopes: [.install(fixture.installs[0])]) == 2)
    }

    @Test("TRUNCATE and a notification naming no scope drop everything")
    func unscopedChangesDropEverything() throws {
        let fixture = try Fixture()
        let elsewhere = try PostgresConnection(connectionString: fixture.database.ownerURL)
        for sql in ["NOTIFY hotdesk_changes, 'bench'", "TRUNCATE hotdesk.sessions"] {
            let kept = try fixture.value("account", scopes: [.account(fixture.account)])
            try elsewhere.runScript(sql)
            #expect(
                try fixture.eventually { try fixture.value("account", scopes: [.account(fixture.account)]) != kept },
                "\(sql)")
        }
    }

    @Test("a read during which its scope changed is not kept; one during which another scope changed is")
    func readRacingAChangeIsNotKept() throws {
        let fixture = try Fixture()
        let (first, second) = (fixture.installs[0], fixture.installs[1])
        #expect(
            try fixture.value(
                "first", scopes: [.install(first)], during: { fixture.cache.invalidate([.install(first)]) }) == 1)
        #expect(try fixture.value("first", scopes: [.install(first)]) == 2)
        #expect(try fixture.value("first", scopes: [.install(first)]) == 2)
        #expect(
            try fixture.value(
                "second", scopes: [.install(second)], during: { fixture.cache.invalidate([.install(first)]) }) == 3)
        #expect(try fixture.value("second", scopes: [.install(second)]) == 3)
    }

    @Test("an entry lives no longer than its lifetime or the cache's, and one with no lifetime is not kept")
    func lifetimeBoundsEntries() throws {
        let fixture = try Fixture(lifetime: .milliseconds(200))
        let scope = [ChangeScope.install(fixture.installs[0])]
        #expect(try fixture.value("page", scopes: scope, lifetime: .milliseconds(50)) == 1)
        #expect(try fixture.value("page", scopes: scope, lifetime: .milliseconds(50)) == 1)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try fixture.value("page", scopes: scope, lifetime: .zero) == 2)
        #expect(try fixture.value("page", scopes: scope) == 3)
        Thread.sleep(forTimeInterval: 0.25)
        #expect(try fixture.value("page", scopes: scope) == 4, "the cache's own lifetime caps the read's")
    }

    @Test("while the listening connection is down nothing is served from memory; it comes back by itself")
    func lostListenerTurnsCachingOff() throws {
        let fixture = try Fixture()
        let scope = [ChangeScope.install(fixture.installs[0])]
        #expect(try fixture.value("page", scopes: scope) == 1)
        _ = try TestPostgres.superuserQuery(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'hotdesk-changes' AND datname = \(fixture.database.name)
            """)
        #expect(fixture.eventually { !fixture.changes.isListening })
        // Whether or not it is back yet, the entry read before the loss is gone.
        #expect(try fixture.value("page", scopes: scope) == 2)
        #expect(fixture.eventually(within: 5) { fixture.changes.isListening })
        let kept = try fixture.value("page", scopes: scope)
        #expect(try fixture.value("page", scopes: scope) == kept, "kept again once listening")
    }
}

import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("Read cache: kept reads dropped by any change, from this process or from elsewhere")
struct ReadCacheTests {
    /// A migrated database (its tables announce changes), a listening feed, a pool that reports to it and a
    /// cache; `reads` counts the reads the cache let through.
    final class Fixture: @unchecked Sendable {
        let database: TestDatabase
        let changes: ChangeFeed
        let pool: PostgresPool
        let cache: ReadCache
        var reads = 0

        init() throws {
            database = try TestPostgres.makeDatabase()
            changes = try database.listeningChangeFeed()
            pool = try database.appPool(changes: changes)
            cache = ReadCache(changes: changes, capacity: 100)
        }

        deinit {
            changes.stop()
            pool.close()
            database.drop()
        }

        /// The cached value for `key`: the number of reads so far, kept for `lifetime`.
        func value(_ key: String = "page", lifetime: Duration = .seconds(60), during: () throws -> Void = {}) throws -> Int {
            try cache.value(for: key) {
                reads += 1
                try during()
                return (reads, lifetime)
            }
        }

        /// Waits until `condition` holds, at most `seconds`.
        func eventually(within seconds: Double = 3, _ condition: () -> Bool) -> Bool {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while !condition() {
                if Date() > deadline { return false }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return true
        }
    }

    @Test("a read is kept until a change made through the pool, which drops it before the connection is back")
    func changeThroughThePoolDropsEntries() throws {
        let fixture = try Fixture()
        #expect(try fixture.value() == 1)
        #expect(try fixture.value() == 1)
        #expect(try fixture.value("other") == 2)
        // A read through the pool changes nothing.
        _ = try fixture.pool.query("SELECT count(*) AS n FROM hotdesk.installs")
        #expect(try fixture.value() == 1)
        try fixture.pool.query("UPDATE hotdesk.organizations SET name = name WHERE false")
        #expect(try fixture.value() == 3)
        #expect(fixture.cache.statistics == ReadCache.Statistics(hits: 2, misses: 3))
    }

    @Test("a change made on another connection reaches the feed as a notification and drops the entries")
    func changeElsewhereDropsEntries() throws {
        let fixture = try Fixture()
        #expect(try fixture.value() == 1)
        let before = fixture.changes.generation
        let elsewhere = try PostgresConnection(connectionString: fixture.database.appURL)
        for statement: PostgresQuery in [
            "UPDATE hotdesk.users SET display_name = display_name WHERE false",
            "UPDATE hotdesk.installs SET name = name WHERE false",
            "DELETE FROM hotdesk.sessions WHERE false",
            "UPDATE hotdesk.accounts SET disabled = disabled WHERE false",
            "DELETE FROM hotdesk.manager_installs WHERE false",
        ] {
            let generation = fixture.changes.generation
            try elsewhere.query(statement)
            #expect(fixture.eventually { fixture.changes.generation != generation }, "\(statement.sql) is announced")
        }
        #expect(fixture.changes.generation != before)
        #expect(try fixture.value() == 2)
    }

    @Test("a change made through the pool counts once: the notification its own statement sends is not counted again")
    func ownNotificationsAreNotCountedTwice() throws {
        let fixture = try Fixture()
        let before = fixture.changes.generation
        try fixture.pool.query("UPDATE hotdesk.users SET version = version WHERE false")
        #expect(fixture.changes.generation == before + 1)
        // The trigger's notification arrives within milliseconds; another writer's arrives too, and counts.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(fixture.changes.generation == before + 1)
        let elsewhere = try PostgresConnection(connectionString: fixture.database.appURL)
        try elsewhere.query("UPDATE hotdesk.users SET version = version WHERE false")
        #expect(fixture.eventually { fixture.changes.generation == before + 2 })
    }

    @Test("a read during which something changed is not kept")
    func readRacingAChangeIsNotKept() throws {
        let fixture = try Fixture()
        #expect(try fixture.value(during: { try fixture.pool.query("UPDATE hotdesk.users SET version = version WHERE false") }) == 1)
        #expect(try fixture.value() == 2)
        #expect(try fixture.value() == 2)
    }

    @Test("an entry lives no longer than its lifetime, and one with no lifetime is not kept")
    func lifetimeBoundsEntries() throws {
        let fixture = try Fixture()
        #expect(try fixture.value(lifetime: .milliseconds(50)) == 1)
        #expect(try fixture.value(lifetime: .milliseconds(50)) == 1)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try fixture.value(lifetime: .zero) == 2)
        #expect(try fixture.value() == 3)
    }

    @Test("while the listening connection is down nothing is served from memory; it comes back by itself")
    func lostListenerTurnsCachingOff() throws {
        let fixture = try Fixture()
        #expect(try fixture.value() == 1)
        _ = try TestPostgres.superuserQuery(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'hotdesk-changes' AND datname = \(fixture.database.name)
            """)
        #expect(fixture.eventually { !fixture.changes.isListening })
        // Whether or not it is back yet, the entry read before the loss is gone.
        #expect(try fixture.value() == 2)
        #expect(fixture.eventually(within: 5) { fixture.changes.isListening })
        let kept = try fixture.value()
        #expect(try fixture.value() == kept, "kept again once listening")
    }
}

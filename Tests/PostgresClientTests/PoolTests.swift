import Foundation
import PostgresClient
import Synchronization
import TestSupport
import Testing

@Suite("Connection pool")
struct PoolTests {
    @Test("many threads share a small pool and every query gets its own answer")
    func concurrentQueriesFromManyThreads() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let pool = try database.appPool(maximumConnections: 4, acquireTimeout: .seconds(20))
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 32) { thread in
            for round in 0..<25 {
                let expected = thread * 1000 + round
                do {
                    let rows = try pool.query("SELECT \(expected)::int + 0 AS value, pg_backend_pid() AS pid")
                    let value = try rows[0].decode("value", as: Int.self)
                    if value != expected { failures.withLock { $0.append("\(expected) came back as \(value)") } }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(pool.statistics.open <= 4)
    }

    @Test("a caller that cannot get a connection in time gets poolTimeout, not a hang")
    func exhaustedPoolTimesOut() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let pool = try database.appPool(maximumConnections: 1, acquireTimeout: .milliseconds(300))
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? pool.withConnection { _ in
                holding.signal()
                release.wait()
            }
        }
        holder.start()
        holding.wait()
        let started = Date()
        #expect {
            try pool.query("SELECT 1")
        } throws: { error in
            (error as? PostgresError)?.kind == .poolTimeout && (error as? PostgresError)?.isUnavailable == true
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.25 && waited < 3)
        release.signal()
        // Once the connection is back the pool serves again.
        let rows = try pool.query("SELECT 7 AS seven")
        #expect(try rows[0].decode("seven", as: Int.self) == 7)
    }

    @Test("a backend terminated while idle is replaced on the next query")
    func terminatedIdleBackendIsReplaced() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let pool = try database.appPool(maximumConnections: 1)
        let firstPID = try pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
        let terminated = try TestPostgres.superuserQuery("SELECT pg_terminate_backend(\(firstPID), 5000) AS done")
        #expect(try terminated[0].decode("done", as: Bool.self))
        let secondPID = try pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
        #expect(secondPID != firstPID)
        #expect(pool.statistics.open == 1)
    }

    @Test("a backend terminated mid-query surfaces connectionLost and the pool recovers")
    func terminatedBusyBackendReportsLostConnection() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let pool = try database.appPool(maximumConnections: 1)
        let pid = try pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
        let killer = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            _ = try? TestPostgres.superuserQuery("SELECT pg_terminate_backend(\(pid))")
        }
        killer.start()
        #expect {
            try pool.query("SELECT pg_sleep(5)")
        } throws: { error in
            guard let error = error as? PostgresError else { return false }
            return error.kind == .connectionLost && error.isUnavailable
        }
        #expect(try pool.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
    }

    @Test("a database that cannot be reached fails fast with connectionFailed")
    func unreachableDatabaseFailsFast() throws {
        let pool = try PostgresPool(
            configuration: .init(connectionString: TestPostgres.url(database: "no_such_database", role: "hotdesk_app")),
            logger: TestPostgres.logger)
        let started = Date()
        #expect {
            try pool.query("SELECT 1")
        } throws: { error in
            (error as? PostgresError)?.kind == .connectionFailed
        }
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(pool.statistics.open == 0)
    }

    @Test("a closed pool refuses new work")
    func closedPoolRefuses() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let pool = try database.appPool()
        try pool.query("SELECT 1")
        pool.close()
        #expect(pool.statistics.open == 0)
        #expect {
            try pool.query("SELECT 1")
        } throws: { error in
            (error as? PostgresError)?.kind == .poolClosed
        }
    }
}

import Foundation
import PostgresClient
import Synchronization
import TestSupport
import Testing

extension Resilience {
    /// Every pooled connection stuck in a slow query (a test connection holds a lock the portal's queries
    /// wait for), while other users keep asking for pages.
    @Suite struct PoolExhaustionTests {
        @Test func exhaustedPoolAnswers503AfterTheConfiguredWaitAndRecoversWhenQueriesFinish() throws {
            let cluster = try PrivateCluster()
            let fixture = try LoadFixture.seed(cluster, installCount: 1)
            let portal = try PortalProcess(cluster: cluster, options: ["--pool-size", "2", "--pool-timeout", "1"])
            let usersTab = "/installs/\(fixture.installs[0].id)/users"
            let stuck = [Browser(port: portal.port), Browser(port: portal.port)]
            let other = Browser(port: portal.port)
            for browser in stuck + [other] { try browser.signIn(email: fixture.email, password: fixture.password) }

            let locker = try cluster.ownerConnection()
            try locker.query("BEGIN")
            try locker.query("LOCK TABLE hotdesk.users IN ACCESS EXCLUSIVE MODE")
            var lockHeld = true
            defer { if lockHeld { _ = try? locker.query("ROLLBACK") } }
            let stuckAnswers = Mutex<[Int]>([])
            let finished = DispatchGroup()
            for browser in stuck {
                finished.enter()
                Thread {
                    let status = (try? browser.get(usersTab).statusCode) ?? 0
                    stuckAnswers.withLock { $0.append(status) }
                    finished.leave()
                }.start()
            }
            try Self.waitForLockWaits(2, on: PostgresConnection(connectionString: cluster.url(role: "postgres")))

            let start = Date()
            let refused = try other.get("/telephony")
            let waited = Date().timeIntervalSince(start)
            let fileStart = Date()
            let file = try other.get("/static/hotdesk.css")
            let fileSeconds = Date().timeIntervalSince(fileStart)

            try locker.query("COMMIT")
            lockHeld = false
            let released = finished.wait(timeout: .now() + 10)
            let afterwards = try other.get("/telephony")
            print(
                String(
                    format: "pool exhaustion: 503 after %.2f s (pool timeout 1 s); a static file meanwhile in %.1f ms; "
                        + "the stuck requests answered %@ once the lock was released",
                    waited, fileSeconds * 1000, "\(stuckAnswers.withLock { $0 })"))

            #expect(refused.statusCode == 503)
            #expect(refused.headers["Retry-After"] != nil)
            #expect(refused.bodyText.contains("every database connection is in use"))
            #expect(waited >= 0.9 && waited < 3, "waited \(waited) s for a 1 s pool timeout")
            #expect(file.statusCode == 200 && fileSeconds < 1)
            #expect(released == .success)
            #expect(stuckAnswers.withLock { $0 } == [200, 200])
            #expect(afterwards.statusCode == 200)
            let warnings = portal.log().split(separator: "\n").filter { $0.contains("database pool exhausted") }
            #expect(warnings.count == 1)
        }

        @Test func queryStuckPastTheStatementTimeoutAnswers503InsteadOfHanging() throws {
            let cluster = try PrivateCluster()
            let fixture = try LoadFixture.seed(cluster, installCount: 1)
            let portal = try PortalProcess(cluster: cluster, options: ["--statement-timeout", "2"])
            let usersTab = "/installs/\(fixture.installs[0].id)/users"
            let browser = Browser(port: portal.port)
            try browser.signIn(email: fixture.email, password: fixture.password)

            let locker = try cluster.ownerConnection()
            try locker.query("BEGIN")
            try locker.query("LOCK TABLE hotdesk.users IN ACCESS EXCLUSIVE MODE")
            let start = Date()
            let stuck = try browser.get(usersTab)
            let waited = Date().timeIntervalSince(start)
            try locker.query("ROLLBACK")
            let afterwards = try browser.get(usersTab)
            print(
                String(
                    format: "statement timeout: a query waiting for a held lock answered %d after %.2f s",
                    stuck.statusCode, waited))

            #expect(stuck.statusCode == 503)
            #expect(stuck.headers["Retry-After"] != nil)
            #expect(stuck.bodyText.contains("The database took too long to answer"))
            #expect(waited >= 1.8 && waited < 5, "answered after \(waited) s for a 2 s statement timeout")
            #expect(afterwards.statusCode == 200)
        }

        /// Waits (up to 10 s) until `count` of the portal's queries wait for a lock. `connection` must be a
        /// superuser's (others do not see another role's wait events) and not in a transaction (the activity
        /// view is read once per transaction).
        static func waitForLockWaits(_ count: Int, on connection: PostgresConnection) throws {
            let deadline = Date(timeIntervalSinceNow: 10)
            while Date() < deadline {
                let waiting: Int = try connection.query(
                    """
                    SELECT count(*)::int AS n FROM pg_stat_activity
                    WHERE application_name = 'hotdesk serve' AND wait_event_type = 'Lock'
                    """)[0].decode("n")
                if waiting >= count { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ResilienceTestError.unexpectedPage("the portal's queries never waited for the lock")
        }
    }
}

import PostgresClient
import TestSupport
import Testing

extension Production {
    /// `hotdesk serve` through a real PgBouncer: in session mode it serves as if connected directly; in transaction
    /// mode, where its prepared statements and LISTEN would fail at random later, it refuses to start and says why.
    @Suite struct PoolerTests {
        @Test func servesThroughAPoolerInSessionModeAndRefusesTransactionModeAtStartUp() throws {
            let fixture = try ProductionFixture()
            let session = try PgBouncer(cluster: fixture.cluster, mode: "session")
            let transaction = try PgBouncer(cluster: fixture.cluster, mode: "transaction")
            let direct = fixture.cluster.url(role: "hotdesk_app")
            #expect(try !SessionPooling.sharesSessions(connectionString: direct, applicationName: "pooler test"))
            #expect(try !SessionPooling.sharesSessions(connectionString: session.url, applicationName: "pooler test"))
            #expect(
                try SessionPooling.sharesSessions(connectionString: transaction.url, applicationName: "pooler test"))

            let portal = try PortalProcess(cluster: fixture.cluster, databaseURL: session.url)
            let client = Curl(folder: fixture.cluster.folder, name: "pooled", sourceAddress: "127.0.0.1")
            let base = "http://127.0.0.1:\(portal.port)"
            let signedIn = try client.signIn(base: base, email: fixture.email, password: fixture.password)
            #expect(signedIn.status == 303, "signed in through PgBouncer in session mode: \(signedIn.output)")
            let page = try client(base + "/installs/\(fixture.installID)/users")
            #expect(page.status == 200, "a page read through the pooler")

            let refused = try PortalProcess.startupFailure(
                cluster: fixture.cluster, databaseURL: transaction.url, options: [])
            #expect(refused.status != 0)
            #expect(refused.log.contains("a pooler in transaction or statement mode"), "\(refused.log)")
            #expect(refused.log.contains("set pool_mode = session"), "\(refused.log)")
        }
    }
}

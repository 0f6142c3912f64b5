import Foundation
import TestSupport
import Testing

extension Resilience {
    /// 64 signed-in browsers on keep-alive connections against a real portal process for a minute.
    @Suite struct MixedLoadTests {
        @Test func mixedLoadAt64ConnectionsAnswersWithoutServerErrorsAndKeepsEveryAcceptedWrite() throws {
            let cluster = try PrivateCluster()
            let fixture = try LoadFixture.seed(cluster, installCount: 64)
            let portal = try PortalProcess(cluster: cluster)
            let load = try LoadGenerator(fixture: fixture, port: portal.port)

            let report = load.run(for: .seconds(Resilience.loadSeconds))
            print("mixed load: \(report.summary)")

            #expect(report.serverErrors == 0, "\(report.notes)")
            #expect(report.unanswered == 0 && report.refusedConnections == 0, "\(report.notes)")
            #expect(report.acceptedWrites > 0)
            #expect(report.notes.isEmpty, "\(report.notes)")
            #expect(portal.isRunning)
            let problems = try WriteCheck(report: report, connection: cluster.ownerConnection()).problems(strict: true)
            #expect(problems.isEmpty, "\(problems.prefix(10))")
        }
    }
}

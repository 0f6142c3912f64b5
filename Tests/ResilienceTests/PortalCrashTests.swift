import Foundation
import Glibc
import TestSupport
import Testing

extension Resilience {
    /// The portal process killed with SIGKILL while browsers write, then started again.
    @Suite struct PortalCrashTests {
        @Test func sigkillDuringWritesLeavesEveryChangeWholeOrAbsentAndTheRestartedPortalCarriesOn() throws {
            let cluster = try PrivateCluster()
            let fixture = try LoadFixture.seed(cluster, installCount: 16)
            let portal = try PortalProcess(cluster: cluster)
            let load = try LoadGenerator(fixture: fixture, port: portal.port, mix: .writesOnly)

            let (started, finish) = load.runInBackground(for: .seconds(10))
            Thread.sleep(until: started.addingTimeInterval(3))
            portal.kill()
            let killedAt = Date().timeIntervalSince(started)
            Thread.sleep(forTimeInterval: 1)
            try portal.restart()
            let restartedAt = Date().timeIntervalSince(started)
            let report = finish()

            let acceptedAfterRestart = report.records.filter { $0.at >= restartedAt && [200, 303].contains($0.status) }
            print(
                String(
                    format: "portal crash: %@; killed at %.1f s, serving again at %.1f s; %d requests answered after",
                    report.summary, killedAt, restartedAt, acceptedAfterRestart.count))

            #expect(report.uncertainWrites > 0, "no write was in flight when the portal was killed")
            #expect(report.acceptedWrites > 0)
            #expect(acceptedAfterRestart.count > 0, "the sessions made before the crash stopped working")
            #expect(report.records.filter { $0.status >= 500 }.isEmpty, "\(report.notes)")
            let problems = try WriteCheck(report: report, connection: cluster.ownerConnection()).problems(strict: false)
            #expect(problems.isEmpty, "\(problems.prefix(10))")
        }
    }
}

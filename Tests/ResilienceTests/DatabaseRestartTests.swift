import Foundation
import TestSupport
import Testing

extension Resilience {
    /// PostgreSQL stopped for a few seconds in the middle of the load, then started again; the portal
    /// process is never restarted.
    @Suite struct DatabaseRestartTests {
        static let outageStartsAt = 4.0
        static let outageSeconds = 4.0
        static let loadSeconds = 18

        @Test func databaseRestartMidLoadAnswers503QuicklyAndRecoversWithoutRestartingThePortal() throws {
            let cluster = try PrivateCluster()
            let fixture = try LoadFixture.seed(cluster, installCount: 16)
            let portal = try PortalProcess(cluster: cluster)
            let load = try LoadGenerator(fixture: fixture, port: portal.port)
            let observer = Browser(port: portal.port)
            try observer.signIn(email: fixture.email, password: fixture.password)

            let (started, finish) = load.runInBackground(for: .seconds(Self.loadSeconds))
            Thread.sleep(until: started.addingTimeInterval(Self.outageStartsAt))
            cluster.stop()
            let outageBegan = Date().timeIntervalSince(started)
            let during = try observer.get("/telephony")
            Thread.sleep(until: started.addingTimeInterval(Self.outageStartsAt + Self.outageSeconds))
            try cluster.start()
            let outageEnded = Date().timeIntervalSince(started)
            let report = finish()

            let outage = report.records.filter { $0.at >= outageBegan && $0.at < outageEnded }
            let unavailable = report.records.filter { $0.status == 503 }
            let firstSuccess = report.records.filter { $0.at >= outageEnded && $0.status < 500 && $0.status > 0 }
                .map { $0.at + $0.seconds }.min()
            let recovery = (firstSuccess ?? .infinity) - outageEnded
            let lateFailures = report.records.filter {
                $0.at >= outageEnded + 5 && ($0.status >= 500 || $0.status <= 0)
            }
            print(
                String(
                    format: "database restart: %@; outage %.1f s: %d requests, %d answered 503, slowest %.0f ms; "
                        + "first success %.2f s after the database was back",
                    report.summary, outageEnded - outageBegan, outage.count, unavailable.count,
                    (outage.map(\.seconds).max() ?? 0) * 1000, recovery))

            #expect(portal.isRunning)
            #expect(during.statusCode == 503)
            #expect(during.headers["Retry-After"] != nil)
            #expect(during.headers["Content-Type"]?.hasPrefix("text/html") == true)
            #expect(during.bodyText.contains("The database cannot be reached right now"))
            #expect(unavailable.count > 0, "the load never saw the outage")
            #expect(unavailable.allSatisfy { $0.retryAfter != nil })
            #expect(report.records.filter { $0.status >= 500 && $0.status != 503 }.isEmpty, "\(report.notes)")
            #expect(report.unanswered == 0 && report.refusedConnections == 0, "\(report.notes)")
            #expect(report.latency(1) < 5, "a request hung for \(report.latency(1)) s")
            #expect(recovery < 5)
            #expect(lateFailures.isEmpty, "\(lateFailures.count) failures 5 s after the database came back")
            #expect(try observer.get("/telephony").statusCode == 200)
            let problems = try WriteCheck(report: report, connection: cluster.ownerConnection()).problems(strict: false)
            #expect(problems.isEmpty, "\(problems.prefix(10))")
            let logLines = portal.log().split(separator: "\n")
            let outageLines = logLines.filter { !$0.contains("[WebServer]") && !$0.contains(" info ") }
            print("database restart: the portal logged \(outageLines.count) lines besides the access log:")
            for line in outageLines { print("  " + line) }
            // Begin and end of the outage, and at most a flap or two while PostgreSQL starts: not one per 503.
            #expect(outageLines.count <= 10, "the outage is logged per request")
        }
    }
}

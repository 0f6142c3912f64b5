import Foundation
import PostgresClient
import TestSupport
import Testing

extension Resilience {
    /// Two portals behind HAProxy on a primary and a streaming standby, with Kamailio reading the standby
    /// (Support/Topology.swift): coherence between the pieces, and losing each of them (README "Scaling out").
    @Suite struct ScalingTests {
        @Test func aChangeThroughOnePortalShowsOnTheOtherAndReachesTheRegistrarOnTheStandby() throws {
            let topology = try Topology(installCount: 2, synchronous: false)
            let install = topology.fixture.installs[0]
            let browsers = topology.portals.map { Browser(port: $0.port) }
            for browser in browsers {
                try browser.signIn(email: topology.fixture.email, password: topology.fixture.password)
            }

            // A range added through portal A, read on portal B: B's read cache hears A's notification.
            var seenOnB: [Double] = []
            for change in 0..<20 {
                let network = "10.200.\(change).0/24"
                let added = try browsers[0].post(
                    "/installs/\(install.id)/trusted-ips", [("network", network), ("description", "Desk \(change)")])
                #expect(added.statusCode == 303)
                let start = Date()
                while try !browsers[1].get("/installs/\(install.id)/trusted-ips").bodyText.contains("Desk \(change)<") {
                    guard Date().timeIntervalSince(start) < 5 else { break }
                }
                seenOnB.append(Date().timeIntervalSince(start))
            }
            print(
                String(
                    format: "scaling: a range added through portal A shows on portal B after p50 %.1f ms, max %.1f ms",
                    seenOnB.quantile(0.5) * 1000, seenOnB.quantile(1) * 1000))
            #expect(seenOnB.allSatisfy { $0 < 2 }, "\(seenOnB)")

            // 1,000 PIN resets through the balancer, each read back from registrar.subscriber on the standby.
            let balanced = Browser(port: topology.balancer.port)
            try balanced.signIn(email: topology.fixture.email, password: topology.fixture.password)
            let onStandby = try topology.standby.superuserConnection()
            let user = install.users[0]
            let ha1 = {
                try onStandby.query(
                    "SELECT ha1 FROM registrar.subscriber WHERE username = '2001' AND domain = 'site0.load.example'"
                )[0].decode("ha1") as String
            }
            var lags: [Double] = []
            for _ in 0..<1000 {
                let before = try ha1()
                let form = try balanced.get("/installs/\(install.id)/users/\(user)/pin")
                let version = try #require(Browser.hiddenField("version", in: form.bodyText))
                let reset = try balanced.post(
                    "/installs/\(install.id)/users/\(user)/pin", [("version", version), ("generate", "yes")])
                let acknowledged = Date()
                #expect(reset.statusCode == 200)
                while try ha1() == before {
                    guard Date().timeIntervalSince(acknowledged) < 5 else { break }
                }
                lags.append(Date().timeIntervalSince(acknowledged))
            }
            print(
                String(
                    format: "scaling: 1,000 PIN resets reached registrar.subscriber on the standby after p50 %.2f ms, "
                        + "p99 %.2f ms, max %.2f ms (from the portal's answer)",
                    lags.quantile(0.5) * 1000, lags.quantile(0.99) * 1000, lags.quantile(1) * 1000))
            #expect(lags.allSatisfy { $0 < 1 })

            // Kamailio asks the verdict of the standby and writes the login to the primary; both portals show it.
            let desk = try topology.makeDeskInstall()
            let kamailio = try topology.registrar()
            let pin = "5931"
            let login = SippLogin(extensionNumber: "2002", domain: "desk.load.example", pin: pin)
            #expect(try login.run(against: kamailio, expecting: .accepted).matched, "\(kamailio.log())")
            let readers: Int = try onStandby.query(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename LIKE 'registrar_%'")[0].decode("n")
            #expect(readers > 0, "the verdict was asked of the standby")
            for browser in browsers {
                let start = Date()
                while try !browser.get("/installs/\(desk)/status").bodyText.contains("Desk Operator") {
                    guard Date().timeIntervalSince(start) < 3 else {
                        Issue.record("the login does not show on portal \(browser.port)'s status page")
                        break
                    }
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }

            // The standby stopped while handsets log in, 100 a second for 6 s: the verdict falls back to the
            // primary (prefer-standby); only the REGISTERs whose verdict was in flight on a broken connection fail.
            let storm = try SippLoad(login, count: 600, perSecond: 100, against: kamailio)
            Thread.sleep(forTimeInterval: 2)
            topology.standby.stop()
            let (accepted, failed) = storm.finish()
            print("scaling: the standby stopped during 600 logins at 100/s: \(accepted) accepted, \(failed) failed")
            #expect(accepted + failed == 600, "\(kamailio.log().suffix(3000))")
            #expect(failed <= 8, "at most the REGISTERs in flight on the children's broken connections")
            let after = SippLogin(extensionNumber: "2002", domain: "desk.load.example", pin: pin)
            #expect(try after.run(against: kamailio, expecting: .accepted).matched, "the verdict asked of the primary")
        }

        @Test func aPortalKilledUnderLoadIsDrainedByTheBalancerWithErrorsOnlyForItsRequestsInFlight() throws {
            let topology = try Topology(installCount: 64, synchronous: false)
            let load = try LoadGenerator(fixture: topology.fixture, port: topology.balancer.port)
            let (started, finish) = load.runInBackground(for: .seconds(14))
            Thread.sleep(until: started.addingTimeInterval(5))
            topology.portals[0].kill()
            let killedAt = Date().timeIntervalSince(started)
            let report = finish()

            let failed = report.records.filter { $0.status >= 500 || $0.status == 0 }
            let afterTheKill = failed.filter { $0.at > killedAt }
            print(
                "scaling: portal A killed at \(String(format: "%.1f", killedAt)) s under 64 connections: "
                    + "\(failed.count) requests failed, all sent before the kill: \(afterTheKill.isEmpty); "
                    + report.summary)
            #expect(afterTheKill.isEmpty, "\(afterTheKill.prefix(5))")
            #expect(failed.count <= 64, "at most one request in flight per connection")
            #expect(topology.portals[1].isRunning)
            #expect(report.records.filter { $0.at > killedAt + 1 && $0.status == 200 }.count > 100)
            let problems = try WriteCheck(report: report, connection: topology.primary.ownerConnection())
                .problems(strict: false)
            #expect(problems.isEmpty, "\(problems.prefix(10))")
        }

        @Test func aFailoverToThePromotedStandbyKeepsEveryAcknowledgedWriteWithoutRestartingAnything() throws {
            let topology = try Topology(installCount: 64, synchronous: true)
            _ = try topology.makeDeskInstall()
            let kamailio = try topology.registrar()
            let login = { (call: String) in
                SippLogin(extensionNumber: "2002", domain: "desk.load.example", pin: "5931", callID: call)
            }
            #expect(try login("before").run(against: kamailio, expecting: .accepted).matched)

            let load = try LoadGenerator(fixture: topology.fixture, port: topology.balancer.port)
            let (started, finish) = load.runInBackground(for: .seconds(20))
            Thread.sleep(until: started.addingTimeInterval(5))
            topology.primary.stop()
            let stoppedAt = Date().timeIntervalSince(started)
            Thread.sleep(forTimeInterval: 1)
            let promotedAt = Date().timeIntervalSince(started)
            try topology.standby.promote()
            let report = finish()

            let writes: Set<RequestKind> = [.pinReset, .rangeAdd, .rangeRemoval]
            let failed = report.records.filter { $0.status >= 500 || $0.status <= 0 }
            let firstWriteAfter =
                report.records
                .filter { writes.contains($0.kind) && $0.at >= stoppedAt && ($0.status == 200 || $0.status == 303) }
                .map { $0.at + $0.seconds }.min() ?? .infinity
            let lastFailure = failed.map { $0.at + $0.seconds }.max() ?? stoppedAt
            print(
                String(
                    format: "scaling: failover: primary stopped at %.1f s, standby promoted at %.1f s; %d requests "
                        + "failed (%@); writes accepted again %.2f s after the stop (%.2f s after the promotion), "
                        + "last failure %.2f s after the stop; %@",
                    stoppedAt, promotedAt, failed.count,
                    Dictionary(grouping: failed, by: \.status).mapValues(\.count).description,
                    firstWriteAfter - stoppedAt, firstWriteAfter - promotedAt, lastFailure - stoppedAt,
                    report.summary))
            #expect(firstWriteAfter - promotedAt < 10, "the portals did not reconnect to the new primary")
            #expect(topology.portals.allSatisfy { $0.isRunning })
            let problems = try WriteCheck(report: report, connection: topology.standby.ownerConnection())
                .problems(strict: false)
            #expect(problems.isEmpty, "an acknowledged write is missing after the failover: \(problems.prefix(10))")

            // The registrar's writes follow the primary too: a new login is accepted on the promoted standby.
            var registrarBack = false
            let deadline = Date(timeIntervalSinceNow: 10)
            var attempt = 0
            while !registrarBack && Date() < deadline {
                attempt += 1
                registrarBack = try login("after-\(attempt)").run(against: kamailio, expecting: .accepted).matched
            }
            print("scaling: failover: the registrar accepted a login again after \(attempt) attempts")
            #expect(registrarBack, "\(Set(kamailio.log().split(separator: "\n").filter { $0.contains("ERROR") }))")
        }
    }
}

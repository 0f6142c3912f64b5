import Foundation
import TestSupport
import Testing

extension Production {
    /// A real nginx in front of the portal on loopback, clients on 127.0.0.2 and 127.0.0.3: the portal must see
    /// each client, not the proxy, and believe forwarding headers from nobody but the proxy.
    @Suite(.serialized) final class ReverseProxyTests {
        let fixture: ProductionFixture
        let portal: PortalProcess
        let nginx: Nginx
        let proxied: String

        init() throws {
            fixture = try ProductionFixture(trustedRange: "127.0.0.2/32")
            portal = try PortalProcess(cluster: fixture.cluster, options: ["--trusted-proxies", "127.0.0.1/32"])
            nginx = try Nginx(folder: fixture.cluster.folder, upstreamPort: portal.port)
            proxied = "http://127.0.0.1:\(nginx.port)"
        }

        private func client(_ address: String) -> Curl {
            Curl(folder: fixture.cluster.folder, name: "client-\(address)", sourceAddress: address)
        }

        @Test func throttlingCountsTwoClientsBehindTheProxyApart() throws {
            let attacker = client("127.0.0.2")
            for attempt in 1...20 {
                let answer = try attacker.signIn(
                    base: proxied, email: "nobody\(attempt)@production.example", password: "wrong password \(attempt)")
                #expect(answer.status == 401, "attempt \(attempt): \(answer.status) \(answer.output)")
            }
            let locked = try attacker.signIn(base: proxied, email: fixture.email, password: fixture.password)
            #expect(locked.status == 429, "the 21st attempt from the attacker's address is throttled")

            let colleague = client("127.0.0.3")
            let signedIn = try colleague.signIn(base: proxied, email: fixture.email, password: fixture.password)
            #expect(signedIn.status == 303, "another client behind the same proxy is not locked out")

            let failures = try fixture.auditAddresses(action: "sign_in", result: "failure")
            #expect(failures.count == 20 && failures.allSatisfy { $0 == "127.0.0.2" }, "\(failures)")
            #expect(try fixture.auditAddresses(action: "sign_in", result: "success") == ["127.0.0.3"])
            let accessLines = portal.log().split(separator: "\n").filter { $0.contains("POST /login 303") }
            #expect(accessLines.count == 1)
            #expect(accessLines.first?.contains("remote_address=127.0.0.3") == true, "\(accessLines)")
            #expect(accessLines.first?.contains("peer_address=127.0.0.1") == true, "\(accessLines)")
        }

        @Test func aForwardedForSentStraightToThePortalIsIgnored() throws {
            let direct = client("127.0.0.4")
            let answer = try direct.signIn(
                base: "http://127.0.0.1:\(portal.port)", email: "someone@production.example", password: "guess",
                extra: ["-H", "X-Forwarded-For: 203.0.113.9", "-H", "Forwarded: for=203.0.113.9"])
            #expect(answer.status == 401)
            #expect(try fixture.auditAddresses(action: "sign_in", result: "failure") == ["127.0.0.4"])
            #expect(!portal.log().contains("203.0.113.9"))
        }

        @Test func aClientCannotForgeItsAddressThroughTheProxy() throws {
            // nginx appends the address it saw; the portal takes the right-most one that is not a trusted proxy.
            let forger = client("127.0.0.3")
            let answer = try forger(proxied + fixture.provisioningPath, ["-H", "X-Forwarded-For: 127.0.0.2"])
            #expect(answer.status == 404, "a forged X-Forwarded-For does not make the forger a trusted handset")
        }

        @Test func theProvisioningCheckSeesTheClientNotTheProxy() throws {
            let handset = try client("127.0.0.2")(proxied + fixture.provisioningPath)
            #expect(handset.status == 200, "a handset in the install's Trusted IPs gets its file through the proxy")
            #expect(handset.body.contains("#!version:1.0.0.1"), "\(handset.body.prefix(200))")
            let stranger = try client("127.0.0.3")(proxied + fixture.provisioningPath)
            #expect(stranger.status == 404, "a client outside the Trusted IPs is refused though the proxy is trusted")
            let lines = portal.log().split(separator: "\n").filter { $0.contains("provisioning fetch") }
            #expect(lines.contains { $0.contains("served") && $0.contains("remote_address=127.0.0.2") }, "\(lines)")
            #expect(
                lines.contains { $0.contains("untrusted_source") && $0.contains("remote_address=127.0.0.3") },
                "\(lines)")
        }
    }
}

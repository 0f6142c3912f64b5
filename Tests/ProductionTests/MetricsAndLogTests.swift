import Foundation
import TestSupport
import Testing

extension Production {
    /// `/metrics` on its own listener, checked by the real `promtool check metrics`, and `--log-format json`.
    @Suite(.serialized) struct MetricsAndLogTests {
        /// The value of the sample `name{labels}` in an exposition, 0 when absent.
        private static func sample(_ exposition: String, _ series: String) -> Double {
            for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
                return Double(line.dropFirst(series.count + 1)) ?? 0
            }
            return 0
        }

        /// `promtool check metrics` on `exposition`: its exit status and what it printed.
        private static func promtool(_ exposition: String, folder: String) throws -> (Int32, String) {
            let input = folder + "/metrics.txt"
            try exposition.write(toFile: input, atomically: true, encoding: .utf8)
            let output = folder + "/promtool.out"
            let child = try ChildProcess(
                "/bin/sh", ["-c", "/usr/bin/promtool check metrics < '\(input)'"], outputPath: output)
            let status = child.wait()
            return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }

        @Test func metricsPassPromtoolAndTheirCountersMoveWithRequests() throws {
            let fixture = try ProductionFixture()
            let portal = try PortalProcess(cluster: fixture.cluster)
            let scrape = Curl(folder: fixture.cluster.folder, name: "prometheus")
            let metricsURL = "http://127.0.0.1:\(portal.metricsPort)/metrics"
            let browser = Curl(folder: fixture.cluster.folder, name: "browser")
            let base = "http://127.0.0.1:\(portal.port)"

            let before = try scrape(metricsURL)
            #expect(before.status == 200)
            #expect(before.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            for _ in 0..<3 { _ = try browser(base + "/login") }
            _ = try browser(base + "/no/such/page")
            _ = try browser.signIn(base: base, email: fixture.email, password: "not the password")
            _ = try browser.signIn(base: base, email: fixture.email, password: fixture.password)
            // The session is read through the read cache: a miss, then a hit.
            for _ in 0..<2 { _ = try browser(base + "/telephony") }
            _ = try browser(base + fixture.provisioningPath)
            let after = try scrape(metricsURL).body

            let (status, complaints) = try Self.promtool(after, folder: fixture.cluster.folder)
            #expect(status == 0 && complaints.isEmpty, "promtool: \(complaints)")
            #expect(!after.contains("undocumented"), "a metric without help text in MetricsCatalog")
            let loginPages = #"hotdesk_http_requests_total{route="/login",method="GET",status="200"}"#
            #expect(Self.sample(after, loginPages) - Self.sample(before.body, loginPages) == 5)
            #expect(Self.sample(after, #"hotdesk_http_requests_total{route="none",method="GET",status="404"}"#) == 1)
            #expect(Self.sample(after, #"hotdesk_sign_ins_total{outcome="failure"}"#) == 1)
            #expect(Self.sample(after, #"hotdesk_sign_ins_total{outcome="success"}"#) == 1)
            #expect(Self.sample(after, #"hotdesk_provisioning_fetches_total{outcome="untrusted_source"}"#) == 1)
            #expect(
                Self.sample(after, #"hotdesk_http_request_duration_seconds_count{route="/login",method="POST"}"#) == 2)
            #expect(Self.sample(after, #"hotdesk_read_cache_misses_total"#) >= 1)
            #expect(Self.sample(after, #"hotdesk_read_cache_hits_total"#) >= 1)
            #expect(Self.sample(after, #"hotdesk_db_pool_connections{state="idle"}"#) >= 1)
            #expect(Self.sample(after, "process_resident_memory_bytes") > 1_000_000)
            #expect(Self.sample(after, "process_threads") > 2)
            #expect(after.contains("hotdesk_db_pool_waiting 0"))
            #expect(after.contains("hotdesk_http_open_connections "))

            let onPortal = try browser(base + "/metrics")
            #expect(onPortal.status == 404, "the portal's own listener does not serve /metrics")
        }

        @Test func aMetricsTokenIsRequiredWhenOneIsConfigured() throws {
            let fixture = try ProductionFixture()
            let tokenFile = fixture.cluster.folder + "/metrics-token"
            try "s3cret-metrics-token-0123456789\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let portal = try PortalProcess(cluster: fixture.cluster, options: ["--metrics-token-file", tokenFile])
            let scrape = Curl(folder: fixture.cluster.folder, name: "prometheus")
            let url = "http://127.0.0.1:\(portal.metricsPort)/metrics"
            #expect(try scrape(url).status == 401)
            #expect(try scrape(url, ["-H", "Authorization: Bearer wrong-token-0123456789"]).status == 401)
            #expect(try scrape(url, ["-H", "Authorization: Bearer s3cret-metrics-token-0123456789"]).status == 200)
        }

        @Test func jsonLogLinesParseAndHoldNoPasswordPINOrToken() throws {
            let fixture = try ProductionFixture()
            let owner = try fixture.cluster.ownerConnection()
            let userID = try owner.query(
                """
                INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access)
                VALUES (\(fixture.installID), '1004', 'Operator Four', true) RETURNING id
                """
            ).map { try $0.decode("id") as Int }[0]
            let keyOutput = try PrivateCluster.run(
                PortalProcess.executable,
                [
                    "create-api-key", "--database-url", fixture.cluster.url(role: "hotdesk_owner"), "--email",
                    fixture.email, "--name", "Provisioning system",
                ],
                log: fixture.cluster.folder + "/api-key.log")
            let apiKey = try #require(keyOutput.split(separator: "\n").first { $0.hasPrefix("hdk_") }).description
            let portal = try PortalProcess(cluster: fixture.cluster, options: ["--log-format", "json"])
            let base = "http://127.0.0.1:\(portal.port)"
            let browser = Curl(folder: fixture.cluster.folder, name: "browser")
            let wrongPassword = "Wrong-Password-\(UUID().uuidString)"
            _ = try browser.signIn(base: base, email: fixture.email, password: wrongPassword)
            #expect(try browser.signIn(base: base, email: fixture.email, password: fixture.password).status == 303)
            _ = try browser(base + fixture.provisioningPath)
            let api = Curl(folder: fixture.cluster.folder, name: "api")
            let bearer = ["-H", "Authorization: Bearer \(apiKey)"]
            let user = try api(base + "/api/v1/installs/\(fixture.installID)/users/\(userID)", bearer)
            let etag = try #require(user.headers["ETag"], "\(user.status) \(user.body)")
            let pinSet = try api(
                base + "/api/v1/installs/\(fixture.installID)/users/\(userID)/pin",
                bearer + [
                    "-X", "PUT", "-H", "Content-Type: application/json", "-H", "If-Match: \(etag)", "--data-binary",
                    #"{"pin":"7391"}"#,
                ])
            #expect(pinSet.status == 204, "\(pinSet.body)")
            Thread.sleep(forTimeInterval: 0.2)

            let lines = portal.log().split(separator: "\n")
            #expect(lines.count >= 8)
            var requestLines = 0
            for line in lines {
                let object = try #require(
                    try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
                #expect(object["timestamp"] is String && object["level"] is String && object["message"] is String)
                if (object["message"] as? String)?.hasPrefix("PUT /api/v1/") == true {
                    #expect((object["request_id"] as? String)?.count == 16)
                    requestLines += 1
                }
                // Request ids and timestamps are random or clock digits; the secrets must appear nowhere else.
                var rest = object
                rest["request_id"] = nil
                rest["timestamp"] = nil
                let text = String(describing: rest)
                for secret in [fixture.password, wrongPassword, apiKey, fixture.provisioningToken, "7391"] {
                    #expect(!text.contains(secret), "a secret in the log: \(line)")
                }
            }
            #expect(requestLines == 1)
        }
    }
}

import HotDesk
import Testing
import WebServer

@Suite("XSS: install names, user names and range descriptions with markup render as text")
struct TelephonyXSSTests {
    private static let script = "<script>alert(1)</script>"
    private static let image = "\"><img src=x onerror=alert(1)>"

    @Test("markup typed into every Telephony field is escaped on every Telephony screen")
    func markupIsEscaped() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let created = try harness.post(
            "/installs", session: fixture.administrator,
            fields: [("name", "HQ \(Self.script)"), ("sip_domain", "xss.example.com")])
        let install = try #require(
            created.headers["Location"]?.split(separator: "/").dropFirst().first.flatMap { Int($0) })
        let base = "/installs/\(install)"
        #expect(
            try harness.post(
                base + "/users", session: fixture.administrator,
                fields: [("extension", "0042"), ("display_name", "Ann \(Self.image)")]
            ).status == .seeOther)
        #expect(
            try harness.post(
                base + "/trusted-ips", session: fixture.administrator,
                fields: [("network", "10.0.0.0/8"), ("description", "Wide \(Self.script)")]
            ).status == .seeOther)
        #expect(
            try harness.post(
                base + "/trusted-ips", session: fixture.administrator,
                fields: [("network", "10.1.0.0/16"), ("description", "Narrow \(Self.image)")]
            ).status == .seeOther)
        let user: Int = try harness.pool.query("SELECT id FROM hotdesk.users WHERE install_id = \(install)")[0].decode(
            "id")
        let range: Int = try harness.pool.query(
            "SELECT id FROM hotdesk.trusted_networks WHERE network = '10.1.0.0/16'")[0].decode("id")
        let rejected = try harness.post(
            base + "/users", session: fixture.administrator,
            fields: [("extension", Self.image), ("display_name", Self.script)])
        let pages = [
            "/telephony", base + "/users", base + "/users?q=" + "%22%3E%3Cimg", base + "/users/\(user)",
            base + "/users/\(user)/delete", base + "/users/\(user)/pin", base + "/settings", base + "/trusted-ips",
            base + "/trusted-ips/\(range)/remove",
        ]
        var bodies = try pages.map { PortalHarness.text(try harness.get($0, session: fixture.administrator)) }
        bodies.append(PortalHarness.text(rejected))
        for (index, html) in bodies.enumerated() {
            #expect(!html.contains("<script>alert"), "\(index)")
            #expect(!html.contains("<img"), "\(index)")
        }
        #expect(bodies[0].contains("HQ &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(bodies[1].contains("<td>Ann &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>"))
        #expect(bodies[7].contains("Inside <code>10.0.0.0/8</code> (Wide &lt;script&gt;alert(1)&lt;/script&gt;)"))
        #expect(bodies[8].contains("“Narrow &quot;&gt;&lt;img src=x onerror=alert(1)&gt;” will no longer be trusted"))
        #expect(bodies[9].contains("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""))
    }
}

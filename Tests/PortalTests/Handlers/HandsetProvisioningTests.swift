import Foundation
import HotDesk
import Logging
import Portal
import TestSupport
import Testing
import WebServer

@Suite("Auto-provisioning URL: boot files and configuration without a session; every refusal the same 404")
struct HandsetProvisioningTests {
    private static let notFoundBody = "Not found.\n"

    private func tab(_ fixture: AccountFixture) -> String { "/installs/\(fixture.install)/handsets" }

    /// Switches provisioning on (optionally for trusted ranges only) and returns the token.
    @discardableResult
    private func enable(_ fixture: AccountFixture, enabled: Bool = true, trustedOnly: Bool = false) throws -> String {
        var fields = [("version", "\(try fixture.harness.handsetVersion(fixture.install))")]
        if enabled { fields.append(("provisioning_enabled", "yes")) }
        if trustedOnly { fields.append(("trusted_ranges_only", "yes")) }
        let response = try fixture.harness.post(
            tab(fixture) + "/provisioning", session: fixture.administrator, fields: fields)
        #expect(response.status == .seeOther)
        return try #require(try fixture.harness.provisioningToken(fixture.install))
    }

    /// A handset's fetch: no cookies, no session, from `address`.
    private func fetch(_ fixture: AccountFixture, _ path: String, from address: String = "127.0.0.1") throws -> Response
    {
        fixture.harness.send(try fixture.harness.request(.GET, path, remoteAddress: address))
    }

    private func expectNotFound(_ response: Response, _ note: String) {
        #expect(response.status == .notFound, "\(note)")
        #expect(PortalHarness.text(response) == Self.notFoundBody, "\(note)")
        #expect(response.headers["Cache-Control"] == "no-store", "\(note)")
    }

    @Test("with the right token, both boot files, the configuration and <mac>.cfg are served, uncached")
    func servesFiles() throws {
        let fixture = try AccountFixture()
        let token = try enable(fixture)
        #expect(token.utf8.count == 43)
        let domain: String = try fixture.harness.pool.query(
            "SELECT sip_domain FROM hotdesk.installs WHERE id = \(fixture.install)")[0].decode("sip_domain")
        let boot = YealinkFiles.boot()
        let configuration = YealinkFiles.configuration(.standard, server: domain)
        let expected = [
            ("y000000000000.boot", boot), ("001565a1b2c3.boot", boot), ("001565A1B2C3.boot", boot),
            ("hotdesking.cfg", configuration), ("001565a1b2c3.cfg", configuration),
        ]
        for (file, body) in expected {
            let response = try fetch(fixture, "/provision/\(token)/\(file)")
            #expect(response.status == .ok, "\(file)")
            #expect(PortalHarness.text(response) == body, "\(file)")
            #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
            #expect(response.headers["Cache-Control"] == "no-store")
        }
        #expect(boot.hasPrefix("#!version:1.0.0.1\n"))
        #expect(boot.contains("include:config \"hotdesking.cfg\"\n"))
    }

    @Test("the tab shows the provisioning URLs once switched on, and enabling is audited without the token")
    func tabShowsURLs() throws {
        let fixture = try AccountFixture()
        let token = try enable(fixture)
        let html = PortalHarness.text(try fixture.harness.get(tab(fixture), session: fixture.administrator))
        #expect(html.contains("http://portal.test/provision/\(token)/y000000000000.boot"))
        #expect(html.contains("http://portal.test/provision/\(token)/001565a1b2c3.boot"))
        #expect(html.contains("http://portal.test/provision/\(token)/hotdesking.cfg"))
        #expect(html.contains("DHCP option 66"))
        let events = try fixture.harness.auditEvents(action: "provisioning.enabled")
        #expect(events.count == 1)
        let everything: String = try fixture.harness.pool.query(
            "SELECT string_agg(e::text, ' ') AS all FROM hotdesk.audit_events e")[0].decode("all")
        #expect(!everything.contains(token))
    }

    @Test(
        "a wrong token, a malformed MAC or another file name is the same 404",
        arguments: [
            "/provision/%TOKEN%/001565a1b2c.boot", "/provision/%TOKEN%/001565a1b2c3d.boot",
            "/provision/%TOKEN%/00:15:65:a1:b2:c3.boot", "/provision/%TOKEN%/00156zz1b2c3.boot",
            "/provision/%TOKEN%/y000000000000.cfg", "/provision/%TOKEN%/../hotdesking.cfg",
            "/provision/%TOKEN%/HOTDESKING.cfg", "/provision/%WRONG%/y000000000000.boot",
            "/provision/%WRONG%/hotdesking.cfg", "/provision/short/y000000000000.boot", "/provision/%TOKEN%",
            "/provision/%TOKEN%/", "/provision/%TOKEN%/sub/hotdesking.cfg",
        ])
    func refusals(_ template: String) throws {
        let fixture = try AccountFixture()
        let token = try enable(fixture)
        let wrong = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
        let path = template.replacingOccurrences(of: "%TOKEN%", with: token).replacingOccurrences(
            of: "%WRONG%", with: wrong)
        expectNotFound(try fetch(fixture, path), path)
    }

    @Test("rotating the token needs a confirmation; the old URL is a 404 at once and the new one works")
    func rotation() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let old = try enable(fixture)
        let confirm = PortalHarness.text(try harness.get(tab(fixture) + "/rotate", session: fixture.administrator))
        #expect(confirm.contains("Rotate the provisioning token?"))
        #expect(confirm.contains(#"<button type="submit" class="danger">Rotate token</button>"#))
        #expect(try harness.provisioningToken(fixture.install) == old, "the confirmation page changes nothing")
        let response = try harness.post(tab(fixture) + "/rotate", session: fixture.administrator)
        #expect(response.status == .seeOther)
        let new = try #require(try harness.provisioningToken(fixture.install))
        #expect(new != old)
        expectNotFound(try fetch(fixture, "/provision/\(old)/y000000000000.boot"), "old token")
        #expect(try fetch(fixture, "/provision/\(new)/y000000000000.boot").status == .ok)
        let event = try harness.auditEvents(action: "provisioning.token_rotated")[0]
        let changes: String = try event.decode("changes")
        #expect(!changes.contains(old) && !changes.contains(new))
        #expect(try event.decode("account_email", as: String?.self) == "admin@a.example")
    }

    @Test("switched off, the URL is the same 404; switched on again, the same token works")
    func disabled() throws {
        let fixture = try AccountFixture()
        let token = try enable(fixture)
        #expect(try enable(fixture, enabled: false) == token)
        expectNotFound(try fetch(fixture, "/provision/\(token)/y000000000000.boot"), "disabled")
        expectNotFound(try fetch(fixture, "/provision/\(token)/hotdesking.cfg"), "disabled")
        #expect(try fixture.harness.auditEvents(action: "provisioning.disabled").count == 1)
        #expect(try enable(fixture) == token)
        #expect(try fetch(fixture, "/provision/\(token)/y000000000000.boot").status == .ok)
    }

    @Test("restricted to trusted ranges: inside a range 200, outside (or IPv6) the same 404")
    func trustedRangesOnly() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        try harness.pool.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(fixture.install), '203.0.113.0/24', 'Office')
            """)
        let token = try enable(fixture, trustedOnly: true)
        let path = "/provision/\(token)/y000000000000.boot"
        #expect(try fetch(fixture, path, from: "203.0.113.77").status == .ok)
        #expect(
            try fetch(fixture, path, from: "::ffff:203.0.113.77").status == .ok, "IPv4 through a dual-stack listener")
        expectNotFound(try fetch(fixture, path, from: "198.51.100.7"), "outside")
        expectNotFound(try fetch(fixture, path, from: "::1"), "IPv6")
        #expect(try harness.auditEvents(action: "provisioning.enabled").count == 1)
        try enable(fixture, trustedOnly: false)
        #expect(try fetch(fixture, path, from: "198.51.100.7").status == .ok, "restriction lifted")
        #expect(try harness.auditEvents(action: "provisioning.changed").count == 1)
    }

    @Test("another install's token never serves this install's settings, and a session is not needed")
    func tokensBelongToTheirInstall() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let token = try enable(fixture)
        let otherVersion = try harness.handsetVersion(fixture.otherInstall)
        #expect(
            try harness.post(
                "/installs/\(fixture.otherInstall)/handsets", session: fixture.otherAdministrator,
                fields: [("version", "\(otherVersion)")] + PortalHarness.handsetFields(lineKey: "11")
            ).status == .seeOther)
        let file = PortalHarness.text(try fetch(fixture, "/provision/\(token)/hotdesking.cfg"))
        #expect(file.contains("linekey.3.type = 34"))
        #expect(!file.contains("linekey.11"))
    }

    @Test("every fetch is logged with source address, install, file and outcome, and never with the token")
    func fetchesAreLogged() throws {
        let fixture = try AccountFixture()
        let token = try enable(fixture)
        let store = CapturingLogHandler.Store()
        let portal = try PortalHarness.portal(
            pool: fixture.harness.pool, changes: nil,
            logger: Logger(label: "test") { _ in CapturingLogHandler(store: store) })
        let router = portal.makeRouter()
        let fetches = [
            ("/provision/\(token)/y000000000000.boot", "203.0.113.9", "served", "\(fixture.install)"),
            ("/provision/\(String(repeating: "x", count: 43))/hotdesking.cfg", "198.51.100.4", "unknown_token", "-"),
            ("/provision/\(token)/00:15:65:a1:b2:c3.boot", "192.0.2.1", "unknown_file", "-"),
            ("/provision/\(token)/sub/hotdesking.cfg", "192.0.2.2", "unknown_file", "-"),
        ]
        for (path, address, outcome, install) in fetches {
            let request = try fixture.harness.request(.GET, path, remoteAddress: address)
            _ = try router.respond(to: request)
            let entry = try #require(store.waitForEntry { $0.metadata["request_id"] == "\(request.id)" }, "\(path)")
            #expect(entry.metadata["remote_address"] == "\(address)", "\(path)")
            #expect(entry.metadata["outcome"] == "\(outcome)", "\(path)")
            #expect(entry.metadata["install_id"] == "\(install)", "\(path)")
            #expect(!"\(entry.message) \(entry.metadata)".contains(token), "\(path)")
        }
        let served = try #require(store.waitForEntry { $0.metadata["outcome"] == "served" })
        #expect(served.metadata["file"] == "y000000000000.boot")
    }
}

import Foundation
import HotDesk
import TestSupport
import Testing
import WebServer

@Suite("Handsets tab: settings with every rule, the generated file, its download and the guide")
struct HandsetTabTests {
    private func tab(_ fixture: AccountFixture) -> String { "/installs/\(fixture.install)/handsets" }

    private func save(_ fixture: AccountFixture, _ fields: [(String, String)], version: Int? = nil) throws -> Response {
        let version = try version ?? fixture.harness.handsetVersion(fixture.install)
        return try fixture.harness.post(
            tab(fixture), session: fixture.administrator, fields: [("version", "\(version)")] + fields)
    }

    private func domain(_ fixture: AccountFixture) throws -> String {
        try fixture.harness.pool.query("SELECT sip_domain FROM hotdesk.installs WHERE id = \(fixture.install)")[0]
            .decode("sip_domain")
    }

    @Test("an administrator sees the tab with the article's defaults, the file's lines and the filled-in guide")
    func defaultsShown() throws {
        let fixture = try AccountFixture()
        let html = PortalHarness.text(try fixture.harness.get(tab(fixture), session: fixture.administrator))
        let domain = try domain(fixture)
        #expect(html.contains(#"<a href="/installs/\#(fixture.install)/handsets" aria-current="page">Handsets</a>"#))
        #expect(html.contains(#"id="line_key" name="line_key" type="text" value="3""#))
        #expect(html.contains(#"value="Hot Desking""#))
        #expect(html.contains(#"id="hide_server_prompt" name="hide_server_prompt" value="yes" checked"#))
        #expect(html.contains(#"value="500""#))
        #expect(html.contains("#!version:1.0.0.1\n"))
        #expect(html.contains("linekey.3.type = 34\n"))
        #expect(html.contains("hotdesking.dsskey_sip_server_enable = 0\n"))
        #expect(html.contains("account.1.sip_server.1.address = \(domain)\n"))
        #expect(html.contains("account.1.sip_server.1.expires = 500\n"))
        #expect(html.contains("Go to DSS Keys, then the Line Keys tab."))
        #expect(html.contains("On Line Key 3, set Type to “Hot Desking”."))
        #expect(html.contains("Server Expires, directly below it, to 500"))
        #expect(html.contains("Auto-provisioning is off"))
        #expect(html.contains(#"href="/installs/\#(fixture.install)/handsets/download""#))
    }

    @Test("the download is the saved file as text/plain, an attachment named after the install, never cached")
    func download() throws {
        let fixture = try AccountFixture()
        let response = try fixture.harness.get(tab(fixture) + "/download", session: fixture.administrator)
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(response.headers["Content-Disposition"] == #"attachment; filename="hotdesking-head-office.cfg""#)
        #expect(response.headers["Cache-Control"] == "no-store")
        let expected = YealinkFiles.configuration(.standard, server: try domain(fixture))
        #expect(PortalHarness.text(response) == expected)
    }

    @Test("the download's file name keeps only ASCII letters, digits and hyphens of the install's name")
    func downloadNameSanitized() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let install = try harness.makeInstall(
            organizationID: fixture.organization, name: "Zürich \"HQ\"; 2nd/floor\r\n")
        let response = try harness.get("/installs/\(install)/handsets/download", session: fixture.administrator)
        #expect(
            response.headers["Content-Disposition"] == #"attachment; filename="hotdesking-z-rich-hq-2nd-floor.cfg""#)
        let other = try harness.makeInstall(organizationID: fixture.organization, name: "東京")
        let otherResponse = try harness.get("/installs/\(other)/handsets/download", session: fixture.administrator)
        #expect(
            otherResponse.headers["Content-Disposition"] == "attachment; filename=\"hotdesking-install-\(other).cfg\"")
    }

    @Test("custom settings are saved, audited field by field, and the file and guide follow them")
    func saveCustom() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try save(
            fixture,
            PortalHarness.handsetFields(
                family: "t48", lineKey: "29", label: " Register ", hidePrompt: false, expiry: "300",
                server: "SIP.Example.net", port: "5061", transport: "tls"))
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == tab(fixture))
        let download = PortalHarness.text(try harness.get(tab(fixture) + "/download", session: fixture.administrator))
        #expect(download.contains("linekey.29.label = Register\n"))
        #expect(download.contains("hotdesking.dsskey_sip_server_enable = 1\n"))
        #expect(download.contains("account.1.sip_server.1.address = sip.example.net\n"))
        #expect(download.contains("account.1.sip_server.1.port = 5061\n"))
        #expect(download.contains("account.1.sip_server.1.transport = 2\n"))
        #expect(download.contains("account.1.sip_server.1.expires = 300\n"))
        let html = PortalHarness.text(try harness.get(tab(fixture), session: fixture.administrator))
        #expect(html.contains("On Line Key 29"))
        #expect(
            html.contains("operators are asked for the server") || html.contains("Operators are asked for the server"))
        let event = try harness.auditEvents(action: "handsets.changed")[0]
        let changes: String = try event.decode("changes")
        #expect(changes.contains(#""line_key": {"after": "29", "before": "3"}"#))
        #expect(changes.contains(#""registration_expiry": {"after": "300", "before": "500"}"#))
        #expect(changes.contains(#""sip_server": {"after": "sip.example.net", "before": null}"#))
        #expect(try event.decode("install_id", as: Int?.self) == fixture.install)
    }

    @Test("the T38G choice writes Login Expire's key and the guide points to Account, Advanced")
    func t38() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        #expect(try save(fixture, PortalHarness.handsetFields(family: "t38", lineKey: "6")).status == .seeOther)
        let download = PortalHarness.text(try harness.get(tab(fixture) + "/download", session: fixture.administrator))
        #expect(download.contains("account.1.expires = 500\n"))
        #expect(download.contains("account.1.sip_server_host = "))
        let html = PortalHarness.text(try harness.get(tab(fixture), session: fixture.administrator))
        #expect(html.contains("Go to Account, then Advanced: set Login Expire (seconds) to 500."))
    }

    @Test(
        "every bad value is refused with its message beside the field, 422, what was typed kept, nothing saved",
        arguments: [
            ("registration_expiry", "601", "at most 600 seconds"),
            ("registration_expiry", "0", "at least 60 seconds"),
            ("registration_expiry", "abc", "whole number of seconds"),
            ("key_label", "Hot\nDesking", "line break"),
            ("key_label", String(repeating: "x", count: 33), "at most 32 characters"),
            ("line_key", "0", "line keys 1 to 27"),
            ("line_key", "28", "line keys 1 to 27"),
            ("line_key", "x", "whole number in digits"),
            ("sip_port", "70000", "port from 1 to 65535"),
            ("sip_port", "0", "port from 1 to 65535"),
            ("sip_server", "sip:pbx.example.com", "without sip:"),
            ("sip_server", "203.0.113.7", "not its IP address"),
            ("sip_transport", "sctp", "Choose UDP, TCP, TLS"),
            ("handset_family", "t99", "Choose the handset model"),
        ])
    func refusesBadValues(_ field: String, _ value: String, _ message: String) throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.telephonySnapshot()
        let fields = PortalHarness.handsetFields().map { $0.0 == field ? ($0.0, value) : $0 }
        let response = try save(fixture, fields)
        #expect(response.status == .unprocessableContent)
        let html = PortalHarness.text(response)
        #expect(html.contains("The form could not be saved"))
        #expect(html.contains(message), "\(field)=\(value)")
        #expect(try harness.telephonySnapshot() == before)
        if !["key_label", "handset_family", "sip_transport"].contains(field) {
            #expect(html.contains(#"name="\#(field)" type="text" value="\#(value)""#), "typed value kept")
        }
    }

    @Test("a line key beyond the newly chosen family's keys is refused for that family")
    func lineKeyFollowsFamily() throws {
        let fixture = try AccountFixture()
        let response = try save(fixture, PortalHarness.handsetFields(family: "t38", lineKey: "7"))
        #expect(response.status == .unprocessableContent)
        #expect(PortalHarness.text(response).contains("Yealink T38G handsets have line keys 1 to 6"))
    }

    @Test("a save from a stale form answers 409 with the saved values and overwrites nothing")
    func staleVersion() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let version = try harness.handsetVersion(fixture.install)
        #expect(try save(fixture, PortalHarness.handsetFields(lineKey: "4"), version: version).status == .seeOther)
        let stale = try save(fixture, PortalHarness.handsetFields(lineKey: "9"), version: version)
        #expect(stale.status == .conflict)
        let html = PortalHarness.text(stale)
        #expect(html.contains("Someone else saved these settings"))
        #expect(html.contains(#"id="line_key" name="line_key" type="text" value="4""#))
        let lineKey: Int = try harness.pool.query(
            "SELECT line_key FROM hotdesk.handset_settings WHERE install_id = \(fixture.install)")[0].decode("line_key")
        #expect(lineKey == 4)
    }

    @Test("typing the install's own domain as the server keeps following the install's domain")
    func ownDomainIsDefault() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        #expect(
            try save(fixture, PortalHarness.handsetFields(server: try domain(fixture).uppercased())).status == .seeOther
        )
        let stored: String? = try harness.pool.query(
            "SELECT sip_server FROM hotdesk.handset_settings WHERE install_id = \(fixture.install)")[0].decode(
                "sip_server")
        #expect(stored == nil)
    }

    @Test("managers see no Handsets tab and get the administrators-only refusal on its pages")
    func managersRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let users = PortalHarness.text(try harness.get("/installs/\(fixture.install)/users", session: fixture.manager))
        #expect(!users.contains("/handsets"))
        for path in [tab(fixture), tab(fixture) + "/download", tab(fixture) + "/rotate"] {
            let response = try harness.get(path, session: fixture.manager)
            #expect(response.status == .forbidden, "\(path)")
            #expect(PortalHarness.text(response).contains("role cannot use this page"))
        }
    }
}

import Foundation
import Testing
import WebServer

@testable import HotDesk
@testable import Portal

@Suite("API installs, trusted ranges, handset settings and audit events, through the screens' operations")
struct APIResourceTests {
    @Test("an install is created, renamed with If-Match, and a new SIP domain needs the confirmation")
    func installs() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let created = try harness.api(
            .POST, "/api/v1/installs", key: key, json: #"{"name":"Branch","sip_domain":"branch.example.com"}"#)
        #expect(created.status == .created)
        let id = try #require(PortalHarness.json(created)["id"] as? Int)
        let path = "/api/v1/installs/\(id)"
        let unconfirmed = try harness.api(
            .PATCH, path, key: key, json: #"{"sip_domain":"new.example.com"}"#, headers: [("If-Match", "\"1\"")])
        #expect(unconfirmed.status == .unprocessableContent)
        #expect(PortalHarness.problemFields(unconfirmed) == ["confirm_domain_change"])
        let renamed = try harness.api(
            .PATCH, path, key: key, json: #"{"sip_domain":"new.example.com","confirm_domain_change":true}"#,
            headers: [("If-Match", "\"1\"")])
        #expect(PortalHarness.json(renamed)["sip_domain"] as? String == "new.example.com")
        let taken = try harness.api(
            .POST, "/api/v1/installs", key: key, json: #"{"name":"Twin","sip_domain":"new.example.com"}"#)
        #expect(PortalHarness.problemMessage(taken, field: "sip_domain") == InputProblem.sipDomainTaken.message)
        let list = PortalHarness.json(try harness.api(.GET, "/api/v1/installs?q=bra", key: key))
        #expect((list["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Branch"])
    }

    @Test("a range is added with the form's rules (IPv6 refused, /8-wide confirmed with the range itself) and removed")
    func trustedRanges() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let path = "/api/v1/installs/\(fixture.install)/trusted-ranges"
        let ipv6 = try harness.api(.POST, path, key: key, json: #"{"network":"2001:db8::/32","description":"v6"}"#)
        #expect(ipv6.status == .unprocessableContent)
        #expect(PortalHarness.problemMessage(ipv6, field: "network")?.contains("IPv6") == true)
        let wide = try harness.api(.POST, path, key: key, json: #"{"network":"10.0.0.0/7","description":"Wide"}"#)
        #expect(PortalHarness.problemFields(wide) == ["confirm_wide"])
        let confirmed = try harness.api(
            .POST, path, key: key, json: #"{"network":"10.0.0.0/7","description":"Wide","confirm_wide":"10.0.0.0/7"}"#)
        #expect(confirmed.status == .created)
        let added = try harness.api(.POST, path, key: key, json: #"{"network":"10.1.0.0/16","description":"Office"}"#)
        let body = PortalHarness.json(added)
        #expect(body["inside_network"] as? String == "10.0.0.0/7")
        #expect((body["added_by"] as? String)?.hasPrefix("API key") == true)
        let list = PortalHarness.json(try harness.api(.GET, path, key: key))
        #expect((list["items"] as? [[String: Any]])?.count == 2)
        let id = try #require(body["id"] as? Int)
        #expect(try harness.api(.DELETE, "\(path)/\(id)", key: key).status == .preconditionRequired)
        #expect(
            try harness.api(.DELETE, "\(path)/\(id)", key: key, headers: [("If-Match", "\"1\"")]).status == .noContent)
        #expect(try harness.api(.GET, "\(path)/\(id)", key: key).status == .notFound)
    }

    @Test("handset settings are read and replaced with the Handsets tab's rules; the .cfg is plain text")
    func handsets() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let path = "/api/v1/installs/\(fixture.install)/handset-settings"
        let read = try harness.api(.GET, path, key: key)
        #expect(read.status == .ok)
        let tag = try #require(read.headers["ETag"])
        let refused = try harness.api(
            .PUT, path, key: key,
            json:
                #"{"handset_family":"t40","line_key":9,"key_label":"Hot Desk","hide_server_prompt":true,"registration_expiry":30}"#,
            headers: [("If-Match", tag)])
        #expect(refused.status == .unprocessableContent)
        #expect(Set(PortalHarness.problemFields(refused)) == ["line_key", "registration_expiry"])
        let saved = try harness.api(
            .PUT, path, key: key,
            json:
                #"{"handset_family":"t46","line_key":5,"key_label":"Desk","hide_server_prompt":false,"registration_expiry":300,"sip_port":5070,"sip_transport":"tcp"}"#,
            headers: [("If-Match", tag)])
        #expect(saved.status == .ok)
        #expect(PortalHarness.json(saved)["sip_port"] as? Int == 5070)
        let file = try harness.api(.GET, path + "/config", key: key)
        #expect(file.headers["Content-Type"]?.hasPrefix("text/plain") == true)
        #expect(PortalHarness.text(file).contains("5070"))
    }

    @Test("audit events are listed newest first with the screen's filters and a cursor")
    func auditEvents() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        for number in 1...3 {
            _ = try harness.api(
                .POST, "/api/v1/installs/\(fixture.install)/users", key: key,
                json: #"{"extension":"100\#(number)","display_name":"U\#(number)"}"#)
        }
        let page = PortalHarness.json(
            try harness.api(.GET, "/api/v1/audit-events?action=user.created&limit=2", key: key))
        let items = try #require(page["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["target_label"] as? String } == ["1003 U3", "1002 U2"])
        let next = PortalHarness.json(try harness.api(.GET, try #require(page["next"] as? String), key: key))
        #expect((next["items"] as? [[String: Any]])?.compactMap { $0["target_label"] as? String } == ["1001 U1"])
        #expect(try harness.api(.GET, "/api/v1/audit-events?action=DROP", key: key).status == .badRequest)
        let manager = try harness.makeKey(
            administrator: "admin@a.example", name: "M", grant: try .manager(of: [fixture.install]))
        #expect(try harness.api(.GET, "/api/v1/audit-events", key: manager).status == .forbidden)
    }

    @Test(
        "the CSV import's dry run writes nothing; apply needs its binding, refuses a stale one, and hands out PINs once"
    )
    func importAndExport() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let path = "/api/v1/installs/\(fixture.install)/users:import"
        let csv = #"extension,name,hot_desk_access,pin\n2001,Ann Smith,yes,generate\n2002,Bo Jones,no,\n"#
        let before = try harness.telephonySnapshot()
        let dry = try harness.api(.POST, path, key: key, json: #"{"csv":"\#(csv)","mode":"update","dry_run":true}"#)
        #expect(dry.status == .ok)
        let preview = PortalHarness.json(dry)
        #expect((preview["counts"] as? [String: Any])?["add"] as? Int == 2)
        #expect(try harness.telephonySnapshot() == before)
        let binding = try #require(preview["binding"] as? String)
        let unbound = try harness.api(.POST, path, key: key, json: #"{"csv":"\#(csv)","dry_run":false}"#)
        #expect(unbound.status == .unprocessableContent)
        #expect(PortalHarness.problemFields(unbound) == ["binding"])
        _ = try harness.makeUser(installID: fixture.install, extension: "2002", name: "Meanwhile")
        let stale = try harness.api(
            .POST, path, key: key, json: #"{"csv":"\#(csv)","dry_run":false,"binding":"\#(binding)"}"#)
        #expect(stale.status == .preconditionFailed)
        #expect(try harness.auditEvents(action: "users.imported").count == 0)
        let fresh = PortalHarness.json(
            try harness.api(.POST, path, key: key, json: #"{"csv":"\#(csv)","dry_run":true}"#))
        let applied = try harness.api(
            .POST, path, key: key,
            json: #"{"csv":"\#(csv)","dry_run":false,"binding":"\#(try #require(fresh["binding"] as? String))"}"#)
        #expect(applied.status == .ok)
        let pins = try #require(PortalHarness.json(applied)["generated_pins"] as? [[String: Any]])
        #expect(pins.count == 1)
        let user: Int = try harness.pool.query(
            "SELECT id FROM hotdesk.users WHERE install_id = \(fixture.install) AND extension = '2001'")[0].decode("id")
        #expect(try harness.userField(user, "hot_desk_pin") == pins[0]["pin"] as? String)
        let export = try harness.api(.GET, "/api/v1/installs/\(fixture.install)/users:export", key: key)
        #expect(export.headers["Content-Type"] == "text/csv; charset=utf-8")
        let exported = PortalHarness.text(export)
        #expect(exported.hasPrefix("extension,name,hot_desk_access,has_pin,last_changed"))
        #expect(!exported.contains(pins[0]["pin"] as? String ?? "none"))
        let manager = try harness.makeKey(
            administrator: "admin@a.example", name: "M", grant: try .manager(of: [fixture.install]))
        #expect(
            try harness.api(.POST, path, key: manager, json: #"{"csv":"\#(csv)","dry_run":true}"#).status == .forbidden)
    }
}

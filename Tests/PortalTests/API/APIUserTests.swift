import Foundation
import Testing
import WebServer

@testable import HotDesk
@testable import Portal

@Suite("API users: create, read, change with If-Match, PINs, delete, pages; the forms' rules and messages")
struct APIUserTests {
    let fixture: AccountFixture
    let key: String
    var harness: PortalHarness { fixture.harness }
    var users: String { "/api/v1/installs/\(fixture.install)/users" }

    init() throws {
        fixture = try AccountFixture()
        key = try fixture.harness.makeKey(administrator: "admin@a.example")
    }

    @Test("a user is created with 201, Location and ETag, read back, and audited as made by the key")
    func createAndRead() throws {
        let created = try harness.api(.POST, users, key: key, json: #"{"extension":"1001","display_name":"Ann Smith"}"#)
        #expect(created.status == .created)
        let body = PortalHarness.json(created)
        let id = try #require(body["id"] as? Int)
        #expect(created.headers["Location"] == "\(users)/\(id)")
        #expect(created.headers["ETag"] == "\"1\"")
        #expect(body["extension"] as? String == "1001")
        #expect(body["hot_desk_access"] as? Bool == false)
        #expect(body["has_pin"] as? Bool == false)
        #expect(body["pin"] == nil)
        let read = try harness.api(.GET, "\(users)/\(id)", key: key)
        #expect(read.status == .ok)
        #expect(PortalHarness.json(read)["display_name"] as? String == "Ann Smith")
        let notModified = try harness.api(.GET, "\(users)/\(id)", key: key, headers: [("If-None-Match", "\"1\"")])
        #expect(notModified.status == .notModified)
        let audit = try harness.auditEvents(action: "user.created")
        #expect(try audit[0].decode("account_email", as: String.self).hasPrefix("API key “Provisioning” (hdk_"))
        #expect(try audit[0].decode("account_id", as: Int?.self) == nil)
        let keyID: Int? = try harness.pool.query(
            "SELECT api_key_id FROM hotdesk.audit_events WHERE action = 'user.created'")[0]
            .decode("api_key_id")
        #expect(keyID != nil)
    }

    @Test("each refused field answers 422 with the forms' message for it; a bad body is 400 or 415; nothing is written")
    func validation() throws {
        let before = try harness.telephonySnapshot()
        let bad = try harness.api(.POST, users, key: key, json: #"{"extension":"12a4","display_name":"   "}"#)
        #expect(bad.status == .unprocessableContent)
        #expect(bad.headers["Content-Type"] == "application/problem+json")
        #expect(PortalHarness.problemFields(bad) == ["extension", "display_name"])
        #expect(PortalHarness.problemMessage(bad, field: "extension") == ExtensionError.notDigits.message)
        #expect(
            PortalHarness.problemMessage(bad, field: "display_name") == BoundedTextError.empty(DisplayName.rule).message
        )
        let unknown = try harness.api(
            .POST, users, key: key, json: #"{"extension":"1001","display_name":"A","install_id":9}"#)
        #expect(unknown.status == .badRequest)
        #expect(PortalHarness.problemFields(unknown) == ["install_id"])
        let wrongType = try harness.api(.POST, users, key: key, json: #"{"extension":1001,"display_name":"A"}"#)
        #expect(wrongType.status == .badRequest)
        #expect(PortalHarness.problemFields(wrongType) == ["extension"])
        let notJSON = try harness.api(
            .POST, users, key: key, json: "extension=1001", contentType: "application/x-www-form-urlencoded")
        #expect(notJSON.status == .unsupportedMediaType)
        let malformed = try harness.api(.POST, users, key: key, json: "{\"extension\":")
        #expect(malformed.status == .badRequest)
        #expect(try harness.telephonySnapshot() == before)
        _ = try harness.makeUser(installID: fixture.install, extension: "1001")
        let taken = try harness.api(.POST, users, key: key, json: #"{"extension":"1001","display_name":"Bo"}"#)
        #expect(taken.status == .unprocessableContent)
        #expect(
            PortalHarness.problemMessage(taken, field: "extension")
                == "Another user of this install already has extension 1001; choose a free one.")
    }

    @Test("changes need If-Match: 428 without, 412 when stale, 400 when malformed; with it the change is made")
    func optimisticLocking() throws {
        let id = try harness.makeUser(installID: fixture.install, extension: "2001", name: "Old Name")
        let path = "\(users)/\(id)"
        let body = #"{"hot_desk_access":true}"#
        #expect(try harness.api(.PATCH, path, key: key, json: body).status == .preconditionRequired)
        #expect(
            try harness.api(.PATCH, path, key: key, json: body, headers: [("If-Match", "\"7\"")]).status
                == .preconditionFailed)
        #expect(try harness.api(.PATCH, path, key: key, json: body, headers: [("If-Match", "*")]).status == .badRequest)
        #expect(try harness.userField(id, "hot_desk_access") == "false")
        let saved = try harness.api(.PATCH, path, key: key, json: body, headers: [("If-Match", "\"1\"")])
        #expect(saved.status == .ok)
        #expect(saved.headers["ETag"] == "\"2\"")
        #expect(PortalHarness.json(saved)["hot_desk_access"] as? Bool == true)
        #expect(PortalHarness.json(saved)["display_name"] as? String == "Old Name")
        #expect(
            try harness.api(.DELETE, path, key: key, headers: [("If-Match", "\"1\"")]).status == .preconditionFailed)
        #expect(try harness.api(.DELETE, path, key: key, headers: [("If-Match", "\"2\"")]).status == .noContent)
        #expect(try harness.api(.GET, path, key: key).status == .notFound)
    }

    @Test("a PIN is set write-only with the weak-PIN rule, generated once, and cleared")
    func pins() throws {
        let id = try harness.makeUser(installID: fixture.install, extension: "3001")
        let pin = "\(users)/\(id)/pin"
        let weak = try harness.api(.PUT, pin, key: key, json: #"{"pin":"3001"}"#, headers: [("If-Match", "\"1\"")])
        #expect(weak.status == .unprocessableContent)
        #expect(
            PortalHarness.problemMessage(weak, field: "pin")
                == HotDeskPINError.weak(.matchesExtension).message)
        let set = try harness.api(.PUT, pin, key: key, json: #"{"pin":"4829"}"#, headers: [("If-Match", "\"1\"")])
        #expect(set.status == .noContent)
        #expect(set.headers["ETag"] == "\"2\"")
        #expect(set.body.isEmpty)
        #expect(PortalHarness.json(try harness.api(.GET, "\(users)/\(id)", key: key))["has_pin"] as? Bool == true)
        #expect(try harness.userField(id, "hot_desk_pin") == "4829")
        let generated = try harness.api(.POST, pin + ":generate", key: key, headers: [("If-Match", "\"2\"")])
        #expect(generated.status == .ok)
        let drawn = try #require(PortalHarness.json(generated)["pin"] as? String)
        #expect(try harness.userField(id, "hot_desk_pin") == drawn)
        #expect(generated.headers["ETag"] == "\"3\"")
        let cleared = try harness.api(.DELETE, pin, key: key, headers: [("If-Match", "\"3\"")])
        #expect(cleared.status == .ok)
        #expect(try harness.userField(id, "hot_desk_pin") == nil)
        #expect(try harness.auditEvents(action: "pin.reset").count == 2)
        #expect(try harness.auditEvents(action: "pin.cleared").count == 1)
    }

    @Test("pages follow the cursor through the body and the Link header, with the search kept")
    func paging() throws {
        for number in 0..<5 { _ = try harness.makeUser(installID: fixture.install, extension: "400\(number)") }
        _ = try harness.makeUser(installID: fixture.install, extension: "5000")
        let first = try harness.api(.GET, "\(users)?q=40&limit=2", key: key)
        #expect(first.status == .ok)
        let body = PortalHarness.json(first)
        #expect((body["items"] as? [[String: Any]])?.compactMap { $0["extension"] as? String } == ["4000", "4001"])
        let next = try #require(body["next"] as? String)
        #expect(first.headers["Link"] == "<\(next)>; rel=\"next\"")
        let second = PortalHarness.json(try harness.api(.GET, next, key: key))
        #expect((second["items"] as? [[String: Any]])?.compactMap { $0["extension"] as? String } == ["4002", "4003"])
        let last = PortalHarness.json(try harness.api(.GET, try #require(second["next"] as? String), key: key))
        #expect((last["items"] as? [[String: Any]])?.compactMap { $0["extension"] as? String } == ["4004"])
        #expect(last["next"] is NSNull)
        #expect(try harness.api(.GET, "\(users)?limit=0", key: key).status == .badRequest)
        #expect(try harness.api(.GET, "\(users)?limit=201", key: key).status == .badRequest)
        #expect(try harness.api(.GET, "\(users)?after=abc", key: key).status == .badRequest)
        #expect(try harness.api(.GET, "\(users)?page=2", key: key).status == .badRequest)
    }

    @Test("bulk access grants for the listed users only; an id of another install changes nothing (404)")
    func bulkAccess() throws {
        let one = try harness.makeUser(installID: fixture.install, extension: "6001")
        let two = try harness.makeUser(installID: fixture.install, extension: "6002")
        let elsewhere = try harness.makeUser(installID: fixture.secondInstall, extension: "6003")
        let path = "/api/v1/installs/\(fixture.install)/users:access"
        let refused = try harness.api(
            .POST, path, key: key, json: #"{"user_ids":[\#(one),\#(elsewhere)],"hot_desk_access":true}"#)
        #expect(refused.status == .notFound)
        #expect(try harness.userField(one, "hot_desk_access") == "false")
        let granted = try harness.api(
            .POST, path, key: key, json: #"{"user_ids":[\#(one),\#(two)],"hot_desk_access":true}"#)
        #expect(PortalHarness.json(granted)["changed"] as? Int == 2)
        #expect(try harness.userField(two, "hot_desk_access") == "true")
        #expect(try harness.api(.POST, path, key: key, json: #"{"user_ids":[]}"#).status == .badRequest)
    }
}

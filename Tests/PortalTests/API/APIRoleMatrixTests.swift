import Foundation
import Testing
import WebServer

@testable import HotDesk
@testable import Portal

@Suite(
    "API role × route × organization: what a manager key and another organization's key may do; refusals change nothing"
)
struct APIRoleMatrixTests {
    /// A request every route accepts from an administrator key of the install's organization.
    static func sample(_ route: APIHandlers.Route, install: Int, user: Int, range: Int) -> (String, String?) {
        let path = route.path.replacingOccurrences(of: "{install_id}", with: String(install))
            .replacingOccurrences(of: "{user_id}", with: String(user))
            .replacingOccurrences(of: "{range_id}", with: String(range))
        let body: String?
        switch (route.method, route.path) {
        case (.POST, "/api/v1/installs"):
            body = #"{"name":"Matrix","sip_domain":"matrix-\#(UUID().uuidString.prefix(6).lowercased()).example"}"#
        case (.PATCH, "/api/v1/installs/{install_id}"): body = #"{"name":"Renamed"}"#
        case (.POST, "/api/v1/installs/{install_id}/users"): body = #"{"extension":"7777","display_name":"New"}"#
        case (.POST, "/api/v1/installs/{install_id}/users:access"):
            body = #"{"user_ids":[\#(user)],"hot_desk_access":true}"#
        case (.PATCH, "/api/v1/installs/{install_id}/users/{user_id}"): body = #"{"display_name":"Renamed"}"#
        case (.PUT, "/api/v1/installs/{install_id}/users/{user_id}/pin"): body = #"{"pin":"4829"}"#
        case (.POST, "/api/v1/installs/{install_id}/trusted-ranges"):
            body = #"{"network":"192.0.2.0/24","description":"Lab"}"#
        case (.PUT, "/api/v1/installs/{install_id}/handset-settings"):
            body =
                #"{"handset_family":"t48","line_key":1,"key_label":"Hot Desk","hide_server_prompt":true,"registration_expiry":500}"#
        case (.POST, APIHandlers.importPath):
            body = #"{"csv":"extension,name,hot_desk_access\n7001,Imported,yes\n","dry_run":true}"#
        default: body = nil
        }
        return (path, body)
    }

    /// The `If-Match` that names the current version of what `route` changes.
    static func currentTag(_ route: APIHandlers.Route, harness: PortalHarness, install: Int, user: Int) throws -> String
    {
        let version: Int
        if route.path.contains("{user_id}") {
            version =
                try harness.pool.query("SELECT version FROM hotdesk.users WHERE id = \(user)").first?.decode("version")
                ?? 1
        } else if route.path.contains("handset-settings") {
            version = try harness.handsetVersion(install)
        } else if route.path.contains("{range_id}") {
            version = APIHandlers.rangeVersion
        } else {
            version = try harness.pool.query("SELECT version FROM hotdesk.installs WHERE id = \(install)")[0].decode(
                "version")
        }
        return "\"\(version)\""
    }

    /// The permission each route needs, as the operations check it.
    static func permission(_ route: APIHandlers.Route) -> Permission? {
        switch (route.method, route.path) {
        case (.GET, "/api/v1/openapi.json"): return nil
        case (.GET, "/api/v1/installs"), (.GET, "/api/v1/installs/{install_id}"),
            (.GET, "/api/v1/installs/{install_id}/users"), (.GET, "/api/v1/installs/{install_id}/users/{user_id}"):
            return .viewTelephony
        case (.PUT, "/api/v1/installs/{install_id}/users/{user_id}/pin"),
            (.POST, "/api/v1/installs/{install_id}/users/{user_id}/pin:generate"):
            return .resetPINs
        case (.GET, "/api/v1/audit-events"): return .readAudit
        default: return .manageTelephony
        }
    }

    @Test(
        "a manager key gets 403 wherever its role may not go and 404 for an install it is not assigned; nothing changes"
    )
    func managerKey() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(
            administrator: "admin@a.example", grant: try .manager(of: [fixture.install]))
        let user = try harness.makeUser(installID: fixture.install, extension: "1001")
        let otherUser = try harness.makeUser(installID: fixture.secondInstall, extension: "1002")
        for route in APIHandlers.routes {
            guard let permission = Self.permission(route) else { continue }
            let before = try harness.telephonySnapshot()
            let (path, body) = Self.sample(route, install: fixture.install, user: user, range: 1)
            let tag = try Self.currentTag(route, harness: harness, install: fixture.install, user: user)
            let response = try harness.api(route.method, path, key: key, json: body, headers: [("If-Match", tag)])
            if permission.isGranted(to: .manager) {
                #expect(response.status.code < 400, "\(route.method) \(route.path): \(PortalHarness.text(response))")
                if route.method != .GET {
                    let (elsewhere, body) = Self.sample(
                        route, install: fixture.secondInstall, user: otherUser, range: 1)
                    let refusedBefore = try harness.telephonySnapshot()
                    let refused = try harness.api(
                        route.method, elsewhere, key: key, json: body,
                        headers: [
                            (
                                "If-Match",
                                try Self.currentTag(
                                    route, harness: harness, install: fixture.secondInstall, user: otherUser)
                            )
                        ])
                    #expect(refused.status == .notFound, "\(route.method) \(route.path) on an unassigned install")
                    #expect(try harness.telephonySnapshot() == refusedBefore)
                }
            } else {
                #expect(response.status == .forbidden, "\(route.method) \(route.path): \(response.status)")
                #expect(try harness.telephonySnapshot() == before, "\(route.method) \(route.path) changed something")
            }
        }
    }

    @Test("another organization's administrator key gets 404 for every id of this organization, and changes nothing")
    func otherOrganization() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@b.example")
        let user = try harness.makeUser(installID: fixture.install, extension: "1001")
        let range: Int = try harness.pool.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(fixture.install), '10.1.0.0/16', 'Office') RETURNING id
            """)[0].decode("id")
        for route in APIHandlers.routes where route.path.contains("{install_id}") {
            let before = try harness.telephonySnapshot()
            let (path, body) = Self.sample(route, install: fixture.install, user: user, range: range)
            let response = try harness.api(route.method, path, key: key, json: body, headers: [("If-Match", "\"1\"")])
            #expect(response.status == .notFound, "\(route.method) \(route.path): \(response.status)")
            #expect(try harness.telephonySnapshot() == before, "\(route.method) \(route.path) changed something")
        }
        let installs = PortalHarness.json(try harness.api(.GET, "/api/v1/installs", key: key))
        #expect((installs["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [fixture.otherInstall])
        let events = PortalHarness.json(try harness.api(.GET, "/api/v1/audit-events", key: key))
        #expect(
            ((events["items"] as? [[String: Any]]) ?? []).allSatisfy { ($0["install_id"] as? Int) != fixture.install })
    }

    @Test("an administrator key reaches every route of its own organization")
    func administratorKey() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let user = try harness.makeUser(installID: fixture.install, extension: "1001")
        for route in APIHandlers.routes where route.method == .GET {
            let (path, _) = Self.sample(route, install: fixture.install, user: user, range: 0)
            guard !path.contains("/trusted-ranges/0") else { continue }
            let response = try harness.api(route.method, path, key: key)
            #expect(response.status == .ok, "\(route.path): \(PortalHarness.text(response))")
        }
    }
}

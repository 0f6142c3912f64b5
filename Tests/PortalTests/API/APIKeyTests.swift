import Foundation
import Testing
import WebServer

@testable import HotDesk
@testable import Portal

@Suite("API keys: created in the portal and shown once, the only way in, revocable at once, throttled, rate limited")
struct APIKeyTests {
    @Test("Accounts → API keys creates a key whose secret is shown once and works; the list shows only its prefix")
    func createdInThePortal() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let created = try harness.post(
            "/accounts/api-keys", session: fixture.administrator,
            fields: [("name", "HR provisioning"), ("role", "administrator"), ("expires_on", "")])
        #expect(created.status == .ok)
        #expect(created.headers["Cache-Control"] == "no-store")
        let page = PortalHarness.text(created)
        let start = try #require(page.range(of: "<code>hdk_"))
        let secret = String(page[page.index(start.lowerBound, offsetBy: 6)...].prefix(47))
        #expect(APIKeySecret(presented: secret) != nil)
        let stored: String = try harness.pool.query("SELECT secret_hash FROM hotdesk.api_keys")[0].decode("secret_hash")
        #expect(stored != secret && !stored.contains("hdk_"))
        #expect(try harness.api(.GET, "/api/v1/installs", key: secret).status == .ok)
        let list = PortalHarness.text(try harness.get("/accounts/api-keys", session: fixture.administrator))
        #expect(list.contains(String(secret.prefix(12)) + "…"))
        #expect(!list.contains(secret))
        #expect(list.contains("HR provisioning"))
        #expect(try harness.auditEvents(action: "api_key.created").count == 1)
    }

    @Test("the New API key form keeps its input and names each refused field; managers cannot reach it")
    func formRefusals() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let refused = try harness.post(
            "/accounts/api-keys", session: fixture.administrator,
            fields: [("name", "Nightly sync"), ("role", "administrator"), ("expires_on", "2020-01-01")])
        #expect(refused.status == .unprocessableContent)
        let page = PortalHarness.text(refused)
        #expect(page.contains("value=\"Nightly sync\""))
        #expect(page.contains("Choose an expiry date in the future"))
        let noInstalls = try harness.post(
            "/accounts/api-keys", session: fixture.administrator, fields: [("name", "Sync"), ("role", "manager")])
        #expect(PortalHarness.text(noInstalls).contains("Choose at least one install for a manager key"))
        #expect(
            try harness.pool.query("SELECT count(*)::int AS n FROM hotdesk.api_keys")[0].decode("n", as: Int.self) == 0)
        #expect(try harness.get("/accounts/api-keys", session: fixture.manager).status == .forbidden)
        #expect(
            try harness.post(
                "/accounts/api-keys", session: fixture.manager, fields: [("name", "x"), ("role", "administrator")]
            )
            .status == .forbidden)
    }

    @Test("a revoked key is refused on its very next request; the revocation is audited")
    func revocation() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        #expect(try harness.api(.GET, "/api/v1/installs", key: key).status == .ok)
        let id: Int = try harness.pool.query("SELECT id FROM hotdesk.api_keys")[0].decode("id")
        let confirm = try harness.get("/accounts/api-keys/\(id)/revoke", session: fixture.administrator)
        #expect(PortalHarness.text(confirm).contains("stops working at once"))
        let revoked = try harness.post("/accounts/api-keys/\(id)/revoke", session: fixture.administrator)
        #expect(revoked.status == .seeOther)
        let refused = try harness.api(.GET, "/api/v1/installs", key: key)
        #expect(refused.status == .unauthorized)
        #expect(refused.headers["WWW-Authenticate"] == "Bearer realm=\"HotDesk API\"")
        #expect(try harness.auditEvents(action: "api_key.revoked").count == 1)
        let other = try harness.post("/accounts/api-keys/\(id)/revoke", session: fixture.otherAdministrator)
        #expect(other.status == .notFound)
    }

    @Test("a session cookie is no key: 401, and so are a missing, malformed, unknown or expired key")
    func onlyKeysAuthenticate() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let withCookie = try harness.api(
            .GET, "/api/v1/installs", key: nil, cookies: ["hotdesk_session": fixture.administrator.token])
        #expect(withCookie.status == .unauthorized)
        #expect(
            PortalHarness.json(withCookie)["detail"] as? String
                == "Send an API key: Authorization: Bearer <key>. Session cookies are not accepted here.")
        #expect(try harness.api(.GET, "/api/v1/installs", key: "hdk_short").status == .unauthorized)
        #expect(
            try harness.api(.GET, "/api/v1/installs", key: "hdk_" + String(repeating: "A", count: 43)).status
                == .unauthorized)
        let expiring = try harness.makeKey(
            administrator: "admin@a.example", name: "Soon", expiresAt: Date().addingTimeInterval(60))
        #expect(try harness.api(.GET, "/api/v1/installs", key: expiring).status == .ok)
        try harness.pool.query(
            "UPDATE hotdesk.api_keys SET expires_at = now() - interval '1 second' WHERE name = 'Soon'")
        #expect(try harness.api(.GET, "/api/v1/installs", key: expiring).status == .unauthorized)
    }

    @Test("unknown keys from one address are throttled like failed sign-ins: 429 with Retry-After; valid keys pass")
    func failedKeysThrottled() throws {
        var settings = OperationSettings()
        settings.throttle.sourceLimit = 3
        let fixture = try AccountFixture(operations: settings)
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let wrong = "hdk_" + String(repeating: "B", count: 43)
        for _ in 0..<3 {
            #expect(
                try harness.api(.GET, "/api/v1/installs", key: wrong, remoteAddress: "198.51.100.7").status
                    == .unauthorized)
        }
        let locked = try harness.api(.GET, "/api/v1/installs", key: wrong, remoteAddress: "198.51.100.7")
        #expect(locked.status == .tooManyRequests)
        #expect(locked.headers["Retry-After"] != nil)
        let failures: Int = try harness.pool.query(
            "SELECT count(*)::int AS n FROM hotdesk.sign_in_failures WHERE source_address = '198.51.100.7'")[0].decode(
                "n")
        #expect(failures == 3)
        // A valid key cannot be guessed: it is not held up by its address's lock.
        #expect(try harness.api(.GET, "/api/v1/installs", key: key, remoteAddress: "198.51.100.7").status == .ok)
        #expect(
            try harness.api(.GET, "/api/v1/installs", key: wrong, remoteAddress: "198.51.100.8").status == .unauthorized
        )
    }

    @Test("a key past its rate gets 429 with Retry-After; another key keeps its own budget")
    func rateLimit() throws {
        var settings = PortalSettings()
        settings.apiRequestsPerMinute = 3
        let fixture = try AccountFixture(settings: settings)
        let harness = fixture.harness
        let busy = try harness.makeKey(administrator: "admin@a.example", name: "Busy")
        let quiet = try harness.makeKey(administrator: "admin@a.example", name: "Quiet")
        for _ in 0..<3 { #expect(try harness.api(.GET, "/api/v1/installs", key: busy).status == .ok) }
        let limited = try harness.api(.GET, "/api/v1/installs", key: busy)
        #expect(limited.status == .tooManyRequests)
        #expect(Int(limited.headers["Retry-After"] ?? "") ?? 0 >= 1)
        #expect(try harness.api(.GET, "/api/v1/installs", key: quiet).status == .ok)
    }

    @Test("the last use is recorded with its address")
    func lastUse() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        _ = try harness.api(.GET, "/api/v1/installs", key: key, remoteAddress: "203.0.113.5")
        let row = try harness.pool.query(
            "SELECT host(last_used_address) AS address, last_used_at FROM hotdesk.api_keys")[0]
        #expect(try row.decode("address", as: String.self) == "203.0.113.5")
        #expect(
            PortalHarness.text(try harness.get("/accounts/api-keys", session: fixture.administrator)).contains(
                "from 203.0.113.5"))
    }

    @Test("a key kept in another instance's memory is refused there as soon as it is revoked here")
    func revocationReachesOtherInstances() throws {
        let fixture = try AccountFixture()
        let here = fixture.harness
        let there = try PortalHarness(sharingDatabaseOf: here)
        let key = try here.makeKey(administrator: "admin@a.example")
        #expect(try there.api(.GET, "/api/v1/audit-events?limit=1", key: key).status == .ok)
        let hitsBefore = there.changes.cache.statistics.hits
        #expect(try there.api(.GET, "/api/v1/audit-events?limit=1", key: key).status == .ok)
        #expect(there.changes.cache.statistics.hits > hitsBefore, "the second request found the key in memory")
        let id: Int = try here.pool.query("SELECT id FROM hotdesk.api_keys")[0].decode("id")
        #expect(try here.post("/accounts/api-keys/\(id)/revoke", session: fixture.administrator).status == .seeOther)
        var status = HTTPStatus.ok
        for _ in 0..<100 where status != .unauthorized {
            status = try there.api(.GET, "/api/v1/audit-events?limit=1", key: key).status
            if status != .unauthorized { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(status == .unauthorized)
    }
}

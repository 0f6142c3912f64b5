import Crypto
import Foundation
import TestSupport
import Testing
import WebServer

@testable import HotDesk
@testable import Portal

@Suite("API conventions: the OpenAPI document matches the routes, problem documents everywhere, idempotent creation")
struct APIConventionTests {
    /// The document's operations, as `METHOD /path` lines.
    static func documentedOperations() throws -> Set<String> {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPostgres.repositoryRoot + "/Resources/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        return Set(
            paths.flatMap { path, item in
                item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
    }

    @Test("every route is in the OpenAPI document and the document describes no route that does not exist")
    func documentMatchesRoutes() throws {
        let routes = Set(APIHandlers.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = try Self.documentedOperations()
        #expect(routes.subtracting(documented).isEmpty, "routes missing from the document")
        #expect(documented.subtracting(routes).isEmpty, "documented operations without a route")
    }

    @Test("the document is served as JSON without a key, and is the repository's file")
    func documentServed() throws {
        let harness = try PortalHarness()
        let response = try harness.api(.GET, "/api/v1/openapi.json", key: nil)
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "application/json")
        let file = try Data(contentsOf: URL(fileURLWithPath: TestPostgres.repositoryRoot + "/Resources/openapi.json"))
        #expect(Data(response.body) == file)
    }

    @Test("the router's 404 and 405 under /api/ are problem documents, with Allow; the screens keep HTML")
    func routerErrorsAreProblems() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let missing = try harness.api(.GET, "/api/v1/nothing-here", key: key)
        #expect(missing.status == .notFound)
        #expect(missing.headers["Content-Type"] == "application/problem+json")
        #expect(PortalHarness.json(missing)["type"] as? String == "urn:hotdesk:problem:not_found")
        let method = try harness.api(.DELETE, "/api/v1/installs", key: key)
        #expect(method.status == .methodNotAllowed)
        #expect(method.headers["Allow"] == "GET, HEAD, POST")
        #expect(PortalHarness.json(method)["status"] as? Int == 405)
        #expect(try harness.get("/nothing-here").headers["Content-Type"]?.hasPrefix("text/html") == true)
    }

    @Test("an Idempotency-Key replays the first answer; another body is 422; a request still running is 409")
    func idempotency() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let key = try harness.makeKey(administrator: "admin@a.example")
        let path = "/api/v1/installs/\(fixture.install)/users"
        let body = #"{"extension":"1001","display_name":"Ann"}"#
        let first = try harness.api(.POST, path, key: key, json: body, headers: [("Idempotency-Key", "onboard-1001")])
        #expect(first.status == .created)
        let again = try harness.api(.POST, path, key: key, json: body, headers: [("Idempotency-Key", "onboard-1001")])
        #expect(again.status == .created)
        #expect(again.headers["Idempotent-Replayed"] == "true")
        #expect(again.body == first.body)
        #expect(again.headers["Location"] == first.headers["Location"])
        #expect(try harness.auditEvents(action: "user.created").count == 1)
        let other = try harness.api(
            .POST, path, key: key, json: #"{"extension":"1002","display_name":"Bo"}"#,
            headers: [("Idempotency-Key", "onboard-1001")])
        #expect(other.status == .unprocessableContent)
        #expect(PortalHarness.json(other)["type"] as? String == "urn:hotdesk:problem:idempotency_key_reused")
        // A claim whose request has not answered yet, as another instance would hold it: the same method, path and
        // body, hashed as the API hashes them.
        let hash = Secrets.sha256Hex(bytes: Array("POST \(path)\n".utf8) + Array(body.utf8))
        try harness.pool.query(
            """
            INSERT INTO hotdesk.idempotent_requests (api_key_id, idempotency_key, request_hash)
            SELECT id, 'running', \(hash) FROM hotdesk.api_keys
            """)
        let running = try harness.api(.POST, path, key: key, json: body, headers: [("Idempotency-Key", "running")])
        #expect(running.status == .conflict)
        // A refusal is an answer too: it is replayed, and the key cannot be reused for another body.
        let refused = try harness.api(
            .POST, path, key: key, json: #"{"extension":"x","display_name":"C"}"#, headers: [("Idempotency-Key", "bad")]
        )
        #expect(refused.status == .unprocessableContent)
        let refusedAgain = try harness.api(
            .POST, path, key: key, json: #"{"extension":"x","display_name":"C"}"#, headers: [("Idempotency-Key", "bad")]
        )
        #expect(refusedAgain.headers["Idempotent-Replayed"] == "true")
        #expect(refusedAgain.headers["Content-Type"] == "application/problem+json")
        // Kept a day: an older answer is forgotten and the key runs afresh.
        try harness.pool.query(
            "UPDATE hotdesk.idempotent_requests SET created_at = now() - interval '25 hours' WHERE idempotency_key = 'bad'"
        )
        let fresh = try harness.api(
            .POST, path, key: key, json: #"{"extension":"1003","display_name":"C"}"#,
            headers: [("Idempotency-Key", "bad")])
        #expect(fresh.status == .created)
        #expect(fresh.headers["Idempotent-Replayed"] == nil)
    }
}

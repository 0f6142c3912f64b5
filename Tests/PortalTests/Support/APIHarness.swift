import Foundation
import WebServer

@testable import HotDesk
@testable import Portal

// MARK: The JSON API

extension PortalHarness {
    /// A new API key's secret, created on behalf of the administrator `email` with `grant`.
    func makeKey(
        administrator email: String, name: String = "Provisioning", grant: APIKeyOperations.Grant = .administrator,
        expiresAt: Date? = nil
    ) throws -> String {
        try portal.operations.apiKeys.createFromCommandLine(
            administrator: try EmailAddress(email), name: try APIKeyName(name), grant: grant, expiresAt: expiresAt
        ).secret.text
    }

    /// An API request with `key` as its bearer token and `json` as its body (`application/json` unless
    /// `contentType` says otherwise).
    func api(
        _ method: HTTPMethod, _ target: String, key: String?, json: String? = nil,
        contentType: String = "application/json", headers extra: [(String, String)] = [],
        cookies: [String: String] = [:], remoteAddress: String = "127.0.0.1"
    ) throws -> Response {
        var headers = HTTPHeaders()
        headers.add("Host", Self.host)
        if let key { headers.add("Authorization", "Bearer \(key)") }
        if json != nil { headers.add("Content-Type", contentType) }
        for (name, value) in extra { headers.add(name, value) }
        let parts = target.split(separator: "?", maxSplits: 1)
        let query = parts.count > 1 ? try FormData(parsing: Array(parts[1].utf8)) : FormData()
        return send(
            Request(
                method: method, path: String(parts[0]), query: query, headers: headers, cookies: cookies,
                body: Array((json ?? "").utf8), remoteAddress: remoteAddress))
    }

    /// A response's JSON object.
    static func json(_ response: Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// The `field` of each entry of a problem's `errors`.
    static func problemFields(_ response: Response) -> [String] {
        (json(response)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// The `message` of a problem's error for `field`.
    static func problemMessage(_ response: Response, field: String) -> String? {
        (json(response)["errors"] as? [[String: Any]] ?? []).first { $0["field"] as? String == field }?["message"]
            as? String
    }
}

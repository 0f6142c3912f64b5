import Crypto
import Foundation
import HotDesk
import Logging
import WebServer

/// The JSON API under `/api/v1/` for provisioning systems: installs, users and their PINs, trusted ranges, handset
/// settings and the audit log, with organization API keys.
///
/// Every route reads its JSON into the same typed values the forms build, calls the same operation the screens
/// call, and maps the same `OperationError`s to RFC 9457 problems (`APIProblem`): no rule of the screens is written
/// twice. A request is authenticated by `Authorization: Bearer <key>` and nothing else: a session cookie is never
/// read here, so CSRF cannot apply and a signed-in browser cannot be made to call the API.
struct APIHandlers: Sendable {
    /// The path every API route lives under.
    static let prefix = "/api/"

    /// One operation of the API: its method, its path as the OpenAPI document writes it, and its handler.
    struct Route: Sendable {
        let method: HTTPMethod
        let path: String
        let handler: @Sendable (APIHandlers) -> @Sendable (Request) throws -> Response
    }

    /// Every route of the API; the OpenAPI document describes exactly these (a test holds them together).
    static let routes: [Route] = [
        Route(method: .GET, path: "/api/v1/openapi.json") { api in api.document },
        Route(method: .GET, path: "/api/v1/installs") { api in api.listInstalls },
        Route(method: .POST, path: "/api/v1/installs") { api in api.createInstall },
        Route(method: .GET, path: "/api/v1/installs/{install_id}") { api in api.getInstall },
        Route(method: .PATCH, path: "/api/v1/installs/{install_id}") { api in api.updateInstall },
        Route(method: .GET, path: "/api/v1/installs/{install_id}/users") { api in api.listUsers },
        Route(method: .POST, path: "/api/v1/installs/{install_id}/users") { api in api.createUser },
        Route(method: .POST, path: "/api/v1/installs/{install_id}/users:access") { api in api.setAccess },
        Route(method: .POST, path: importPath) { api in api.importUsers },
        Route(method: .GET, path: "/api/v1/installs/{install_id}/users:export") { api in api.exportUsers },
        Route(method: .GET, path: "/api/v1/installs/{install_id}/users/{user_id}") { api in api.getUser },
        Route(method: .PATCH, path: "/api/v1/installs/{install_id}/users/{user_id}") { api in api.updateUser },
        Route(method: .DELETE, path: "/api/v1/installs/{install_id}/users/{user_id}") { api in api.deleteUser },
        Route(method: .PUT, path: "/api/v1/installs/{install_id}/users/{user_id}/pin") { api in api.setPIN },
        Route(method: .DELETE, path: "/api/v1/installs/{install_id}/users/{user_id}/pin") { api in api.clearPIN },
        Route(method: .POST, path: "/api/v1/installs/{install_id}/users/{user_id}/pin:generate") { api in
            api.generatePIN
        },
        Route(method: .GET, path: "/api/v1/installs/{install_id}/trusted-ranges") { api in api.listRanges },
        Route(method: .POST, path: "/api/v1/installs/{install_id}/trusted-ranges") { api in api.addRange },
        Route(method: .GET, path: "/api/v1/installs/{install_id}/trusted-ranges/{range_id}") { api in api.getRange },
        Route(method: .DELETE, path: "/api/v1/installs/{install_id}/trusted-ranges/{range_id}") { api in
            api.removeRange
        },
        Route(method: .GET, path: "/api/v1/installs/{install_id}/handset-settings") { api in api.getHandsets },
        Route(method: .PUT, path: "/api/v1/installs/{install_id}/handset-settings") { api in api.updateHandsets },
        Route(method: .GET, path: "/api/v1/installs/{install_id}/handset-settings/config") { api in
            api.handsetConfiguration
        },
        Route(method: .GET, path: "/api/v1/audit-events") { api in api.listAuditEvents },
    ]

    let portal: Portal
    let limiter: APIRateLimiter
    /// The OpenAPI document, read at start-up.
    let openAPIDocument: [UInt8]

    /// True for the paths the API answers, whose errors are problem documents.
    static func serves(_ path: String) -> Bool { path.hasPrefix(prefix) || path == "/api" }

    /// Adds every route. Any other path under `/api/` gets the router's 404 or 405, as a problem document
    /// (`Portal.errorPage`).
    func register(on router: inout Router) {
        for route in Self.routes {
            router.add(route.method, Self.routerPattern(route.path), route.handler(self))
        }
    }

    /// `/api/v1/installs/{install_id}` as the router writes it: `/api/v1/installs/:install_id`.
    static func routerPattern(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }

    /// `GET /api/v1/openapi.json`: the document describing this API, for anyone (it holds no data).
    func document(_ request: Request) throws -> Response {
        var response = Response(body: openAPIDocument)
        response.headers.replaceOrAdd("Content-Type", "application/json")
        response.headers.replaceOrAdd("Cache-Control", "public, max-age=300")
        return response
    }

    /// Runs `body` for the key the request presents, once its role has `permission`: 401 without a valid key
    /// (a cookie counts for nothing), 429 past the key's rate or while the address is throttled for failed keys,
    /// 403 for a role without `permission`. Every refusal `body` throws becomes a problem document.
    func authorized(
        _ request: Request, _ permission: Permission, _ body: (APIContext) throws -> Response
    ) -> Response {
        do {
            guard let presented = Self.bearerToken(request.headers["Authorization"]) else {
                throw APIProblem.unauthenticated(
                    request.headers["Authorization"] == nil
                        ? "Send an API key: Authorization: Bearer <key>. Session cookies are not accepted here."
                        : "The Authorization header must be Bearer followed by an API key.")
            }
            let actor = try portal.operations.apiKeys.actor(presenting: presented, from: request.remoteAddress)
            let context = APIContext(request: request, actor: actor)
            if let wait = limiter.take(keyID: context.keyID) {
                throw APIProblem(
                    .tooManyRequests, code: "rate_limited", title: "Too many requests",
                    detail: "This key made more than \(portal.settings.apiRequestsPerMinute) requests in a minute.",
                    headers: [("Retry-After", "\(wait)")])
            }
            guard actor.may(permission) else { throw OperationError.forbidden }
            return try body(context)
        } catch {
            return Self.problem(for: error, request: request, logger: portal.logger)
        }
    }

    /// `authorized`, for a creating `POST` that honours `Idempotency-Key`: the same key and body replay the first
    /// answer (with `Idempotent-Replayed: true`), another body answers 422, and a request still running 409.
    func creating(
        _ request: Request, _ permission: Permission, _ body: @escaping (APIContext) throws -> Response
    ) -> Response {
        authorized(request, permission) { context in
            guard let key = try Self.idempotencyKey(request) else { return try body(context) }
            let hash = Secrets.sha256Hex(
                bytes: Array("\(request.method.rawValue) \(request.path)\n".utf8) + request.body)
            let idempotency = portal.operations.idempotency
            switch try idempotency.claim(apiKeyID: context.keyID, key: key, requestHash: hash) {
            case .replay(let answer):
                var response = Response(status: Self.status(answer.status), body: Array(answer.body.utf8))
                response.headers.replaceOrAdd(
                    "Content-Type", answer.status >= 400 ? "application/problem+json" : "application/json")
                if let location = answer.location { response.headers.replaceOrAdd("Location", location) }
                response.headers.replaceOrAdd("Idempotent-Replayed", "true")
                response.headers.replaceOrAdd("Cache-Control", "no-store")
                return response
            case .mismatch:
                throw APIProblem(
                    .unprocessableContent, code: "idempotency_key_reused", title: "Idempotency key reused",
                    detail: "This Idempotency-Key was used with another request body; use a new key for a new request.")
            case .inProgress:
                throw APIProblem(
                    .conflict, code: "idempotency_in_progress", title: "Request in progress",
                    detail: "A request with this Idempotency-Key is still running; retry once it has finished.")
            case .fresh:
                let response: Response
                do {
                    response = try body(context)
                } catch {
                    response = Self.problem(for: error, request: request, logger: portal.logger)
                }
                if response.status.code >= 500 {
                    try idempotency.release(apiKeyID: context.keyID, key: key)
                } else {
                    try idempotency.keep(
                        IdempotencyOperations.Answer(
                            status: response.status.code, location: response.headers["Location"],
                            body: String(decoding: response.body, as: UTF8.self)),
                        apiKeyID: context.keyID, key: key)
                }
                return response
            }
        }
    }

    /// The answer for whatever a route threw; anything unexpected is logged and answered 500, with no detail.
    static func problem(for error: any Error, request: Request, logger: Logger) -> Response {
        let problem: APIProblem
        switch error {
        case let error as APIProblem: problem = error
        case let error as OperationError: problem = APIProblem(error)
        case let error as HTTPError: problem = APIProblem(error)
        default:
            logger.error(
                "API request failed: \(error)",
                metadata: ["request_id": "\(request.id)", "error": "\(String(reflecting: error))"])
            problem = APIProblem(
                .internalServerError, code: "internal", title: "Internal server error",
                detail: "Something went wrong on our side. Please try again later.")
        }
        return problem.response(requestID: request.id)
    }

    /// The key of `Authorization: Bearer <key>` (the scheme in any case), or nil.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// The request's `Idempotency-Key` (a structured-field string, its quotes optional), or nil.
    static func idempotencyKey(_ request: Request) throws(APIProblem) -> String? {
        guard var key = request.headers["Idempotency-Key"] else { return nil }
        key = key.trimmingCharacters(in: .whitespaces)
        if key.utf8.count >= 2, key.hasPrefix("\""), key.hasSuffix("\"") { key = String(key.dropFirst().dropLast()) }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E && $0 != 0x22 })
        else {
            throw .badRequest(
                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
                errors: [
                    .init(field: "Idempotency-Key", code: "invalid", message: "Send 1 to 255 visible ASCII characters.")
                ])
        }
        return key
    }

    /// The status with its reason phrase, for a replayed answer.
    private static func status(_ code: Int) -> HTTPStatus {
        let known: [HTTPStatus] = [
            .ok, .created, .noContent, .badRequest, .forbidden, .notFound, .conflict, .preconditionFailed,
            .unprocessableContent, .tooManyRequests,
        ]
        return known.first { $0.code == code } ?? HTTPStatus(code: code, reason: "Replayed")
    }
}

import Foundation
import HotDesk
import WebServer

/// An RFC 9457 problem document (`application/problem+json`): how the API answers every refusal. Its `errors`
/// carry, per field, the very messages the forms show beside theirs.
struct APIProblem: Error {
    /// One refused input: its field (`extension`, `pin`…), a stable code, and the forms' message.
    struct FieldProblem: Encodable, Equatable {
        let field: String
        let code: String
        let message: String
    }

    /// The HTTP status.
    let status: HTTPStatus
    /// A stable identifier of the kind of problem (`urn:hotdesk:problem:validation`).
    let type: String
    /// A short summary of the kind of problem.
    let title: String
    /// What went wrong this time, and what to do.
    let detail: String
    /// The refused inputs, if any.
    var errors: [FieldProblem] = []
    /// Extra headers (`Retry-After`, `Allow`, `WWW-Authenticate`).
    var headers: [(String, String)] = []

    /// A problem of kind `code` (`validation`, `not_found`…).
    init(
        _ status: HTTPStatus, code: String, title: String, detail: String, errors: [FieldProblem] = [],
        headers: [(String, String)] = []
    ) {
        self.status = status
        self.type = "urn:hotdesk:problem:" + code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// Inputs the forms would refuse: 422 with each field's message.
    static func validation(_ errors: [FieldProblem]) -> APIProblem {
        APIProblem(
            .unprocessableContent, code: "validation", title: "Invalid input",
            detail: errors.count == 1 ? errors[0].message : "\(errors.count) fields were refused; see errors.",
            errors: errors)
    }

    /// A request the API cannot read (malformed JSON, an unknown field, a value of the wrong JSON type): 400.
    static func badRequest(_ detail: String, errors: [FieldProblem] = []) -> APIProblem {
        APIProblem(.badRequest, code: "bad_request", title: "Bad request", detail: detail, errors: errors)
    }

    /// A domain refusal, as the API answers it: the forms' message, and the field it concerns.
    init(_ error: OperationError) {
        switch error {
        case .notFound:
            self.init(
                .notFound, code: "not_found", title: "Not found",
                detail: "There is no such resource, or this key may not see it.")
        case .forbidden:
            self.init(.forbidden, code: "forbidden", title: "Forbidden", detail: "This key's role cannot do this.")
        case .staleVersion:
            self.init(
                .preconditionFailed, code: "stale", title: "Precondition failed",
                detail: "Someone else changed this resource since the ETag in If-Match was read. Nothing was changed; "
                    + "GET it again and retry with its new ETag.")
        case .invalid(let problem):
            self = .validation([FieldProblem(field: problem.field, code: "invalid", message: problem.message)])
        case .unconfirmed(let problem):
            self = .validation([FieldProblem(field: problem.field, code: "unconfirmed", message: problem.message)])
        case .unauthenticated:
            self = .unauthenticated("The API key is unknown, revoked or expired.")
        case .throttled(let wait):
            self.init(
                .tooManyRequests, code: "throttled", title: "Too many requests",
                detail: "Too many failed API key attempts from this address. Wait and try again.",
                headers: [("Retry-After", "\(Int(wait.components.seconds) + 1)")])
        case .unavailable(let reason):
            self.init(
                .serviceUnavailable, code: "unavailable", title: "Service unavailable", detail: reason.message,
                headers: [("Retry-After", "\(Portal.retryAfterSeconds)")])
        }
    }

    /// An error the router or the server raised (404, 405, 413…), with its headers (`Allow`).
    init(_ error: HTTPError) {
        let code: String
        switch error.status {
        case .notFound: code = "not_found"
        case .methodNotAllowed: code = "method_not_allowed"
        case .payloadTooLarge: code = "too_large"
        case .serviceUnavailable: code = "unavailable"
        default: code = "http_\(error.status.code)"
        }
        self.init(
            error.status, code: code, title: error.status.reason, detail: error.message,
            headers: error.headers.map { ($0.0, $0.1) })
    }

    /// 401: no key, or one that authenticates nobody.
    static func unauthenticated(_ detail: String) -> APIProblem {
        APIProblem(
            .unauthorized, code: "unauthenticated", title: "Unauthorized", detail: detail,
            headers: [("WWW-Authenticate", "Bearer realm=\"HotDesk API\"")])
    }

    /// The document, with `instance` naming the request (the id in the access log).
    func response(requestID: String) -> Response {
        let body = Body(
            type: type, title: title, status: status.code, detail: detail, instance: "urn:hotdesk:request:" + requestID,
            errors: errors.isEmpty ? nil : errors)
        var response = APIJSON.response(body, status: status, contentType: "application/problem+json")
        for (name, value) in headers { response.headers.replaceOrAdd(name, value) }
        return response
    }

    private struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String
        let errors: [FieldProblem]?
    }
}

extension FormErrors {
    /// The messages as a problem's field list, each with `code`.
    func fieldProblems(code: String = "invalid") -> [APIProblem.FieldProblem] {
        items.map { APIProblem.FieldProblem(field: $0.field, code: code, message: $0.message) }
    }
}

import HotDesk
import WebServer

/// The audit log page for administrators: newest first, filtered by install, account and action, paginated.
struct AuditHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates = ["audit"]

    let portal: Portal

    /// Adds this family's routes.
    func register(on router: inout Router) {
        router.get("/audit", list)
    }

    /// `GET /audit?install=&account=&action=&before=`: one page of the organization's events. Malformed
    /// parameters are a 400; well-formed ones that match nothing (another organization's install, say)
    /// give an empty page.
    func list(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .readAudit) { context in
            let query = try Self.query(request.query, organizationID: context.actor.organizationID)
            let page = try portal.operations.audit.page(context.caller, filter: query)
            let view = AuditPageView(
                query: query, page: page.events, installs: page.installs, accounts: page.accounts, actions: page.actions
            )
            return try portal.page("audit", title: "Audit", context: view, for: request, session: context.session)
        }
    }

    /// The filters and cursor from the query string; empty values mean "any".
    static func query(_ parameters: FormData, organizationID: Int) throws(HTTPError) -> AuditQuery {
        try parameters.requireOnly(["install", "account", "action", "before"])
        let action = try parameters.value(for: "action").flatMap { $0.isEmpty ? nil : $0 }
        if let action, !AuditQuery.isActionName(action) {
            throw HTTPError(status: .badRequest, message: "An action is lowercase letters, dots and underscores.")
        }
        return AuditQuery(
            organizationID: organizationID, installID: try parameters.wholeNumber("install"),
            accountID: try parameters.wholeNumber("account"), action: action,
            before: try parameters.wholeNumber("before"))
    }
}

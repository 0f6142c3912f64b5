import Foundation
import HotDesk
import WebServer

/// Accounts → API keys, for administrators: the organization's keys with their last use, New API key (its secret
/// shown once), and revoking a key after a confirmation.
struct APIKeyHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates = ["api-keys", "api-key-new", "api-key-created", "api-key-revoke"]

    let portal: Portal

    /// Adds this family's routes.
    func register(on router: inout Router) {
        router.get("/accounts/api-keys", list)
        router.get("/accounts/api-keys/new", newForm)
        router.post("/accounts/api-keys", create)
        router.get("/accounts/api-keys/:key/revoke", revokeForm)
        router.post("/accounts/api-keys/:key/revoke", revoke)
    }

    /// `GET /accounts/api-keys`: every key of the organization, newest first, revoked ones included.
    func list(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            try request.query.requireOnly([])
            let keys = try portal.operations.apiKeys.list(context.caller)
            let installs = try portal.operations.accounts.installOptions(context.caller)
            return try portal.page(
                "api-keys", title: "API keys", context: APIKeyListView(keys: keys, installs: installs), for: request,
                session: context.session)
        }
    }

    /// `GET /accounts/api-keys/new`: the empty form.
    func newForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            try renderNew(context, name: "", role: nil, installIDs: [], expiry: "", errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /accounts/api-keys`: creates the key and shows its secret, on this page only.
    func create(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "name", "role", "installs", "expires_on"])
            let typedName = try form.value(for: "name") ?? ""
            let installIDs = try form.wholeNumbers("installs")
            let typedExpiry = try form.value(for: "expires_on") ?? ""
            var errors = FormErrors()
            let name = errors.parse("name") { () throws(BoundedTextError) in try APIKeyName(typedName) }
            let role = try AccountHandlers.role(in: form, errors: &errors)
            let expiry = Self.expiry(typedExpiry, errors: &errors)
            if let name, let role, errors.isEmpty {
                let outcome = try errors.submit {
                    let grant: APIKeyOperations.Grant =
                        role == .administrator ? .administrator : try .manager(of: installIDs)
                    return try portal.operations.apiKeys.create(
                        context.caller, name: name, grant: grant, expiresAt: expiry)
                }
                if case .done(let created) = outcome {
                    return try portal.page(
                        "api-key-created", title: "API key created", context: APIKeyCreatedView(created),
                        for: request, session: context.session)
                }
            }
            return try renderNew(
                context, name: typedName, role: role, installIDs: installIDs, expiry: typedExpiry, errors: errors,
                status: .unprocessableContent)
        }
    }

    /// `GET /accounts/api-keys/:key/revoke`: asks before revoking.
    func revokeForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            let id = try context.pathID("key")
            guard let key = try portal.operations.apiKeys.list(context.caller).first(where: { $0.id == id }) else {
                throw HTTPError.noSuchPage
            }
            return try portal.page(
                "api-key-revoke", title: "Revoke \(key.name)",
                context: APIKeyRevokeView(key: key, csrfToken: context.session.csrfToken), for: request,
                session: context.session)
        }
    }

    /// `POST /accounts/api-keys/:key/revoke`: revokes the key; its next request is refused.
    func revoke(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            try context.form.requireOnly(["_csrf"])
            try portal.operations.apiKeys.revoke(context.caller, id: try context.pathID("key"))
            return portal.redirect(to: "/accounts/api-keys", flash: .keyRevoked)
        }
    }

    /// The expiry typed as a date (`2027-01-31`): the key works through that day, UTC. Nil for an empty field, and
    /// for anything else after recording its message.
    static func expiry(_ typed: String, errors: inout FormErrors) -> Date? {
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        guard trimmed.utf8.count == 10, let day = formatter.date(from: trimmed) else {
            errors.add(
                "expires_on", "Enter the last day the key works as a date, for example 2027-01-31, or leave it empty.")
            return nil
        }
        return day.addingTimeInterval(86_400)
    }

    private func renderNew(
        _ context: RequestContext, name: String, role: AccountRole?, installIDs: Set<Int>, expiry: String,
        errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let options = try portal.operations.accounts.installOptions(context.caller)
        let view = APIKeyNewView(
            csrfToken: context.session.csrfToken, name: name,
            access: AccountAccessView(role: role, installIDs: installIDs, options: options, roleError: errors["role"]),
            expiry: expiry, errors: errors)
        return try portal.page(
            "api-key-new", title: "New API key", context: view, for: context.request, session: context.session,
            status: status)
    }
}

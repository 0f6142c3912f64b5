import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users?q=…&from=…`: one page of users, sorted by extension, found by extension
    /// or name prefix. Three queries whatever the install's size, in two round trips: the session, then the
    /// install and the page together; both reads are kept in the read cache until anything changes.
    func usersTab(_ request: Request) throws -> Response {
        try portal.signedIn(request) { context in
            try request.query.requireOnly(["q", "from"])
            let search = try request.query.value(for: "q") ?? ""
            let start: Extension?
            do {
                start = try request.query.value(for: "from").map { text throws(ExtensionError) in try Extension(text) }
            } catch {
                throw Self.notFound
            }
            return try renderUsers(context, search: search, from: start, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users/access`: grants or revokes Hot Desk Access for the ticked users. Every id
    /// must be one of this install's users, otherwise the answer is 404 and nothing changes.
    func bulkAccess(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try context.form.requireOnly(["_csrf", "user", "access"])
            let granted: Bool
            switch try context.form.value(for: "access") {
            case "grant": granted = true
            case "revoke": granted = false
            default: throw HTTPError(status: .badRequest, message: "Choose Grant or Revoke Hot Desk Access.")
            }
            let ids = try context.form.wholeNumbers("user")
            guard !ids.isEmpty else {
                var errors = FormErrors()
                errors.add("bulk", "Tick at least one user, then choose Grant or Revoke Hot Desk Access.")
                return try renderUsers(context, search: "", from: nil, errors: errors, status: .unprocessableContent)
            }
            let install = try portal.pool.withTransaction { connection in
                let install = try self.install(context, on: connection)
                do {
                    try users.setAccess(granted, userIDs: ids, installID: install.id, audit: context.audit, on: connection)
                } catch TelephonyError.notFound {
                    throw Self.notFound
                }
                return install
            }
            return portal.redirect(to: "/installs/\(install.id)/users", flash: granted ? .accessGranted : .accessRevoked)
        }
    }

    private func renderUsers(
        _ context: RequestContext, search: String, from start: Extension?, errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let key = UsersTabRead(
            installID: try context.pathID("id"), accountID: context.actor.accountID, search: search, start: start)
        let (install, page, rows) = try portal.cached(key) {
            let (install, page) = try portal.pool.withConnection { connection in
                try self.install(context, with: { id in
                    users.page(installID: id, search: UserSearch(search), from: start)
                }, on: connection)
            }
            return (install, page, TemplateRows(page.items.map(UserSummaryView.init)))
        }
        let view = UserListView(
            install: install, context: context, search: search, page: page, rows: rows, errors: errors)
        return try portal.page(
            "users", title: "\(view.header.name) · Users", context: view, for: context.request, session: context.session,
            status: status)
    }
}

/// The read-cache key of a Users tab page: the install as this account may see it, the page, and its rows
/// ready for the template.
private struct UsersTabRead: Hashable, Sendable {
    let installID: Int
    let accountID: Int
    let search: String
    let start: Extension?
}

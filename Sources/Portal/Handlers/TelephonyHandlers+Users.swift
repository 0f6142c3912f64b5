import HotDesk
import Templates
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users?q=…&from=…`: one page of users, sorted by extension, found by extension
    /// or name prefix. Three queries whatever the install's size, in two round trips: the session, then the
    /// install and the page together; both reads are kept in the read cache until the install or the account
    /// changes.
    func usersTab(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .viewTelephony) { context in
            try request.query.requireOnly(["q", "from"])
            let search = try request.query.value(for: "q") ?? ""
            let start: Extension?
            do {
                start = try request.query.value(for: "from").map { text throws(ExtensionError) in try Extension(text) }
            } catch {
                throw HTTPError.noSuchPage
            }
            return try renderUsers(context, search: search, from: start, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users/access`: grants or revokes Hot Desk Access for the ticked users. Every id
    /// must be one of this install's users, otherwise the answer is 404 and nothing changes.
    func bulkAccess(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
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
            let installID = try context.pathID("id")
            try portal.operations.users.setAccess(context.caller, installID: installID, userIDs: ids, granted: granted)
            return portal.redirect(to: "/installs/\(installID)/users", flash: granted ? .accessGranted : .accessRevoked)
        }
    }

    private func renderUsers(
        _ context: RequestContext, search: String, from start: Extension?, errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let tab = try portal.operations.users.page(
            context.caller, installID: try context.pathID("id"), search: search, from: start
        ) { install, page, marks in
            let rows = UserRowsView(
                users: TemplateRows(page.items.map { UserSummaryView($0, mark: marks[$0.id]) }),
                isAdministrator: context.actor.isAdministrator, installID: install.id)
            return UsersTab(install: install, page: page, rows: try portal.templates.render("user-rows", rows))
        }
        let view = UserListView(
            install: tab.install, context: context, search: search, page: tab.page, rows: tab.rows, errors: errors)
        return try portal.page(
            "users", title: "\(view.header.name) · Users", context: view, for: context.request,
            session: context.session,
            status: status)
    }
}

/// A Users tab page as the read cache keeps it: the install, the page, and its rows ready for the template.
private struct UsersTab: Sendable {
    let install: Install
    let page: UserPage
    let rows: RenderedHTML
}

import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users/:user/delete`: asks before deleting.
    func deleteUserForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let (install, user) = try installAndUser(context)
            let view = UserConfirmationView(install: install, user: user, context: context)
            return try portal.page(
                "user-delete", title: "Delete \(user.extension) \(user.displayName)", context: view, for: request,
                session: context.session)
        }
    }

    /// `POST /installs/:id/users/:user/delete`: deletes the user, unless someone saved it since the
    /// confirmation page was shown.
    func deleteUser(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try context.form.requireOnly(["_csrf", "version"])
            let version = try Self.version(in: context.form)
            let (install, user) = try installAndUser(context)
            return try changingUser(context) { connection in
                try users.delete(id: user.id, version: version, installID: install.id, audit: context.audit, on: connection)
                return portal.redirect(to: "/installs/\(install.id)/users", flash: .deleted)
            }
        }
    }
}

import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users/:user/delete`: asks before deleting.
    func deleteUserForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let (install, user) = try installAndUser(context, requiring: .manageTelephony)
            let view = UserConfirmationView(install: install, user: user, context: context)
            return try portal.page(
                "user-delete", title: "Delete \(user.extension) \(user.displayName)", context: view, for: request,
                session: context.session)
        }
    }

    /// `POST /installs/:id/users/:user/delete`: deletes the user, unless someone saved it since the
    /// confirmation page was shown.
    func deleteUser(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try context.form.requireOnly(["_csrf", "version"])
            let version = try Self.version(in: context.form)
            let installID = try context.pathID("id")
            var errors = FormErrors()
            switch try errors.submit({
                try portal.operations.users.delete(
                    context.caller, installID: installID, userID: try context.pathID("user"), version: version)
            }) {
            case .done: return portal.redirect(to: "/installs/\(installID)/users", flash: .deleted)
            case .stale, .refused, .unconfirmed: return try renderStaleSettings(context)
            }
        }
    }
}

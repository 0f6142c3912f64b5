import HotDesk
import WebServer

extension AccountHandlers {
    /// The fields the own-password form sends.
    private static let ownPasswordFields: Set<String> = [
        "_csrf", "current_password", "new_password", "new_password_confirmation",
    ]

    /// `POST /accounts/:id/password`: gives another account a new random password, shown once on the page
    /// this request answers, and ends all of that account's sessions.
    func resetPassword(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            try context.form.requireOnly(["_csrf"])
            let account: AccountSummary
            let password: Password
            do {
                (account, password) = try portal.operations.accounts.resetPassword(
                    context.caller, id: try context.pathID("id"))
            } catch OperationError.invalid(let problem) {
                return try renderEdit(
                    try self.account(context), context: context, notice: problem.message, status: .unprocessableContent)
            }
            return try renderPassword(
                "Password reset", password, id: account.id, email: account.email, displayName: account.displayName,
                context: context)
        }
    }

    /// The one page that shows a generated password, under `heading`: it is never shown again.
    func renderPassword(
        _ heading: String, _ password: Password, id: Int, email: String, displayName: String, context: RequestContext
    ) throws -> Response {
        let shown = AccountPasswordShownView(
            heading: heading, id: id, email: email, displayName: displayName, password: password.plaintext)
        return try portal.page(
            "account-password-shown", title: heading, context: shown, for: context.request, session: context.session)
    }

    /// `GET /account/password`: the form to change one's own password, for every role.
    func ownPasswordForm(_ request: Request) throws -> Response {
        try portal.signedIn(request) { context in
            try renderOwnPassword(context, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /account/password`: checks the current password (a wrong one counts as a failed sign-in for
    /// the throttle), sets the new one and ends every other session of the account, keeping this one.
    func changeOwnPassword(_ request: Request) throws -> Response {
        try portal.signedIn(request) { context in
            let form = context.form
            try form.requireOnly(Self.ownPasswordFields)
            let current = try form.value(for: "current_password") ?? ""
            var errors = FormErrors()
            if current.isEmpty { errors.add("current_password", "Enter your current password.") }
            let new = try newPassword(
                in: form, field: "new_password", confirmation: "new_password_confirmation", errors: &errors)
            let accepted = errors.isEmpty ? new : nil
            do {
                if case .done(true) = try errors.submit({
                    try portal.operations.authentication.changeOwnPassword(
                        context.caller, session: context.session, current: current, new: accepted)
                }) {
                    return portal.redirect(to: "/account/password", flash: .passwordChanged)
                }
            } catch OperationError.throttled {
                var locked = FormErrors()
                locked.add(
                    "current_password",
                    "Too many wrong passwords were entered for this account. Wait a few minutes and try again.")
                return try renderOwnPassword(context, errors: locked, status: .tooManyRequests)
            }
            return try renderOwnPassword(context, errors: errors, status: .unprocessableContent)
        }
    }

    /// The new password typed into `field` and again into `confirmation`, or nil after recording why it
    /// cannot be used.
    func newPassword(
        in form: FormData, field: String, confirmation: String, errors: inout FormErrors
    ) throws(HTTPError) -> Password? {
        let typed = try form.value(for: field) ?? ""
        let again = try form.value(for: confirmation) ?? ""
        guard
            let password = errors.parse(
                field, { () throws(PasswordProblem) in try Password(typed, policy: portal.passwordPolicy) })
        else { return nil }
        guard again == typed else {
            errors.add(confirmation, "The two passwords differ; type the same password twice.")
            return nil
        }
        return password
    }

    private func renderOwnPassword(
        _ context: RequestContext, errors: FormErrors, status: HTTPStatus
    ) throws
        -> Response
    {
        try portal.page(
            "account-password", title: "My password",
            context: AccountOwnPasswordView(csrfToken: context.session.csrfToken, errors: errors),
            for: context.request, session: context.session, status: status)
    }
}

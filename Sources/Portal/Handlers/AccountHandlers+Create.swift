import HotDesk
import WebServer

extension AccountHandlers {
    /// The fields the new-account form sends; anything else (an `organization_id`, say) is a 400.
    private static let createFields: Set<String> = [
        "_csrf", "email", "display_name", "role", "installs", "password_choice", "password", "password_confirmation",
    ]

    /// `GET /accounts/new`: the empty form; the initial password is generated unless the administrator
    /// chooses to type one.
    func newForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try renderNew(
                context, email: "", displayName: "", role: nil, installIDs: [], generatesPassword: true,
                errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /accounts`: creates the account and its audit event in one transaction. A generated password
    /// is shown once, on the page this request answers; a typed one leads back to the account.
    func create(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let form = context.form
            try form.requireOnly(Self.createFields)
            let typedEmail = try form.value(for: "email") ?? ""
            let typedName = try form.value(for: "display_name") ?? ""
            let installIDs = try installIDs(in: form, for: context)
            let generatesPassword: Bool
            switch try form.value(for: "password_choice") {
            case "generate": generatesPassword = true
            case "typed": generatesPassword = false
            default: throw HTTPError(status: .badRequest, message: "Choose whether the initial password is generated or typed.")
            }
            var errors = FormErrors()
            let email = errors.parse("email") { () throws(EmailAddressError) in try EmailAddress(typedEmail) }
            let name = errors.parse("display_name") { () throws(BoundedTextError) in try DisplayName(typedName) }
            let role = try Self.role(in: form, errors: &errors)
            let typedPassword =
                generatesPassword
                ? nil : try newPassword(in: form, field: "password", confirmation: "password_confirmation", errors: &errors)
            let unprocessable = { (errors: FormErrors) in
                try renderNew(
                    context, email: typedEmail, displayName: typedName, role: role, installIDs: installIDs,
                    generatesPassword: generatesPassword, errors: errors, status: .unprocessableContent)
            }
            guard let email, let name, let role, errors.isEmpty,
                let password = try typedPassword ?? (generatesPassword ? generatedPassword() : nil)
            else { return try unprocessable(errors) }

            let account = NewAccount(
                email: email, displayName: name, role: role, passwordHash: try portal.hasher.hash(password.plaintext),
                installIDs: installIDs)
            let id: Int
            do {
                id = try portal.pool.withTransaction { connection in
                    try portal.accounts.create(
                        account, organizationID: context.actor.organizationID, context: context.audit, on: connection)
                }
            } catch AccountError.emailTaken {
                errors.add("email", "Another account already signs in with this address; enter a different one.")
                return try unprocessable(errors)
            } catch AccountError.unknownInstall {
                throw Self.notFound
            }
            guard generatesPassword else { return portal.redirect(to: "/accounts/\(id)", flash: .created) }
            let shown = AccountPasswordShownView(
                heading: "Account created", id: id, email: email.normalized, displayName: name.text,
                password: password.plaintext)
            return try portal.page(
                "account-password-shown", title: "Account created", context: shown, for: request,
                session: context.session)
        }
    }

    private func renderNew(
        _ context: RequestContext, email: String, displayName: String, role: AccountRole?, installIDs: Set<Int>,
        generatesPassword: Bool, errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let view = AccountNewView(
            csrfToken: context.session.csrfToken, email: email, displayName: displayName,
            access: AccountAccessView(
                role: role, installIDs: installIDs, options: try installOptions(for: context), roleError: errors["role"]),
            generatesPassword: generatesPassword, errors: errors)
        return try portal.page(
            "account-new", title: "New account", context: view, for: context.request, session: context.session,
            status: status)
    }
}

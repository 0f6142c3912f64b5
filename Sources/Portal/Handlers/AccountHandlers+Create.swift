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
        try portal.signedIn(request, permission: .manageAccounts) { context in
            try renderNew(
                context, email: "", displayName: "", role: nil, installIDs: [], generatesPassword: true,
                errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /accounts`: creates the account and its audit event in one transaction. A generated password
    /// is shown once, on the page this request answers; a typed one leads back to the account.
    func create(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            let form = context.form
            try form.requireOnly(Self.createFields)
            let typedEmail = try form.value(for: "email") ?? ""
            let typedName = try form.value(for: "display_name") ?? ""
            let installIDs = try form.wholeNumbers("installs")
            let generatesPassword: Bool
            switch try form.value(for: "password_choice") {
            case "generate": generatesPassword = true
            case "typed": generatesPassword = false
            default:
                throw HTTPError(
                    status: .badRequest, message: "Choose whether the initial password is generated or typed.")
            }
            var errors = FormErrors()
            let email = errors.parse("email") { () throws(EmailAddressError) in try EmailAddress(typedEmail) }
            let name = errors.parse("display_name") { () throws(BoundedTextError) in try DisplayName(typedName) }
            let role = try Self.role(in: form, errors: &errors)
            let typedPassword =
                generatesPassword
                ? nil
                : try newPassword(in: form, field: "password", confirmation: "password_confirmation", errors: &errors)
            if let email, let name, let role, errors.isEmpty, generatesPassword || typedPassword != nil {
                let choice: AccountOperations.InitialPassword = typedPassword.map { .typed($0) } ?? .generate
                let outcome = try errors.submit {
                    try portal.operations.accounts.create(
                        context.caller, email: email, displayName: name, role: role, installIDs: installIDs,
                        password: choice)
                }
                if case .done(let created) = outcome {
                    guard let password = created.generatedPassword else {
                        return portal.redirect(to: "/accounts/\(created.id)", flash: .created)
                    }
                    return try renderPassword(
                        "Account created", password, id: created.id, email: email.normalized, displayName: name.text,
                        context: context)
                }
            }
            return try renderNew(
                context, email: typedEmail, displayName: typedName, role: role, installIDs: installIDs,
                generatesPassword: generatesPassword, errors: errors, status: .unprocessableContent)
        }
    }

    private func renderNew(
        _ context: RequestContext, email: String, displayName: String, role: AccountRole?, installIDs: Set<Int>,
        generatesPassword: Bool, errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let options = try installOptions(for: context)
        let view = AccountNewView(
            csrfToken: context.session.csrfToken, email: email, displayName: displayName,
            access: AccountAccessView(role: role, installIDs: installIDs, options: options, roleError: errors["role"]),
            generatesPassword: generatesPassword, errors: errors)
        return try portal.page(
            "account-new", title: "New account", context: view, for: context.request, session: context.session,
            status: status)
    }
}

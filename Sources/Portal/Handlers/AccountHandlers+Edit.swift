import HotDesk
import WebServer

extension AccountHandlers {
    /// The fields the account form (and its disabling confirmation) sends.
    private static let editFields: Set<String> = ["_csrf", "version", "role", "installs", "disabled", "confirm"]

    /// `GET /accounts/:id`: the account's role, installs and status, and the password reset button.
    func edit(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            try renderEdit(try account(context), context: context)
        }
    }

    /// `POST /accounts/:id`: saves role, installs and the disabled flag (disabling asks "Are you sure?"
    /// first). A stale `version` shows the current values again; the last active administrator is kept.
    func update(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            let form = context.form
            try form.requireOnly(Self.editFields)
            guard let version = try form.wholeNumber("version") else {
                throw HTTPError(status: .badRequest, message: "The form lacks the account's version; reload the page.")
            }
            let installIDs = try form.wholeNumbers("installs")
            let disables = try Self.flag("disabled", in: form, value: "on")
            let confirmed = try Self.flag("confirm", in: form, value: "yes")
            var errors = FormErrors()
            let role = try Self.role(in: form, errors: &errors)
            if let role {
                let outcome = try errors.submit {
                    try portal.operations.accounts.update(
                        context.caller, id: try context.pathID("id"), version: version, role: role,
                        installIDs: installIDs, disabled: disables, confirmsDisabling: confirmed)
                }
                switch outcome {
                case .done(let change):
                    let flash: FlashMessage
                    switch change {
                    case .unchanged: flash = .unchanged
                    case .saved: flash = .saved
                    case .disabled: flash = .accountDisabled
                    case .enabled: flash = .accountEnabled
                    }
                    return portal.redirect(to: "/accounts/\(try context.pathID("id"))", flash: flash)
                case .unconfirmed:
                    let account = try account(context)
                    let view = AccountDisableView(
                        csrfToken: context.session.csrfToken, id: account.id, email: account.email,
                        displayName: account.displayName, version: version, role: role.rawValue,
                        installIDs: installIDs.sorted(), isOwnAccount: account.id == context.actor.accountID)
                    return try portal.page(
                        "account-disable", title: "Disable account?", context: view, for: request,
                        session: context.session)
                case .stale:
                    return try renderEdit(
                        try account(context), context: context,
                        notice: "Someone else saved this account while you were editing it. The form now shows the "
                            + "current values; make your change again if it is still needed.",
                        status: .conflict)
                case .refused:
                    break
                }
            }
            return try renderEdit(
                try account(context), context: context, version: version, role: role, installIDs: installIDs,
                disabledChecked: disables, errors: errors, status: .unprocessableContent)
        }
    }

    /// The account page with the stored values, or with the values just sent (`version`, `role` and the
    /// rest) and what was wrong with them.
    func renderEdit(
        _ account: AccountSummary, context: RequestContext, version: Int? = nil, role: AccountRole?? = nil,
        installIDs: Set<Int>? = nil, disabledChecked: Bool? = nil, notice: String? = nil,
        errors: FormErrors = FormErrors(), status: HTTPStatus = .ok
    ) throws -> Response {
        let access = AccountAccessView(
            role: role ?? account.role, installIDs: installIDs ?? Set(account.installIDs),
            options: try installOptions(for: context), roleError: errors["role"])
        let view = AccountEditView(
            account, version: version ?? account.version, csrfToken: context.session.csrfToken,
            isOwnAccount: account.id == context.actor.accountID, access: access,
            disabledChecked: disabledChecked ?? account.isDisabled, notice: notice, errors: errors)
        return try portal.page(
            "account-edit", title: account.displayName, context: view, for: context.request, session: context.session,
            status: status)
    }

    /// Whether a checkbox or hidden flag was sent; 400 when it carries any value but `value`.
    private static func flag(_ name: String, in form: FormData, value: String) throws(HTTPError) -> Bool {
        guard let sent = try form.value(for: name) else { return false }
        guard sent == value else {
            throw HTTPError(status: .badRequest, message: "The field “\(name)” has an unexpected value.")
        }
        return true
    }
}

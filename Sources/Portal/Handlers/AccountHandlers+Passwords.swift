import HotDesk
import WebServer

extension AccountHandlers {
    /// The fields the own-password form sends.
    private static let ownPasswordFields: Set<String> = [
        "_csrf", "current_password", "new_password", "new_password_confirmation",
    ]

    /// The characters of generated passwords: lowercase letters and digits without the look-alikes
    /// `i`, `l`, `o`, `0` and `1`, so a password read aloud or copied by hand survives.
    private static let generatedAlphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// `POST /accounts/:id/password`: gives another account a new random password, shown once on the page
    /// this request answers, and ends all of that account's sessions.
    func resetPassword(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try context.form.requireOnly(["_csrf"])
            let account = try account(try context.pathID("id"), for: context)
            guard account.id != context.actor.accountID else {
                return try renderEdit(
                    account, context: context,
                    notice: "To change your own password, use My password: it asks for your current one and keeps "
                        + "you signed in.",
                    status: .unprocessableContent)
            }
            let password = try generatedPassword()
            let hash = try portal.hasher.hash(password.plaintext)
            do {
                try portal.pool.withTransaction { connection in
                    try portal.accounts.setPassword(
                        accountID: account.id, organizationID: context.actor.organizationID, passwordHash: hash,
                        keptSession: nil, context: context.audit, on: connection)
                }
            } catch AccountError.notFound {
                throw Self.notFound
            }
            let shown = AccountPasswordShownView(
                heading: "Password reset", id: account.id, email: account.email, displayName: account.displayName,
                password: password.plaintext)
            return try portal.page(
                "account-password-shown", title: "Password reset", context: shown, for: request, session: context.session)
        }
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
            let actor = context.actor
            let source = request.remoteAddress
            var errors = FormErrors()
            if try portal.pool.withConnection({
                try portal.settings.throttle.remainingLock(email: actor.email, source: source, on: $0)
            }) != nil {
                errors.add(
                    "current_password",
                    "Too many wrong passwords were entered for this account. Wait a few minutes and try again.")
                return try renderOwnPassword(context, errors: errors, status: .tooManyRequests)
            }
            let current = try form.value(for: "current_password") ?? ""
            if current.isEmpty {
                errors.add("current_password", "Enter your current password.")
            } else if !(try portal.hasher.verify(current, against: try storedHash(of: actor))) {
                try portal.pool.withTransaction { connection in
                    try portal.settings.throttle.recordFailure(email: actor.email, source: source, on: connection)
                    try AuditLog.record(
                        AuditEvent(
                            action: "account.password_changed", result: .failure, targetType: "account",
                            targetID: actor.accountID, targetLabel: actor.email),
                        context: context.audit, on: connection)
                }
                errors.add("current_password", "That is not your current password.")
            }
            let new = try newPassword(
                in: form, field: "new_password", confirmation: "new_password_confirmation", errors: &errors)
            guard errors.isEmpty, let new else {
                return try renderOwnPassword(context, errors: errors, status: .unprocessableContent)
            }
            let hash = try portal.hasher.hash(new.plaintext)
            try portal.pool.withTransaction { connection in
                try portal.accounts.setPassword(
                    accountID: actor.accountID, organizationID: actor.organizationID, passwordHash: hash,
                    keptSession: context.session.tokenHash, context: context.audit, on: connection)
            }
            return portal.redirect(to: "/account/password", flash: .passwordChanged)
        }
    }

    /// The new password typed into `field` and again into `confirmation`, or nil after recording why it
    /// cannot be used.
    func newPassword(
        in form: FormData, field: String, confirmation: String, errors: inout FormErrors
    ) throws(HTTPError) -> Password? {
        let typed = try form.value(for: field) ?? ""
        let again = try form.value(for: confirmation) ?? ""
        guard let password = errors.parse(field, { () throws(PasswordProblem) in
            try Password(typed, policy: portal.passwordPolicy)
        }) else { return nil }
        guard again == typed else {
            errors.add(confirmation, "The two passwords differ; type the same password twice.")
            return nil
        }
        return password
    }

    /// A random password of four groups of five characters from `generatedAlphabet` (about 99 bits),
    /// drawn without bias from libsodium's generator.
    func generatedPassword() throws(PasswordProblem) -> Password {
        let groups = (0..<4).map { _ in
            String((0..<5).map { _ in
                Self.generatedAlphabet[Int(Secrets.uniform(below: UInt32(Self.generatedAlphabet.count)))]
            })
        }
        return try Password(groups.joined(separator: "-"), policy: portal.passwordPolicy)
    }

    private func storedHash(of actor: Actor) throws -> String? {
        try portal.pool.withConnection { connection in
            try portal.accounts.passwordHash(
                accountID: actor.accountID, organizationID: actor.organizationID, on: connection)
        }
    }

    private func renderOwnPassword(_ context: RequestContext, errors: FormErrors, status: HTTPStatus) throws
        -> Response
    {
        try portal.page(
            "account-password", title: "My password",
            context: AccountOwnPasswordView(csrfToken: context.session.csrfToken, errors: errors),
            for: context.request, session: context.session, status: status)
    }
}

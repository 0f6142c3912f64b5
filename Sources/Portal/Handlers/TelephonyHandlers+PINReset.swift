import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users/:user/pin`: Reset PIN, for managers of the install and administrators.
    func resetPINForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .resetPINs) { context in
            let (install, user) = try installAndUser(context, requiring: .resetPINs)
            return try renderReset(
                context, install: install, user: user, isStale: false, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users/:user/pin`: sets a PIN typed twice, or generates one and shows it on the
    /// page this request answers (200, never cached, no redirect): the only time it is ever shown. One pool
    /// checkout: the operation's transaction; the page is rendered after it committed.
    func resetPIN(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .resetPINs) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "pin", "pin_confirmation", "generate"])
            let version = try Self.version(in: form)
            let generates = try form.value(for: "generate") == "yes"
            let typedPIN = try form.value(for: "pin") ?? ""
            let typedConfirmation = try form.value(for: "pin_confirmation") ?? ""
            var errors = FormErrors()
            var choice = UserOperations.PINChoice.generate
            if !generates {
                let pin = errors.parse("pin") { () throws(HotDeskPINError) in try TypedPIN(typedPIN) }
                if let pin {
                    choice = .typed(pin)
                    if typedConfirmation != typedPIN {
                        errors.add("pin_confirmation", "The two PINs differ; type the same four digits in both fields.")
                    }
                }
            }
            if errors.isEmpty {
                let outcome = try errors.submit {
                    try portal.operations.users.resetPIN(
                        context.caller, installID: try context.pathID("id"), userID: try context.pathID("user"),
                        version: version, to: choice)
                }
                switch outcome {
                case .done(let reset):
                    guard let generated = reset.generatedPIN else {
                        return portal.redirect(to: "/installs/\(reset.install.id)/users", flash: .pinReset)
                    }
                    let view = UserConfirmationView(
                        install: reset.install, user: reset.user, context: context, generatedPIN: generated)
                    return try portal.page(
                        "user-pin-generated", title: "New PIN for \(reset.user.extension)", context: view, for: request,
                        session: context.session)
                case .stale:
                    let (install, user) = try installAndUser(context, requiring: .resetPINs)
                    return try renderReset(
                        context, install: install, user: user, isStale: true, errors: FormErrors(), status: .conflict)
                case .refused, .unconfirmed:
                    break
                }
            }
            let (install, user) = try installAndUser(context, requiring: .resetPINs)
            return try renderReset(
                context, install: install, user: user, isStale: false, errors: errors, status: .unprocessableContent)
        }
    }

    private func renderReset(
        _ context: RequestContext, install: Install, user: HotDeskUser, isStale: Bool, errors: FormErrors,
        status: HTTPStatus
    ) throws -> Response {
        let view = UserResetPINView(install: install, user: user, context: context, isStale: isStale, errors: errors)
        return try portal.page(
            "user-reset-pin", title: "Reset the PIN of \(user.extension)", context: view, for: context.request,
            session: context.session, status: status)
    }
}

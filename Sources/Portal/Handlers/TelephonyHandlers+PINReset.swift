import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users/:user/pin`: Reset PIN, for managers of the install and administrators.
    func resetPINForm(_ request: Request) throws -> Response {
        try portal.signedIn(request) { context in
            let (install, user) = try installAndUser(context)
            return try renderReset(context, install: install, user: user, isStale: false, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users/:user/pin`: sets a PIN typed twice, or generates one and shows it on the
    /// page this request answers (200, never cached, no redirect): the only time it is ever shown.
    func resetPIN(_ request: Request) throws -> Response {
        try portal.signedIn(request) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "pin", "pin_confirmation", "generate"])
            let version = try Self.version(in: form)
            let generates = try form.value(for: "generate") == "yes"
            let typedPIN = try form.value(for: "pin") ?? ""
            let typedConfirmation = try form.value(for: "pin_confirmation") ?? ""
            let (install, user) = try installAndUser(context)
            var errors = FormErrors()
            let pin: HotDeskPIN?
            if generates {
                pin = HotDeskPIN.generate(for: user.extension)
            } else {
                pin = errors.parse("pin") { () throws(HotDeskPINError) in try HotDeskPIN(typedPIN, for: user.extension) }
                if pin != nil && typedConfirmation != typedPIN {
                    errors.add("pin_confirmation", "The two PINs differ; type the same four digits in both fields.")
                }
            }
            guard let pin, errors.isEmpty else {
                return try renderReset(
                    context, install: install, user: user, isStale: false, errors: errors, status: .unprocessableContent)
            }
            let conflictPage = { (install: Install, user: HotDeskUser) in
                try renderReset(
                    context, install: install, user: user, isStale: true, errors: FormErrors(), status: .conflict)
            }
            return try changingUser(context, conflictPage: conflictPage) { connection in
                try users.replacePIN(
                    pin, userID: user.id, version: version, installID: install.id, audit: context.audit, on: connection)
                guard generates else { return portal.redirect(to: "/installs/\(install.id)/users", flash: .pinReset) }
                let view = UserConfirmationView(install: install, user: user, context: context, generatedPIN: pin)
                return try portal.page(
                    "user-pin-generated", title: "New PIN for \(user.extension)", context: view, for: request,
                    session: context.session)
            }
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

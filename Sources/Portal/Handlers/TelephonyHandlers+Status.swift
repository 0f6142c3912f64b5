import HotDesk
import Templates
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/status?q=…&from=…`: who is logged in on the install's handsets, 50 a page, found by
    /// extension or name prefix; read live from the registrar's state (never cached), in two round trips
    /// whatever the install's size.
    func statusTab(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .viewTelephony) { context in
            try request.query.requireOnly(["q", "from"])
            let search = try request.query.value(for: "q") ?? ""
            let from = try request.query.value(for: "from")
            let start = HotDeskStatusView.start(from)
            if from != nil && start == nil { throw HTTPError.noSuchPage }
            let status = try portal.operations.registrations.status(
                context.caller, installID: try context.pathID("id"), search: search, from: start)
            let view = HotDeskStatusView(status, context: context, search: search, start: start)
            var response = try portal.page(
                "hot-desk-status", title: "\(status.install.name) · Hot Desk Status", context: view, for: request,
                session: context.session)
            response.headers.replaceOrAdd("Cache-Control", "no-store")
            return response
        }
    }

    /// `GET /installs/:id/status/:registration/logout?from=user`: asks before logging the operator out.
    func forcedLogoutForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .logOutOperators) { context in
            try request.query.requireOnly(["from"])
            let (install, registration) = try portal.operations.registrations.registration(
                context.caller, installID: try context.pathID("id"), registrationID: try context.pathID("registration"))
            let returnTo = Self.afterLogout(
                install: install, registration: registration, fromUser: try request.query.value(for: "from") == "user",
                actor: context.actor)
            return try portal.page(
                "registration-logout", title: "\(install.name) · Log out \(registration.extension)",
                context: ForcedLogoutView(
                    install: install, registration: registration, context: context, returnTo: returnTo),
                for: request, session: context.session)
        }
    }

    /// `POST /installs/:id/status/:registration/logout`: logs the operator out at once (audited); a
    /// registration already gone answers 404.
    func forcedLogout(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .logOutOperators) { context in
            try context.form.requireOnly(["_csrf", "return_to"])
            let installID = try context.pathID("id")
            let (install, registration) = try portal.operations.registrations.registration(
                context.caller, installID: installID, registrationID: try context.pathID("registration"))
            try portal.operations.registrations.forceLogout(
                context.caller, installID: installID, registrationID: registration.id)
            let returnTo = Self.afterLogout(
                install: install, registration: registration,
                fromUser: try context.form.value(for: "return_to") != Self.statusPath(installID),
                actor: context.actor)
            return portal.redirect(to: returnTo, flash: .loggedOut)
        }
    }

    /// `GET /installs/:id/history?extension=…&from=…`: the install's login history, or one extension's, newest
    /// first, 50 a page.
    func historyTab(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .viewTelephony) { context in
            try request.query.requireOnly(["extension", "from"])
            let typed = try request.query.value(for: "extension") ?? ""
            var errors = FormErrors()
            let number =
                typed.allSatisfy(\.isWhitespace)
                ? nil : errors.parse("extension") { () throws(ExtensionError) in try Extension(typed) }
            let error = errors["extension"]
            let before: Int?
            switch try request.query.value(for: "from") {
            case nil: before = nil
            case let text?:
                guard text.utf8.count <= 18, text.utf8.allSatisfy({ (48...57).contains($0) }), let id = Int(text)
                else { throw HTTPError.noSuchPage }
                before = id
            }
            let (install, page) = try portal.operations.registrations.history(
                context.caller, installID: try context.pathID("id"), extension: number, before: before)
            let view = LoginHistoryView(install: install, context: context, extension: typed, page: page, error: error)
            return try portal.page(
                "login-history", title: "\(install.name) · Login history", context: view, for: request,
                session: context.session, status: error == nil ? .ok : .unprocessableContent)
        }
    }

    /// `POST /installs/:id/settings/login-policy`: saves the install's login policy; every field keeps its
    /// input and shows its own message on a refusal, and a save that lost a race shows the saved values.
    func saveLoginPolicy(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let form = context.form
            try form.requireOnly([
                "_csrf", "version", "max_login_hours", "daily_logout_at", "time_zone", "second_login",
            ])
            let version = try Self.version(in: form)
            let input = LoginPolicyInput(
                maximumLoginHours: try form.value(for: "max_login_hours") ?? "",
                dailyLogoutAt: try form.value(for: "daily_logout_at") ?? "",
                timeZone: try form.value(for: "time_zone") ?? "", secondLogin: try form.value(for: "second_login") ?? ""
            )
            let installID = try context.pathID("id")
            var errors = FormErrors()
            if let policy = input.parse(errors: &errors) {
                switch try errors.submit({
                    try portal.operations.registrations.setPolicy(
                        context.caller, installID: installID, version: version, policy: policy)
                }) {
                case .done: return portal.redirect(to: "/installs/\(installID)/settings#login-policy", flash: .saved)
                case .stale:
                    return try renderInstallSettings(context, policyInput: nil, policyIsStale: true, status: .conflict)
                case .refused, .unconfirmed: break
                }
            }
            return try renderInstallSettings(
                context, policyInput: (input, errors), policyIsStale: false, status: .unprocessableContent)
        }
    }

    /// Hot Desk Status of the install.
    static func statusPath(_ installID: Int) -> String { "/installs/\(installID)/status" }

    /// Where a forced logout leads: back to the user's settings when it started there (administrators only; a
    /// manager has no User Settings), else to Hot Desk Status.
    private static func afterLogout(
        install: Install, registration: Registration, fromUser: Bool, actor: Actor
    ) -> String {
        if fromUser, actor.may(.manageTelephony), let user = registration.user {
            return "/installs/\(install.id)/users/\(user.id)"
        }
        return statusPath(install.id)
    }
}

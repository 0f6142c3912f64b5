import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users/new`: the Add user form.
    func newUserForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try renderNewUser(context, extension: "", displayName: "", errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users`: adds a user (extension unique within the install, and a name).
    func createUser(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try context.form.requireOnly(["_csrf", "extension", "display_name"])
            let typedExtension = try context.form.value(for: "extension") ?? ""
            let typedName = try context.form.value(for: "display_name") ?? ""
            let installID = try context.pathID("id")
            var errors = FormErrors()
            let number = errors.parse("extension") { () throws(ExtensionError) in try Extension(typedExtension) }
            let name = errors.parse("display_name") { () throws(BoundedTextError) in try DisplayName(typedName) }
            if let number, let name,
                case .done(let id) = try errors.submit({
                    try portal.operations.users.create(
                        context.caller, installID: installID, extension: number, displayName: name)
                })
            {
                return portal.redirect(to: "/installs/\(installID)/users/\(id)", flash: .created)
            }
            return try renderNewUser(
                context, extension: typedExtension, displayName: typedName, errors: errors,
                status: .unprocessableContent)
        }
    }

    /// `GET /installs/:id/users/:user`: User Settings.
    func userSettings(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let (install, user) = try installAndUser(context, requiring: .manageTelephony)
            return try renderSettings(
                context, install: install, user: user, displayName: user.displayName, hasAccess: user.hasAccess,
                isStale: false, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users/:user`: saves name, Hot Desk Access and (when typed) a new PIN; an empty
    /// PIN field keeps the current PIN. A save that lost a race shows the saved values and changes nothing.
    func saveUser(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "display_name", "hot_desk_access", "pin"])
            let version = try Self.version(in: form)
            let typedName = try form.value(for: "display_name") ?? ""
            let hasAccess = try form.value(for: "hot_desk_access") == "yes"
            let typedPIN = try form.value(for: "pin") ?? ""
            var errors = FormErrors()
            let name = errors.parse("display_name") { () throws(BoundedTextError) in try DisplayName(typedName) }
            let keepsPIN = typedPIN.allSatisfy(\.isWhitespace)
            let pin = keepsPIN ? nil : errors.parse("pin") { () throws(HotDeskPINError) in try TypedPIN(typedPIN) }
            if let name, errors.isEmpty {
                let outcome = try errors.submit {
                    try portal.operations.users.update(
                        context.caller, installID: try context.pathID("id"), userID: try context.pathID("user"),
                        version: version, displayName: name, hasAccess: hasAccess, pin: pin)
                }
                switch outcome {
                case .done: return portal.redirect(to: "/installs/\(try context.pathID("id"))/users", flash: .saved)
                case .stale: return try renderStaleSettings(context)
                case .refused, .unconfirmed: break
                }
            }
            let (install, user) = try installAndUser(context, requiring: .manageTelephony)
            return try renderSettings(
                context, install: install, user: user, displayName: typedName, hasAccess: hasAccess, isStale: false,
                errors: errors, status: .unprocessableContent)
        }
    }

    /// `POST /installs/:id/users/:user/clear-pin`: removes the user's PIN, so nobody can log in as them.
    func clearPIN(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try context.form.requireOnly(["_csrf", "version"])
            let version = try Self.version(in: context.form)
            let (installID, userID) = (try context.pathID("id"), try context.pathID("user"))
            var errors = FormErrors()
            switch try errors.submit({
                try portal.operations.users.clearPIN(
                    context.caller, installID: installID, userID: userID, version: version)
            }) {
            case .done: return portal.redirect(to: "/installs/\(installID)/users/\(userID)", flash: .pinCleared)
            case .stale, .refused, .unconfirmed: return try renderStaleSettings(context)
            }
        }
    }

    /// The install and the user named by the URL (`:id`, `:user`), in one statement, when the account may see
    /// them and its role has `permission`; otherwise a 404 or 403.
    func installAndUser(_ context: RequestContext, requiring permission: Permission) throws -> (Install, HotDeskUser) {
        try portal.operations.users.user(
            context.caller, installID: try context.pathID("id"), userID: try context.pathID("user"),
            requiring: permission)
    }

    /// User Settings with the saved values, after a change that lost a race (409).
    func renderStaleSettings(_ context: RequestContext) throws -> Response {
        let (install, user) = try installAndUser(context, requiring: .manageTelephony)
        return try renderSettings(
            context, install: install, user: user, displayName: user.displayName, hasAccess: user.hasAccess,
            isStale: true, errors: FormErrors(), status: .conflict)
    }

    private func renderNewUser(
        _ context: RequestContext, extension typed: String, displayName: String, errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let install = try portal.operations.installs.install(
            context.caller, id: try context.pathID("id"), requiring: .manageTelephony)
        let view = UserNewView(
            install: install, context: context, extension: typed, displayName: displayName, errors: errors)
        return try portal.page(
            "user-new", title: "\(install.name) · Add user", context: view, for: context.request,
            session: context.session, status: status)
    }

    private func renderSettings(
        _ context: RequestContext, install: Install, user: HotDeskUser, displayName: String, hasAccess: Bool,
        isStale: Bool, errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let activity = try portal.operations.registrations.activity(context.caller, install: install, user: user)
        let view = UserSettingsView(
            install: install, user: user, context: context, displayName: displayName, hasAccess: hasAccess,
            isStale: isStale, errors: errors, activity: UserActivityView(activity, install: install, user: user))
        return try portal.page(
            "user-settings", title: "\(user.extension) \(user.displayName) · User Settings", context: view,
            for: context.request, session: context.session, status: status)
    }
}

import HotDesk
import PostgresClient
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/users/new`: the Add user form.
    func newUserForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let install = try portal.pool.withConnection { try self.install(context, on: $0) }
            return try renderNewUser(context, install: install, extension: "", displayName: "", errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users`: adds a user (extension unique within the install, and a name).
    func createUser(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try context.form.requireOnly(["_csrf", "extension", "display_name"])
            let typedExtension = try context.form.value(for: "extension") ?? ""
            let typedName = try context.form.value(for: "display_name") ?? ""
            let install = try portal.pool.withConnection { try self.install(context, on: $0) }
            var errors = FormErrors()
            let number = errors.parse("extension") { () throws(ExtensionError) in try Extension(typedExtension) }
            let name = errors.parse("display_name") { () throws(BoundedTextError) in try DisplayName(typedName) }
            if let number, let name {
                do {
                    let id = try portal.pool.withTransaction { connection in
                        try users.create(
                            installID: install.id, extension: number, displayName: name, audit: context.audit, on: connection)
                    }
                    return portal.redirect(to: "/installs/\(install.id)/users/\(id)", flash: .created)
                } catch TelephonyError.extensionTaken {
                    errors.add("extension", "Another user of this install already has extension \(number); choose a free one.")
                }
            }
            return try renderNewUser(
                context, install: install, extension: typedExtension, displayName: typedName, errors: errors,
                status: .unprocessableContent)
        }
    }

    /// `GET /installs/:id/users/:user`: User Settings.
    func userSettings(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let (install, user) = try installAndUser(context)
            return try renderSettings(
                context, install: install, user: user, displayName: user.displayName, hasAccess: user.hasAccess,
                isStale: false, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users/:user`: saves name, Hot Desk Access and (when typed) a new PIN; an empty
    /// PIN field keeps the current PIN. A save that lost a race shows the saved values and changes nothing.
    func saveUser(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "display_name", "hot_desk_access", "pin"])
            let version = try Self.version(in: form)
            let typedName = try form.value(for: "display_name") ?? ""
            let hasAccess = try form.value(for: "hot_desk_access") == "yes"
            let typedPIN = try form.value(for: "pin") ?? ""
            let (install, user) = try installAndUser(context)
            var errors = FormErrors()
            let name = errors.parse("display_name") { () throws(BoundedTextError) in try DisplayName(typedName) }
            let keepsPIN = typedPIN.allSatisfy(\.isWhitespace)
            let pin = keepsPIN ? nil : errors.parse("pin") { () throws(HotDeskPINError) in
                try HotDeskPIN(typedPIN, for: user.extension)
            }
            guard let name, errors.isEmpty else {
                return try renderSettings(
                    context, install: install, user: user, displayName: typedName, hasAccess: hasAccess, isStale: false,
                    errors: errors, status: .unprocessableContent)
            }
            let change = UserChange(userID: user.id, version: version, displayName: name, hasAccess: hasAccess, pin: pin)
            return try changingUser(context) { connection in
                try users.update(change, installID: install.id, audit: context.audit, on: connection)
                return portal.redirect(to: "/installs/\(install.id)/users", flash: .saved)
            }
        }
    }

    /// `POST /installs/:id/users/:user/clear-pin`: removes the user's PIN, so nobody can log in as them.
    func clearPIN(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try context.form.requireOnly(["_csrf", "version"])
            let version = try Self.version(in: context.form)
            let (install, user) = try installAndUser(context)
            return try changingUser(context) { connection in
                try users.replacePIN(
                    nil, userID: user.id, version: version, installID: install.id, audit: context.audit, on: connection)
                return portal.redirect(to: "/installs/\(install.id)/users/\(user.id)", flash: .pinCleared)
            }
        }
    }

    /// Runs a change to the user named by the URL in one transaction. A lost race (someone saved the user
    /// since the form was read) answers 409 with `conflictPage` (User Settings unless given) showing the
    /// saved values; a user deleted meanwhile answers 404.
    func changingUser(
        _ context: RequestContext, conflictPage: ((Install, HotDeskUser) throws -> Response)? = nil,
        _ change: (PostgresConnection) throws -> Response
    ) throws -> Response {
        do {
            return try portal.pool.withTransaction(change)
        } catch TelephonyError.staleVersion {
            let (install, user) = try installAndUser(context)
            if let conflictPage { return try conflictPage(install, user) }
            return try renderSettings(
                context, install: install, user: user, displayName: user.displayName, hasAccess: user.hasAccess,
                isStale: true, errors: FormErrors(), status: .conflict)
        } catch TelephonyError.notFound {
            throw Self.notFound
        }
    }

    /// The install and the user named by the URL (`:id`, `:user`), or a 404.
    func installAndUser(_ context: RequestContext) throws -> (Install, HotDeskUser) {
        try portal.pool.withConnection { connection in
            let install = try self.install(context, on: connection)
            guard let user = try users.find(id: try context.pathID("user"), installID: install.id, on: connection) else {
                throw Self.notFound
            }
            return (install, user)
        }
    }

    private func renderNewUser(
        _ context: RequestContext, install: Install, extension typed: String, displayName: String,
        errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let view = UserNewView(install: install, context: context, extension: typed, displayName: displayName, errors: errors)
        return try portal.page(
            "user-new", title: "\(install.name) · Add user", context: view, for: context.request,
            session: context.session, status: status)
    }

    private func renderSettings(
        _ context: RequestContext, install: Install, user: HotDeskUser, displayName: String, hasAccess: Bool,
        isStale: Bool, errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let view = UserSettingsView(
            install: install, user: user, context: context, displayName: displayName, hasAccess: hasAccess,
            isStale: isStale, errors: errors)
        return try portal.page(
            "user-settings", title: "\(user.extension) \(user.displayName) · User Settings", context: view,
            for: context.request, session: context.session, status: status)
    }
}

import HotDesk
import WebServer

/// Telephony Settings: installs, their Users tab (access, PINs), Trusted IPs tab and Handsets tab.
///
/// Every handler reads the form into typed values, calls one of HotDesk's operations with the URL's install (and
/// user or range) id, and renders what it returns. The operations scope each id to the caller's organization and,
/// for managers, to their assigned installs: any other id, in the URL or in a form, answers 404 and changes
/// nothing. Screens are split by tab into `TelephonyHandlers+….swift`.
struct TelephonyHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates = [
        "telephony", "telephony-field", "install-header", "install-settings", "users", "user-new", "user-settings",
        "user-delete", "user-reset-pin", "user-pin-generated", "trusted-ips", "trusted-ip-remove", "handsets",
        "handsets-rotate", "pager", "user-import", "user-import-done", "hot-desk-status", "registration-logout",
        "login-history", "user-rows",
    ]

    let portal: Portal

    /// Adds this family's routes.
    func register(on router: inout Router) {
        router.get("/telephony", list)
        router.post("/installs", createInstall)
        router.get("/installs/:id", installHome)
        router.get("/installs/:id/settings", settingsForm)
        router.post("/installs/:id/settings", saveSettings)
        router.get("/installs/:id/users", usersTab)
        router.post("/installs/:id/users", createUser)
        router.get("/installs/:id/users/new", newUserForm)
        router.post("/installs/:id/users/access", bulkAccess)
        router.get("/installs/:id/users/import", importForm)
        router.post("/installs/:id/users/import", previewImport)
        router.post("/installs/:id/users/import/apply", applyImport)
        router.get("/installs/:id/users/export", exportUsers)
        router.get("/installs/:id/users/:user", userSettings)
        router.post("/installs/:id/users/:user", saveUser)
        router.post("/installs/:id/users/:user/clear-pin", clearPIN)
        router.get("/installs/:id/users/:user/delete", deleteUserForm)
        router.post("/installs/:id/users/:user/delete", deleteUser)
        router.get("/installs/:id/users/:user/pin", resetPINForm)
        router.post("/installs/:id/users/:user/pin", resetPIN)
        router.get("/installs/:id/status", statusTab)
        router.get("/installs/:id/status/:registration/logout", forcedLogoutForm)
        router.post("/installs/:id/status/:registration/logout", forcedLogout)
        router.get("/installs/:id/history", historyTab)
        router.post("/installs/:id/settings/login-policy", saveLoginPolicy)
        router.get("/installs/:id/trusted-ips", trustedIPsTab)
        router.post("/installs/:id/trusted-ips", addRange)
        router.get("/installs/:id/trusted-ips/:range/remove", removeRangeForm)
        router.post("/installs/:id/trusted-ips/:range/remove", removeRange)
        router.get("/installs/:id/handsets", handsetsTab)
        router.post("/installs/:id/handsets", saveHandsets)
        router.get("/installs/:id/handsets/download", downloadHandsets)
        router.post("/installs/:id/handsets/provisioning", saveProvisioning)
        router.get("/installs/:id/handsets/rotate", rotateTokenForm)
        router.post("/installs/:id/handsets/rotate", rotateToken)
    }

    /// `GET /telephony?q=…&from=…`: one page of the installs the account may see, sorted by name, found by
    /// the start of their name or SIP domain, with their counts; administrators also get the New install
    /// form. Two queries whatever the number and size of the installs: the session, the page.
    func list(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .viewTelephony) { context in
            try request.query.requireOnly(["q", "from"])
            let search = try request.query.value(for: "q") ?? ""
            let start = try request.query.wholeNumber("from")
            return try renderList(
                context, search: search, from: start, name: "", sipDomain: "", errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs`: creates an install (name and a unique SIP domain).
    func createInstall(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try context.form.requireOnly(["_csrf", "name", "sip_domain"])
            let typedName = try context.form.value(for: "name") ?? ""
            let typedDomain = try context.form.value(for: "sip_domain") ?? ""
            var errors = FormErrors()
            let name = errors.parse("name") { () throws(BoundedTextError) in try InstallName(typedName) }
            let domain = errors.parse("sip_domain") { () throws(SIPDomainError) in try SIPDomain(typedDomain) }
            if let name, let domain,
                case .done(let id) = try errors.submit({
                    try portal.operations.installs.create(context.caller, name: name, domain: domain)
                })
            {
                return portal.redirect(to: "/installs/\(id)/users", flash: .created)
            }
            return try renderList(
                context, search: "", from: nil, name: typedName, sipDomain: typedDomain, errors: errors,
                status: .unprocessableContent)
        }
    }

    /// `GET /installs/:id`: an install opens on its Users tab.
    func installHome(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .viewTelephony) { context in
            let install = try portal.operations.installs.install(
                context.caller, id: try context.pathID("id"), requiring: .viewTelephony)
            return .redirect(to: "/installs/\(install.id)/users")
        }
    }

    /// The form's `version` field, which every edit form carries; a 400 when it is missing.
    static func version(in form: FormData) throws(HTTPError) -> Int {
        guard let version = try form.wholeNumber("version") else {
            throw HTTPError(
                status: .badRequest, message: "The form is incomplete (its version is missing). Reload the page.")
        }
        return version
    }

    private func renderList(
        _ context: RequestContext, search: String, from start: Int?, name: String, sipDomain: String,
        errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let page = try portal.operations.installs.page(context.caller, search: InstallSearch(search), from: start)
        let view = TelephonyView(
            page: page, search: search, context: context, name: name, sipDomain: sipDomain, errors: errors)
        return try portal.page(
            "telephony", title: "Telephony Settings", context: view, for: context.request, session: context.session,
            status: status)
    }
}

import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/settings`: the install's name and SIP domain.
    func settingsForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let install = try settingsInstall(context)
            return try renderSettings(
                context, install: install, name: install.name, sipDomain: install.sipDomain, isStale: false,
                errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/settings`: renames the install and changes its domain. A new domain needs the
    /// confirmation that every handset must be re-pointed; a save that lost a race shows the saved values.
    func saveSettings(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "name", "sip_domain", "confirm_domain_change"])
            let version = try Self.version(in: form)
            let typedName = try form.value(for: "name") ?? ""
            let typedDomain = try form.value(for: "sip_domain") ?? ""
            let confirmed = try form.value(for: "confirm_domain_change") == "yes"
            var errors = FormErrors()
            let name = errors.parse("name") { () throws(BoundedTextError) in try InstallName(typedName) }
            let domain = errors.parse("sip_domain") { () throws(SIPDomainError) in try SIPDomain(typedDomain) }
            if let name, let domain {
                let outcome = try errors.submit {
                    try portal.operations.installs.update(
                        context.caller, id: try context.pathID("id"), version: version, name: name, domain: domain,
                        confirmsDomainChange: confirmed)
                }
                switch outcome {
                case .done(let change):
                    return portal.redirect(
                        to: "/installs/\(try context.pathID("id"))/settings",
                        flash: change == .domainChanged ? .domainChanged : .saved)
                case .stale:
                    let current = try settingsInstall(context)
                    return try renderSettings(
                        context, install: current, name: current.name, sipDomain: current.sipDomain, isStale: true,
                        errors: FormErrors(), status: .conflict)
                case .refused, .unconfirmed:
                    break
                }
            }
            return try renderSettings(
                context, install: try settingsInstall(context), name: typedName, sipDomain: typedDomain, isStale: false,
                errors: errors, status: .unprocessableContent)
        }
    }

    private func settingsInstall(_ context: RequestContext) throws -> Install {
        try portal.operations.installs.install(
            context.caller, id: try context.pathID("id"), requiring: .manageTelephony)
    }

    private func renderSettings(
        _ context: RequestContext, install: Install, name: String, sipDomain: String, isStale: Bool,
        errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let typedDomain = try? SIPDomain(sipDomain)
        let view = InstallSettingsView(
            install: install, context: context, name: name, sipDomain: sipDomain,
            asksDomainConfirmation: typedDomain.map { $0.name != install.sipDomain } ?? false, isStale: isStale,
            errors: errors)
        return try portal.page(
            "install-settings", title: "\(install.name) · Settings", context: view, for: context.request,
            session: context.session, status: status)
    }
}

import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/settings`: the install's name and SIP domain, and its login policy.
    func settingsForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try renderInstallSettings(context, status: .ok)
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
                    return try renderInstallSettings(context, installIsStale: true, status: .conflict)
                case .refused, .unconfirmed:
                    break
                }
            }
            return try renderInstallSettings(
                context, installInput: (typedName, typedDomain, errors), status: .unprocessableContent)
        }
    }

    /// The Settings tab: the name and domain form and the login policy form, each with the saved values unless
    /// its own input (as typed, with its errors) is given.
    func renderInstallSettings(
        _ context: RequestContext, installInput: (name: String, sipDomain: String, errors: FormErrors)? = nil,
        installIsStale: Bool = false, policyInput: (LoginPolicyInput, FormErrors)? = nil, policyIsStale: Bool = false,
        status: HTTPStatus
    ) throws -> Response {
        let (install, saved) = try portal.operations.registrations.policy(
            context.caller, installID: try context.pathID("id"))
        let typed = installInput ?? (install.name, install.sipDomain, FormErrors())
        let typedDomain = try? SIPDomain(typed.sipDomain)
        let policy = LoginPolicyFormView(
            context: context, version: saved.version, input: policyInput?.0 ?? LoginPolicyInput(saved.policy),
            isStale: policyIsStale, errors: policyInput?.1 ?? FormErrors())
        let view = InstallSettingsView(
            install: install, context: context, name: typed.name, sipDomain: typed.sipDomain,
            asksDomainConfirmation: typedDomain.map { $0.name != install.sipDomain } ?? false,
            isStale: installIsStale, errors: typed.errors, loginPolicy: policy)
        return try portal.page(
            "install-settings", title: "\(install.name) · Settings", context: view, for: context.request,
            session: context.session, status: status)
    }
}

import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/settings`: the install's name and SIP domain.
    func settingsForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let install = try portal.pool.withConnection { try self.install(context, on: $0) }
            return try renderSettings(
                context, install: install, name: install.name, sipDomain: install.sipDomain, isStale: false,
                errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/settings`: renames the install and changes its domain. A new domain needs the
    /// confirmation that every handset must be re-pointed; a save that lost a race shows the saved values.
    func saveSettings(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "name", "sip_domain", "confirm_domain_change"])
            let version = try Self.version(in: form)
            let typedName = try form.value(for: "name") ?? ""
            let typedDomain = try form.value(for: "sip_domain") ?? ""
            let confirmed = try form.value(for: "confirm_domain_change") == "yes"
            let install = try portal.pool.withConnection { try self.install(context, on: $0) }
            var errors = FormErrors()
            let name = errors.parse("name") { () throws(BoundedTextError) in try InstallName(typedName) }
            let domain = errors.parse("sip_domain") { () throws(SIPDomainError) in try SIPDomain(typedDomain) }
            let domainChanges = domain.map { $0.name != install.sipDomain } ?? false
            if domainChanges && !confirmed {
                errors.add(
                    "confirm_domain_change",
                    "Confirm the new SIP domain: every handset must then be set to register to it.")
            }
            let unprocessable = { (errors: FormErrors) in
                try renderSettings(
                    context, install: install, name: typedName, sipDomain: typedDomain, isStale: false, errors: errors,
                    status: .unprocessableContent)
            }
            guard let name, let domain, errors.isEmpty else { return try unprocessable(errors) }
            do {
                try portal.pool.withTransaction { connection in
                    try installs.update(
                        id: install.id, version: version, name: name, domain: domain, actor: context.actor,
                        audit: context.audit, on: connection)
                }
            } catch TelephonyError.staleVersion {
                let current = try portal.pool.withConnection { try self.install(context, on: $0) }
                return try renderSettings(
                    context, install: current, name: current.name, sipDomain: current.sipDomain, isStale: true,
                    errors: FormErrors(), status: .conflict)
            } catch TelephonyError.domainTaken {
                errors.add("sip_domain", Self.domainTakenMessage)
                return try unprocessable(errors)
            } catch TelephonyError.notFound {
                throw Self.notFound
            }
            return portal.redirect(to: "/installs/\(install.id)/settings", flash: domainChanges ? .domainChanged : .saved)
        }
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

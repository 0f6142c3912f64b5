import HotDesk
import PostgresClient
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/handsets`: the settings form, the generated file, the guide and provisioning.
    func handsetsTab(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let (install, profile) = try installAndHandsets(context)
            return try renderHandsets(
                context, install: install, profile: profile, input: HandsetFormInput(profile.settings), isStale: false,
                errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/handsets`: saves the settings. Every field has its own message; a save that
    /// lost a race shows the saved values and changes nothing.
    func saveHandsets(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let form = context.form
            try form.requireOnly([
                "_csrf", "version", "handset_family", "line_key", "key_label", "hide_server_prompt",
                "registration_expiry", "sip_server", "sip_port", "sip_transport",
            ])
            let version = try Self.version(in: form)
            let input = HandsetFormInput(
                family: try form.value(for: "handset_family") ?? "", lineKey: try form.value(for: "line_key") ?? "",
                label: try form.value(for: "key_label") ?? "",
                hidesServerPrompt: try form.value(for: "hide_server_prompt") == "yes",
                expiry: try form.value(for: "registration_expiry") ?? "", sipServer: try form.value(for: "sip_server") ?? "",
                port: try form.value(for: "sip_port") ?? "", transport: try form.value(for: "sip_transport") ?? "")
            let (install, profile) = try installAndHandsets(context)
            var errors = FormErrors()
            let settings = Self.parse(input, install: install, errors: &errors)
            guard let settings else {
                return try renderHandsets(
                    context, install: install, profile: profile, input: input, isStale: false, errors: errors,
                    status: .unprocessableContent)
            }
            do {
                try portal.pool.withTransaction { connection in
                    try handsets.update(
                        settings, installID: install.id, version: version, audit: context.audit, on: connection)
                }
            } catch TelephonyError.staleVersion {
                let (current, saved) = try installAndHandsets(context)
                return try renderHandsets(
                    context, install: current, profile: saved, input: HandsetFormInput(saved.settings), isStale: true,
                    errors: FormErrors(), status: .conflict)
            }
            return portal.redirect(to: "/installs/\(install.id)/handsets", flash: .saved)
        }
    }

    /// `GET /installs/:id/handsets/download`: the saved configuration as a `.cfg` file named after the
    /// install.
    func downloadHandsets(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let (install, profile) = try installAndHandsets(context)
            let text = YealinkFiles.configuration(
                profile.settings, server: profile.settings.server(installDomain: install.sipDomain))
            var response = Response.text(text)
            response.headers.replaceOrAdd(
                "Content-Disposition", "attachment; filename=\"\(HandsetDownload.fileName(install))\"")
            return response
        }
    }

    /// `POST /installs/:id/handsets/provisioning`: switches the provisioning URL on or off and sets the
    /// trusted-ranges restriction. The first switch-on draws the URL's random token.
    func saveProvisioning(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "provisioning_enabled", "trusted_ranges_only"])
            let version = try Self.version(in: form)
            let enabled = try form.value(for: "provisioning_enabled") == "yes"
            let trustedOnly = try form.value(for: "trusted_ranges_only") == "yes"
            let (install, _) = try installAndHandsets(context)
            do {
                try portal.pool.withTransaction { connection in
                    try handsets.setProvisioning(
                        enabled: enabled, trustedRangesOnly: trustedOnly, newToken: Self.newToken(), installID: install.id,
                        version: version, audit: context.audit, on: connection)
                }
            } catch TelephonyError.staleVersion {
                let (current, saved) = try installAndHandsets(context)
                return try renderHandsets(
                    context, install: current, profile: saved, input: HandsetFormInput(saved.settings), isStale: true,
                    errors: FormErrors(), status: .conflict)
            }
            return portal.redirect(
                to: "/installs/\(install.id)/handsets#provisioning", flash: enabled ? .provisioningOn : .provisioningOff)
        }
    }

    /// `GET /installs/:id/handsets/rotate`: asks before replacing the provisioning token.
    func rotateTokenForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let (install, _) = try installAndHandsets(context)
            return try portal.page(
                "handsets-rotate", title: "\(install.name) · Rotate provisioning token",
                context: HandsetRotateView(install: install, context: context), for: request, session: context.session)
        }
    }

    /// `POST /installs/:id/handsets/rotate`: replaces the token; the old URL answers 404 at once.
    func rotateToken(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try context.form.requireOnly(["_csrf"])
            let install = try portal.pool.withTransaction { connection in
                let install = try self.install(context, on: connection)
                try handsets.rotateToken(to: Self.newToken(), installID: install.id, audit: context.audit, on: connection)
                return install
            }
            return portal.redirect(to: "/installs/\(install.id)/handsets#provisioning", flash: .tokenRotated)
        }
    }

    /// A fresh provisioning token: 256 random bits from libsodium.
    static func newToken() -> ProvisioningToken {
        guard let token = ProvisioningToken(Secrets.randomToken()) else {
            preconditionFailure("Secrets.randomToken() must give 43 base64url characters")
        }
        return token
    }

    /// The typed settings, or nil after recording each field's message.
    static func parse(_ input: HandsetFormInput, install: Install, errors: inout FormErrors) -> HandsetSettings? {
        let family = HandsetFamily(rawValue: input.family)
        if family == nil { errors.add("handset_family", "Choose the handset model from the list.") }
        let lineKey = errors.parse("line_key") { () throws(LineKeyPositionError) in
            try LineKeyPosition(input.lineKey, family: family ?? .t48)
        }
        let label = errors.parse("key_label") { () throws(BoundedTextError) in try HotDeskKeyLabel(input.label) }
        let expiry = errors.parse("registration_expiry") { () throws(RegistrationExpiryError) in
            try RegistrationExpiry(input.expiry)
        }
        let typedServer = input.sipServer.allSatisfy(\.isWhitespace) ? nil : input.sipServer
        let server = typedServer.flatMap { text in
            errors.parse("sip_server") { () throws(SIPDomainError) in try SIPDomain(text) }
        }
        let typedPort = input.port.allSatisfy(\.isWhitespace) ? nil : input.port
        let port = typedPort.flatMap { text in errors.parse("sip_port") { () throws(SIPPortError) in try SIPPort(text) } }
        let transport = input.transport.isEmpty ? nil : SIPTransport(rawValue: input.transport)
        if !input.transport.isEmpty && transport == nil {
            errors.add("sip_transport", "Choose UDP, TCP, TLS or the handset default.")
        }
        guard let family, let lineKey, lineKey.fits(family), let label, let expiry, errors.isEmpty else { return nil }
        return HandsetSettings(
            family: family, lineKey: lineKey, label: label, hidesServerPrompt: input.hidesServerPrompt, expiry: expiry,
            sipServer: server?.name == install.sipDomain ? nil : server, port: port, transport: transport)
    }

    private func installAndHandsets(_ context: RequestContext) throws -> (Install, HandsetProfile) {
        try portal.pool.withConnection { connection in
            let install = try self.install(context, on: connection)
            guard let profile = try handsets.find(installID: install.id, on: connection) else { throw Self.notFound }
            return (install, profile)
        }
    }

    private func renderHandsets(
        _ context: RequestContext, install: Install, profile: HandsetProfile, input: HandsetFormInput, isStale: Bool,
        errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let view = HandsetTabView(
            install: install, profile: profile, input: input, provisioningBase: portal.baseURL(for: context.request),
            context: context, isStale: isStale, errors: errors)
        return try portal.page(
            "handsets", title: "\(install.name) · Handsets", context: view, for: context.request,
            session: context.session, status: status)
    }
}

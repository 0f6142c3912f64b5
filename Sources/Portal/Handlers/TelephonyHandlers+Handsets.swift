import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/handsets`: the settings form, the generated file, the guide and provisioning.
    func handsetsTab(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let (install, profile) = try installAndHandsets(context)
            return try renderHandsets(
                context, install: install, profile: profile, input: HandsetFormInput(profile.settings), isStale: false,
                errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/handsets`: saves the settings. Every field has its own message; a save that
    /// lost a race shows the saved values and changes nothing.
    func saveHandsets(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let form = context.form
            try form.requireOnly([
                "_csrf", "version", "handset_family", "line_key", "key_label", "hide_server_prompt",
                "login_prompt_at_startup",
                "registration_expiry", "sip_server", "sip_port", "sip_transport",
            ])
            let version = try Self.version(in: form)
            let input = HandsetFormInput(
                family: try form.value(for: "handset_family") ?? "", lineKey: try form.value(for: "line_key") ?? "",
                label: try form.value(for: "key_label") ?? "",
                hidesServerPrompt: try form.value(for: "hide_server_prompt") == "yes",
                expiry: try form.value(for: "registration_expiry") ?? "",
                sipServer: try form.value(for: "sip_server") ?? "",
                port: try form.value(for: "sip_port") ?? "", transport: try form.value(for: "sip_transport") ?? "",
                promptsAtStartup: try form.value(for: "login_prompt_at_startup") == "yes")
            var errors = FormErrors()
            if let settings = Self.parse(input, errors: &errors) {
                let installID = try context.pathID("id")
                switch try errors.submit({
                    try portal.operations.handsets.update(
                        context.caller, installID: installID, version: version, settings: settings)
                }) {
                case .done: return portal.redirect(to: "/installs/\(installID)/handsets", flash: .saved)
                case .stale: return try renderStaleHandsets(context)
                case .refused, .unconfirmed: break
                }
            }
            let (install, profile) = try installAndHandsets(context)
            return try renderHandsets(
                context, install: install, profile: profile, input: input, isStale: false, errors: errors,
                status: .unprocessableContent)
        }
    }

    /// `GET /installs/:id/handsets/download`: the saved configuration as a `.cfg` file named after the
    /// install.
    func downloadHandsets(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let (install, profile) = try installAndHandsets(context)
            let text = YealinkFiles.configuration(
                profile.settings, server: profile.settings.server(installDomain: install.sipDomain))
            var response = Response.text(text)
            response.headers.replaceOrAdd(
                "Content-Disposition",
                "attachment; filename=\"\(DownloadName.of("hotdesking", install, fileExtension: "cfg"))\"")
            return response
        }
    }

    /// `POST /installs/:id/handsets/provisioning`: switches the provisioning URL on or off and sets the
    /// trusted-ranges restriction. The first switch-on draws the URL's random token.
    func saveProvisioning(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "version", "provisioning_enabled", "trusted_ranges_only"])
            let version = try Self.version(in: form)
            let enabled = try form.value(for: "provisioning_enabled") == "yes"
            let trustedOnly = try form.value(for: "trusted_ranges_only") == "yes"
            let installID = try context.pathID("id")
            var errors = FormErrors()
            switch try errors.submit({
                try portal.operations.handsets.setProvisioning(
                    context.caller, installID: installID, version: version, enabled: enabled,
                    trustedRangesOnly: trustedOnly)
            }) {
            case .done:
                return portal.redirect(
                    to: "/installs/\(installID)/handsets#provisioning",
                    flash: enabled ? .provisioningOn : .provisioningOff)
            case .stale, .refused, .unconfirmed:
                return try renderStaleHandsets(context)
            }
        }
    }

    /// `GET /installs/:id/handsets/rotate`: asks before replacing the provisioning token.
    func rotateTokenForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let (install, _) = try installAndHandsets(context)
            return try portal.page(
                "handsets-rotate", title: "\(install.name) · Rotate provisioning token",
                context: HandsetRotateView(install: install, context: context), for: request, session: context.session)
        }
    }

    /// `POST /installs/:id/handsets/rotate`: replaces the token; the old URL answers 404 at once.
    func rotateToken(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try context.form.requireOnly(["_csrf"])
            let installID = try context.pathID("id")
            try portal.operations.handsets.rotateToken(context.caller, installID: installID)
            return portal.redirect(to: "/installs/\(installID)/handsets#provisioning", flash: .tokenRotated)
        }
    }

    /// The typed settings, or nil after recording each field's message.
    static func parse(_ input: HandsetFormInput, errors: inout FormErrors) -> HandsetSettings? {
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
        let port = typedPort.flatMap { text in errors.parse("sip_port") { () throws(SIPPortError) in try SIPPort(text) }
        }
        let transport = input.transport.isEmpty ? nil : SIPTransport(rawValue: input.transport)
        if !input.transport.isEmpty && transport == nil {
            errors.add("sip_transport", "Choose UDP, TCP, TLS or the handset default.")
        }
        guard let family, let lineKey, lineKey.fits(family), let label, let expiry, errors.isEmpty else { return nil }
        return HandsetSettings(
            family: family, lineKey: lineKey, label: label, hidesServerPrompt: input.hidesServerPrompt, expiry: expiry,
            sipServer: server, port: port, transport: transport, promptsAtStartup: input.promptsAtStartup)
    }

    private func installAndHandsets(_ context: RequestContext) throws -> (Install, HandsetProfile) {
        try portal.operations.handsets.profile(context.caller, installID: try context.pathID("id"))
    }

    /// The tab with the saved values, after a change that lost a race (409).
    private func renderStaleHandsets(_ context: RequestContext) throws -> Response {
        let (install, profile) = try installAndHandsets(context)
        return try renderHandsets(
            context, install: install, profile: profile, input: HandsetFormInput(profile.settings), isStale: true,
            errors: FormErrors(), status: .conflict)
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

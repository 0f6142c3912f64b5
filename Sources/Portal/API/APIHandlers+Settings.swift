import HotDesk
import WebServer

extension APIHandlers {
    /// `GET /api/v1/installs/{install_id}/trusted-ranges`: every range of the install, in address order (an
    /// install holds few), from the read cache the Trusted IPs tab uses.
    func listRanges(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            try context.requireOnlyQuery([])
            let items = try portal.operations.trustedNetworks.list(
                context.caller, installID: try context.pathID("install_id")
            ) { _, entries in entries.map(APIResources.RangeBody.init) }
            return APIJSON.response(RangeList(items: items))
        }
    }

    /// `GET /api/v1/installs/{install_id}/trusted-ranges/{range_id}`. A range never changes (it is removed and
    /// added again instead), so its `ETag` is constant.
    func getRange(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            try context.requireOnlyQuery([])
            let (_, entry) = try portal.operations.trustedNetworks.range(
                context.caller, installID: try context.pathID("install_id"), rangeID: try context.pathID("range_id"))
            return APIJSON.resource(APIResources.RangeBody(entry), version: Self.rangeVersion, request: request)
        }
    }

    /// `POST /api/v1/installs/{install_id}/trusted-ranges`: adds an IPv4 range (`network`, `description`); one wider
    /// than /8 needs `confirm_wide` set to that very range, as the form's checkbox. 201 with its `Location`.
    func addRange(_ request: Request) throws -> Response {
        creating(request, .manageTelephony) { context in
            let installID = try context.pathID("install_id")
            var body = try APIJSON.object(in: request)
            let (typedNetwork, typedDescription) = (body.string("network"), body.string("description"))
            let confirmed = body.string("confirm_wide")
            try body.finish()
            var errors = FormErrors()
            let network = errors.parse("network") { () throws(IPv4NetworkError) in
                try IPv4Network(text: typedNetwork ?? "")
            }
            let description = errors.parse("description") { () throws(BoundedTextError) in
                try RangeDescription(typedDescription ?? "")
            }
            guard let network, let description else { throw APIProblem.validation(errors.fieldProblems()) }
            let entry = try portal.operations.trustedNetworks.add(
                context.caller, installID: installID, network: network, description: description,
                confirmsWideRange: confirmed == network.description)
            var response = APIJSON.resource(
                APIResources.RangeBody(entry), version: Self.rangeVersion, request: request, status: .created)
            response.headers.replaceOrAdd("Location", "/api/v1/installs/\(installID)/trusted-ranges/\(entry.id)")
            return response
        }
    }

    /// `DELETE /api/v1/installs/{install_id}/trusted-ranges/{range_id}` with `If-Match`: 204.
    func removeRange(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            try context.requireOnlyQuery([])
            let (installID, rangeID) = (try context.pathID("install_id"), try context.pathID("range_id"))
            let version = try context.requiredVersion()
            // Found first, so that a range that does not exist is 404 whatever the If-Match says.
            _ = try portal.operations.trustedNetworks.range(context.caller, installID: installID, rangeID: rangeID)
            guard version == Self.rangeVersion else { throw OperationError.staleVersion }
            try portal.operations.trustedNetworks.remove(context.caller, installID: installID, rangeID: rangeID)
            return Response(status: .noContent)
        }
    }

    /// `GET /api/v1/installs/{install_id}/handset-settings`.
    func getHandsets(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            try context.requireOnlyQuery([])
            let (_, profile) = try portal.operations.handsets.profile(
                context.caller, installID: try context.pathID("install_id"))
            return APIJSON.resource(
                APIResources.HandsetsBody(profile.settings), version: profile.version, request: request)
        }
    }

    /// `PUT /api/v1/installs/{install_id}/handset-settings` with `If-Match`: every setting, checked by the rules
    /// the Handsets tab applies (the same parser).
    func updateHandsets(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            let installID = try context.pathID("install_id")
            var body = try APIJSON.object(in: request)
            let input = HandsetFormInput(
                family: body.string("handset_family") ?? "", lineKey: body.integer("line_key").map(String.init) ?? "",
                label: body.string("key_label") ?? "", hidesServerPrompt: body.bool("hide_server_prompt") ?? false,
                expiry: body.integer("registration_expiry").map(String.init) ?? "",
                sipServer: body.string("sip_server", nullable: true) ?? "",
                port: body.integer("sip_port", nullable: true).map(String.init) ?? "",
                transport: body.string("sip_transport", nullable: true) ?? "",
                promptsAtStartup: body.bool("login_prompt_at_startup") ?? false)
            try body.finish()
            let version = try context.requiredVersion()
            var errors = FormErrors()
            guard let settings = TelephonyHandlers.parse(input, errors: &errors) else {
                throw APIProblem.validation(errors.fieldProblems())
            }
            try portal.operations.handsets.update(
                context.caller, installID: installID, version: version, settings: settings)
            let (_, profile) = try portal.operations.handsets.profile(context.caller, installID: installID)
            return APIJSON.resource(
                APIResources.HandsetsBody(profile.settings), version: profile.version, request: request)
        }
    }

    /// `GET /api/v1/installs/{install_id}/handset-settings/config`: the generated Yealink `.cfg`, as `text/plain`.
    func handsetConfiguration(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            try context.requireOnlyQuery([])
            let (install, profile) = try portal.operations.handsets.profile(
                context.caller, installID: try context.pathID("install_id"))
            var response = Response.text(
                YealinkFiles.configuration(
                    profile.settings, server: profile.settings.server(installDomain: install.sipDomain)))
            response.headers.replaceOrAdd("Cache-Control", "no-store")
            return response
        }
    }

    /// `GET /api/v1/audit-events?install_id=&account_id=&action=&limit=&after=`: the organization's events, newest
    /// first, with the Audit screen's filters.
    func listAuditEvents(_ request: Request) throws -> Response {
        authorized(request, .readAudit) { context in
            try context.requireOnlyQuery(["install_id", "account_id", "action", "limit", "after"])
            func number(_ name: String) throws(APIProblem) -> Int? {
                guard let text = try context.query(name) else { return nil }
                guard text.utf8.count <= 15, let value = Int(text), value > 0 else {
                    throw .badRequest(
                        "\(name) must be a whole number.",
                        errors: [.init(field: name, code: "invalid", message: "Send a whole number.")])
                }
                return value
            }
            let action = try context.query("action")
            if let action, !AuditQuery.isActionName(action) {
                throw APIProblem.badRequest(
                    "action must be an action name such as pin.reset.",
                    errors: [.init(field: "action", code: "invalid", message: "Send an action name such as pin.reset.")]
                )
            }
            let before = try context.query("after").map(APIPaging.id)
            let page = try portal.operations.audit.events(
                context.caller,
                filter: AuditQuery(
                    organizationID: context.actor.organizationID, installID: try number("install_id"),
                    accountID: try number("account_id"), action: action, before: before, limit: try context.limit()))
            return APIPaging.response(
                APIPaging.encode(
                    page.entries.map(APIResources.AuditEventBody.init), next: page.olderBefore.map(String.init),
                    path: request.path,
                    keeping: try APIPaging.kept(["install_id", "account_id", "action", "limit"], of: context)))
        }
    }

    /// The version every range reports.
    static let rangeVersion = 1

    private struct RangeList: Encodable {
        let items: [APIResources.RangeBody]
    }
}

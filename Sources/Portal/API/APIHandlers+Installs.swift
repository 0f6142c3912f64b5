import HotDesk
import WebServer

extension APIHandlers {
    /// `GET /api/v1/installs?q=&limit=&after=`: the installs the key may see, by name, with their counts.
    func listInstalls(_ request: Request) throws -> Response {
        authorized(request, .viewTelephony) { context in
            try context.requireOnlyQuery(["q", "limit", "after"])
            let start = try context.query("after").map(APIPaging.id)
            // A cursor naming no install the key may see answers 404, as an unknown id does.
            let page = try portal.operations.installs.page(
                context.caller, search: InstallSearch(try context.query("q") ?? ""), from: start,
                limit: try context.limit())
            return APIPaging.response(
                APIPaging.encode(
                    page.items.map(APIResources.InstallSummaryBody.init), next: page.nextStart.map(String.init),
                    path: request.path, keeping: try APIPaging.kept(["q", "limit"], of: context)))
        }
    }

    /// `POST /api/v1/installs`: creates an install (`name`, `sip_domain`); 201 with its `Location`.
    func createInstall(_ request: Request) throws -> Response {
        creating(request, .manageTelephony) { context in
            var body = try APIJSON.object(in: request)
            let (typedName, typedDomain) = (body.string("name"), body.string("sip_domain"))
            try body.finish()
            var errors = FormErrors()
            let name = errors.parse("name") { () throws(BoundedTextError) in try InstallName(typedName ?? "") }
            let domain = errors.parse("sip_domain") { () throws(SIPDomainError) in try SIPDomain(typedDomain ?? "") }
            guard let name, let domain else { throw APIProblem.validation(errors.fieldProblems()) }
            let id = try portal.operations.installs.create(context.caller, name: name, domain: domain)
            let install = try portal.operations.installs.install(context.caller, id: id, requiring: .viewTelephony)
            var response = APIJSON.resource(
                APIResources.InstallBody(install), version: install.version, request: request, status: .created)
            response.headers.replaceOrAdd("Location", "/api/v1/installs/\(id)")
            return response
        }
    }

    /// `GET /api/v1/installs/{install_id}`.
    func getInstall(_ request: Request) throws -> Response {
        authorized(request, .viewTelephony) { context in
            try context.requireOnlyQuery([])
            let install = try portal.operations.installs.install(
                context.caller, id: try context.pathID("install_id"), requiring: .viewTelephony)
            return APIJSON.resource(APIResources.InstallBody(install), version: install.version, request: request)
        }
    }

    /// `PATCH /api/v1/installs/{install_id}` with `If-Match`: renames it and changes its SIP domain; a new domain
    /// needs `"confirm_domain_change": true`, as the settings form's checkbox.
    func updateInstall(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            let id = try context.pathID("install_id")
            var body = try APIJSON.object(in: request)
            let (typedName, typedDomain) = (body.string("name"), body.string("sip_domain"))
            let confirmed = body.bool("confirm_domain_change") ?? false
            try body.finish()
            let version = try context.requiredVersion()
            let current = try portal.operations.installs.install(context.caller, id: id, requiring: .manageTelephony)
            var errors = FormErrors()
            let name = errors.parse("name") { () throws(BoundedTextError) in
                try InstallName(typedName ?? current.name)
            }
            let domain = errors.parse("sip_domain") { () throws(SIPDomainError) in
                try SIPDomain(typedDomain ?? current.sipDomain)
            }
            guard let name, let domain else { throw APIProblem.validation(errors.fieldProblems()) }
            _ = try portal.operations.installs.update(
                context.caller, id: id, version: version, name: name, domain: domain, confirmsDomainChange: confirmed)
            let install = try portal.operations.installs.install(context.caller, id: id, requiring: .viewTelephony)
            return APIJSON.resource(APIResources.InstallBody(install), version: install.version, request: request)
        }
    }
}

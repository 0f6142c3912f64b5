import HotDesk
import WebServer

extension APIHandlers {
    /// `GET /api/v1/installs/{install_id}/users?q=&limit=&after=`: a page of the install's users by extension; `q`
    /// searches extension prefixes (digits) or name prefixes, as the Users tab's search box.
    func listUsers(_ request: Request) throws -> Response {
        authorized(request, .viewTelephony) { context in
            try context.requireOnlyQuery(["q", "limit", "after"])
            let start = try context.query("after").map { cursor throws(APIProblem) -> Extension in
                guard let number = try? Extension(cursor) else { throw APIPaging.invalidCursor }
                return number
            }
            let kept = try APIPaging.kept(["q", "limit"], of: context)
            let page = try portal.operations.users.page(
                context.caller, installID: try context.pathID("install_id"), search: try context.query("q") ?? "",
                from: start, limit: try context.limit()
            ) { _, page, _ in
                // Encoded once per kept page: the read cache keeps the bytes.
                APIPaging.encode(
                    page.items.map(APIResources.UserBody.init), next: page.nextStart?.digits, path: request.path,
                    keeping: kept)
            }
            return APIPaging.response(page)
        }
    }

    /// `POST /api/v1/installs/{install_id}/users`: adds a user (`extension`, `display_name`) without access or
    /// PIN, as Add user does; 201 with its `Location`.
    func createUser(_ request: Request) throws -> Response {
        creating(request, .manageTelephony) { context in
            let installID = try context.pathID("install_id")
            var body = try APIJSON.object(in: request)
            let (typedExtension, typedName) = (body.string("extension"), body.string("display_name"))
            try body.finish()
            var errors = FormErrors()
            let number = errors.parse("extension") { () throws(ExtensionError) in try Extension(typedExtension ?? "") }
            let name = errors.parse("display_name") { () throws(BoundedTextError) in
                try DisplayName(typedName ?? "")
            }
            guard let number, let name else { throw APIProblem.validation(errors.fieldProblems()) }
            let id = try portal.operations.users.create(
                context.caller, installID: installID, extension: number, displayName: name)
            var response = try userResource(context, installID: installID, userID: id, status: .created)
            response.headers.replaceOrAdd("Location", "/api/v1/installs/\(installID)/users/\(id)")
            return response
        }
    }

    /// `GET /api/v1/installs/{install_id}/users/{user_id}`.
    func getUser(_ request: Request) throws -> Response {
        authorized(request, .viewTelephony) { context in
            try context.requireOnlyQuery([])
            return try userResource(
                context, installID: try context.pathID("install_id"), userID: try context.pathID("user_id"))
        }
    }

    /// `PATCH /api/v1/installs/{install_id}/users/{user_id}` with `If-Match`: `display_name` and
    /// `hot_desk_access`, either or both, through the operation User Settings saves with.
    func updateUser(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            let (installID, userID) = (try context.pathID("install_id"), try context.pathID("user_id"))
            var body = try APIJSON.object(in: request)
            let (typedName, access) = (body.string("display_name"), body.bool("hot_desk_access"))
            try body.finish()
            let version = try context.requiredVersion()
            let (_, current) = try portal.operations.users.user(
                context.caller, installID: installID, userID: userID, requiring: .manageTelephony)
            var errors = FormErrors()
            let name = errors.parse("display_name") { () throws(BoundedTextError) in
                try DisplayName(typedName ?? current.displayName)
            }
            guard let name else { throw APIProblem.validation(errors.fieldProblems()) }
            try portal.operations.users.update(
                context.caller, installID: installID, userID: userID, version: version, displayName: name,
                hasAccess: access ?? current.hasAccess, pin: nil)
            return try userResource(context, installID: installID, userID: userID)
        }
    }

    /// `DELETE /api/v1/installs/{install_id}/users/{user_id}` with `If-Match`: 204.
    func deleteUser(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            try context.requireOnlyQuery([])
            try portal.operations.users.delete(
                context.caller, installID: try context.pathID("install_id"), userID: try context.pathID("user_id"),
                version: try context.requiredVersion())
            return Response(status: .noContent)
        }
    }

    /// `POST /api/v1/installs/{install_id}/users:access`: grants (`"hot_desk_access": true`) or revokes access for
    /// `user_ids`, all users of the install (otherwise 404 and nothing changes); answers how many changed.
    func setAccess(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            let installID = try context.pathID("install_id")
            var body = try APIJSON.object(in: request)
            let ids = body.integers("user_ids")
            let granted = body.bool("hot_desk_access")
            if !body.has("user_ids") { body.missing("user_ids", "Send the ids of the users to change.") }
            if !body.has("hot_desk_access") { body.missing("hot_desk_access", "Send true to grant, false to revoke.") }
            try body.finish()
            guard let ids, let granted else { throw APIProblem.badRequest("Send user_ids and hot_desk_access.") }
            guard (1...1000).contains(ids.count) else {
                throw APIProblem.validation([
                    .init(field: "user_ids", code: "invalid", message: "Send from 1 to 1,000 user ids.")
                ])
            }
            let changed = try portal.operations.users.setAccess(
                context.caller, installID: installID, userIDs: Set(ids), granted: granted)
            return APIJSON.response(AccessChange(changed: changed))
        }
    }

    /// `PUT /api/v1/installs/{install_id}/users/{user_id}/pin` with `If-Match`: sets the PIN (`pin`, four digits,
    /// refused when weak for the user, as Reset PIN refuses it); 204 with the user's new `ETag`. The PIN is never
    /// returned.
    func setPIN(_ request: Request) throws -> Response {
        authorized(request, .resetPINs) { context in
            let (installID, userID) = (try context.pathID("install_id"), try context.pathID("user_id"))
            var body = try APIJSON.object(in: request)
            let typed = body.string("pin")
            if !body.has("pin") { body.missing("pin", "Send the new PIN: four digits.") }
            try body.finish()
            var errors = FormErrors()
            let pin = errors.parse("pin") { () throws(HotDeskPINError) in try TypedPIN(typed ?? "") }
            guard let pin else { throw APIProblem.validation(errors.fieldProblems()) }
            let reset = try portal.operations.users.resetPIN(
                context.caller, installID: installID, userID: userID, version: try context.requiredVersion(),
                to: .typed(pin))
            var response = Response(status: .noContent)
            response.headers.replaceOrAdd("ETag", EntityTag.of(reset.updated.version))
            return response
        }
    }

    /// `POST /api/v1/installs/{install_id}/users/{user_id}/pin:generate` with `If-Match`: draws a PIN that is not
    /// weak for the user and returns it, this once.
    func generatePIN(_ request: Request) throws -> Response {
        authorized(request, .resetPINs) { context in
            let (installID, userID) = (try context.pathID("install_id"), try context.pathID("user_id"))
            try context.requireOnlyQuery([])
            if !request.body.isEmpty { try APIJSON.object(in: request).finish() }
            let reset = try portal.operations.users.resetPIN(
                context.caller, installID: installID, userID: userID, version: try context.requiredVersion(),
                to: .generate)
            var response = APIJSON.response(
                APIResources.GeneratedPINBody(pin: reset.generatedPIN?.digits ?? "", user: .init(reset.updated)))
            response.headers.replaceOrAdd("ETag", EntityTag.of(reset.updated.version))
            return response
        }
    }

    /// `DELETE /api/v1/installs/{install_id}/users/{user_id}/pin` with `If-Match`: clears the PIN, so nobody can
    /// log in as the user; answers the user.
    func clearPIN(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            let (installID, userID) = (try context.pathID("install_id"), try context.pathID("user_id"))
            try context.requireOnlyQuery([])
            let user = try portal.operations.users.clearPIN(
                context.caller, installID: installID, userID: userID, version: try context.requiredVersion())
            return APIJSON.resource(APIResources.UserBody(user), version: user.version, request: request)
        }
    }

    /// The user as a resource with its `ETag`.
    private func userResource(
        _ context: APIContext, installID: Int, userID: Int, status: HTTPStatus = .ok
    ) throws -> Response {
        let (_, user) = try portal.operations.users.user(
            context.caller, installID: installID, userID: userID, requiring: .viewTelephony)
        return APIJSON.resource(
            APIResources.UserBody(user), version: user.version, request: context.request, status: status)
    }

    private struct AccessChange: Encodable {
        let changed: Int
    }
}

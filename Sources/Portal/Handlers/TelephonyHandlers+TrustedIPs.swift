import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/trusted-ips`: the install's ranges and the Add IP Range form.
    func trustedIPsTab(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try renderRanges(context, network: "", description: "", confirmation: nil, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/trusted-ips`: adds a range. Every rule of `IPv4Network` and `RangeDescription`
    /// has its own message; the same range twice is refused naming the existing entry; a range shorter
    /// than /8 needs the confirmation checkbox, whose value must be that very range.
    func addRange(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "network", "description", "confirm_wide"])
            let typedNetwork = try form.value(for: "network") ?? ""
            let typedDescription = try form.value(for: "description") ?? ""
            let confirmed = try form.value(for: "confirm_wide")
            var errors = FormErrors()
            let network = errors.parse("network") { () throws(IPv4NetworkError) in try IPv4Network(text: typedNetwork) }
            let description = errors.parse("description") { () throws(BoundedTextError) in
                try RangeDescription(typedDescription)
            }
            let needsConfirmation = network.map { $0.requiresConfirmation && confirmed != $0.description } ?? false
            if let network, needsConfirmation {
                errors.add(
                    "confirm_wide",
                    "\(network) admits \(network.formattedAddressCount) addresses; tick the box to confirm, "
                        + "or enter the narrower range your phones use.")
            }
            if let network, let description, errors.isEmpty {
                do {
                    let entry = try portal.pool.withTransaction { connection in
                        let install = try self.install(context, on: connection)
                        return try networks.add(
                            network, description: description, installID: install.id, actor: context.actor,
                            audit: context.audit, on: connection)
                    }
                    let flash: FlashMessage = entry.widerNetwork == nil ? .rangeAdded : .rangeAddedInsideWider
                    return portal.redirect(to: "/installs/\(try context.pathID("id"))/trusted-ips", flash: flash)
                } catch TelephonyError.duplicateRange(let existing) {
                    errors.add("network", "\(network) is already trusted, as “\(existing)”; there is no need to add it again.")
                }
            }
            return try renderRanges(
                context, network: typedNetwork, description: typedDescription,
                confirmation: needsConfirmation ? network : nil, errors: errors, status: .unprocessableContent)
        }
    }

    /// `GET /installs/:id/trusted-ips/:range/remove`: asks before removing.
    func removeRangeForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            let (install, entry) = try portal.pool.withConnection { connection in
                let install = try self.install(context, on: connection)
                guard let entry = try networks.find(id: try context.pathID("range"), installID: install.id, on: connection)
                else { throw Self.notFound }
                return (install, entry)
            }
            let view = TrustedNetworkRemoveView(install: install, entry: entry, context: context)
            return try portal.page(
                "trusted-ip-remove", title: "Remove \(entry.network)", context: view, for: request, session: context.session)
        }
    }

    /// `POST /installs/:id/trusted-ips/:range/remove`: removes the range.
    func removeRange(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try context.form.requireOnly(["_csrf"])
            let install = try portal.pool.withTransaction { connection in
                let install = try self.install(context, on: connection)
                do {
                    try networks.remove(id: try context.pathID("range"), installID: install.id, audit: context.audit, on: connection)
                } catch TelephonyError.notFound {
                    throw Self.notFound
                }
                return install
            }
            return portal.redirect(to: "/installs/\(install.id)/trusted-ips", flash: .rangeRemoved)
        }
    }

    private func renderRanges(
        _ context: RequestContext, network: String, description: String, confirmation: IPv4Network?,
        errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let view = try portal.pool.withConnection { connection in
            let (install, entries) = try self.install(context, with: networks.list, on: connection)
            return TrustedNetworkListView(
                install: install, entries: entries, context: context,
                network: network, description: description, confirmation: confirmation, errors: errors)
        }
        return try portal.page(
            "trusted-ips", title: "\(view.header.name) · Trusted IPs", context: view, for: context.request,
            session: context.session, status: status)
    }
}

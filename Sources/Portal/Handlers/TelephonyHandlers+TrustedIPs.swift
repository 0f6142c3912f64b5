import HotDesk
import WebServer

extension TelephonyHandlers {
    /// `GET /installs/:id/trusted-ips`: the install's ranges and the Add IP Range form; the install and its ranges
    /// are kept in the read cache until the install or the account changes.
    func trustedIPsTab(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try renderRanges(
                context, network: "", description: "", confirmation: nil, errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/trusted-ips`: adds a range. Every rule of `IPv4Network` and `RangeDescription`
    /// has its own message; the same range twice is refused naming the existing entry; a range shorter
    /// than /8 needs the confirmation checkbox, whose value must be that very range.
    func addRange(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
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
            let confirmsWide = network.map { confirmed == $0.description } ?? false
            if let network, let description, errors.isEmpty {
                let installID = try context.pathID("id")
                let outcome = try errors.submit {
                    try portal.operations.trustedNetworks.add(
                        context.caller, installID: installID, network: network, description: description,
                        confirmsWideRange: confirmsWide)
                }
                if case .done(let entry) = outcome {
                    let flash: FlashMessage = entry.widerNetwork == nil ? .rangeAdded : .rangeAddedInsideWider
                    return portal.redirect(to: "/installs/\(installID)/trusted-ips", flash: flash)
                }
            } else if let network,
                let problem = TrustedNetworkOperations.confirmationProblem(network, confirmed: confirmsWide)
            {
                // Shown with the other fields' messages, so the form is fixed in one go.
                errors.add(problem.field, problem.message)
            }
            let asksConfirmation = network.map { $0.requiresConfirmation && !confirmsWide } ?? false
            return try renderRanges(
                context, network: typedNetwork, description: typedDescription,
                confirmation: asksConfirmation ? network : nil, errors: errors, status: .unprocessableContent)
        }
    }

    /// `GET /installs/:id/trusted-ips/:range/remove`: asks before removing.
    func removeRangeForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let (install, entry) = try portal.operations.trustedNetworks.range(
                context.caller, installID: try context.pathID("id"), rangeID: try context.pathID("range"))
            let view = TrustedNetworkRemoveView(install: install, entry: entry, context: context)
            return try portal.page(
                "trusted-ip-remove", title: "Remove \(entry.network)", context: view, for: request,
                session: context.session)
        }
    }

    /// `POST /installs/:id/trusted-ips/:range/remove`: removes the range.
    func removeRange(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try context.form.requireOnly(["_csrf"])
            let installID = try context.pathID("id")
            try portal.operations.trustedNetworks.remove(
                context.caller, installID: installID, rangeID: try context.pathID("range"))
            return portal.redirect(to: "/installs/\(installID)/trusted-ips", flash: .rangeRemoved)
        }
    }

    private func renderRanges(
        _ context: RequestContext, network: String, description: String, confirmation: IPv4Network?,
        errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let ranges = try portal.operations.trustedNetworks.list(context.caller, installID: try context.pathID("id")) {
            TrustedNetworkRows(install: $0, entries: $1)
        }
        let view = TrustedNetworkListView(
            ranges: ranges, context: context, network: network, description: description, confirmation: confirmation,
            errors: errors)
        return try portal.page(
            "trusted-ips", title: "\(view.header.name) · Trusted IPs", context: view, for: context.request,
            session: context.session, status: status)
    }
}

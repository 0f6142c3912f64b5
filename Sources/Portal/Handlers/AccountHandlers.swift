import HotDesk
import WebServer

/// Portal accounts (administrators): list, create, change role and installs, disable, reset passwords; every account's own password.
struct AccountHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates: [String] = []

    let portal: Portal

    /// Adds this family's routes.
    func register(on router: inout Router) {}
}

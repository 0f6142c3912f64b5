import HotDesk
import WebServer

/// The audit log page for administrators: newest first, filtered by install, account and action, paginated.
struct AuditHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates: [String] = []

    let portal: Portal

    /// Adds this family's routes.
    func register(on router: inout Router) {}
}

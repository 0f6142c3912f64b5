import HotDesk
import WebServer

/// Telephony Settings: installs, their Users tab (access, PINs) and Trusted IPs tab.
struct TelephonyHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates: [String] = []

    let portal: Portal

    /// Adds this family's routes.
    func register(on router: inout Router) {}
}

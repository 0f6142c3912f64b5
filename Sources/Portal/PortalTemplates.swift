import Templates

/// The templates the portal renders, all loaded at start-up (`Resources/templates/<name>.mustache`).
enum PortalTemplates {
    /// Every template: the pages every screen shares, then each handler family's own.
    static let names =
        ["layout", "status", "error", "login", "error-summary"] + AccountHandlers.templates + APIKeyHandlers.templates
        + AuditHandlers.templates
        + TelephonyHandlers.templates
}

/// Why the portal could not start; each reads as advice to whoever started it.
public enum PortalStartupError: Error, Sendable, CustomStringConvertible {
    /// A template file is missing; carries its path.
    case missingTemplate(String)
    /// A template does not compile; carries its path and the reason.
    case unparsableTemplate(String, String)
    /// The static files folder is missing; carries its path.
    case missingStaticFolder(String)
    /// Another resource file is missing; carries its path.
    case missingResource(String)

    init(_ error: TemplateLoadingError) {
        switch error {
        case .missingTemplate(let path): self = .missingTemplate(path)
        case .unparsableTemplate(let path, let reason): self = .unparsableTemplate(path, reason)
        }
    }

    /// The advice, naming the file and the option to check.
    public var description: String {
        switch self {
        case .missingTemplate(let path):
            return "template \(path) is missing: check --resources (HOTDESK_RESOURCES) points at the Resources folder"
        case .unparsableTemplate(let path, let reason):
            return "template \(path) cannot be parsed: \(reason)"
        case .missingStaticFolder(let path):
            return "static files folder \(path) is missing: check --resources (HOTDESK_RESOURCES)"
        case .missingResource(let path):
            return "\(path) is missing: check --resources (HOTDESK_RESOURCES)"
        }
    }
}

/// The layout's view model: the page title, the already-rendered page body, the signed-in account's
/// header and a one-time message.
struct LayoutView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let title: String
    /// Rendered template output (escaped by its own template), inserted with `{{{content}}}`.
    let content: RenderedHTML
    let account: AccountHeaderView?
    let flash: String?
}

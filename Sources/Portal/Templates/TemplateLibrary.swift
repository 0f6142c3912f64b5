import Foundation
import Mustache

/// The portal's Mustache templates, loaded once at start-up from the configured folder.
///
/// Every template the portal renders is listed in `required`; a missing or unparsable one stops
/// start-up with a message naming the file, instead of failing on the first request that needs it.
public struct TemplateLibrary: Sendable {
    /// The templates every page needs; each handler family lists its own (`AccountHandlers.templates`, …).
    static let core = ["layout", "status", "error", "login", "error-summary"]

    private let library: MustacheLibrary

    /// Loads and parses every template in `required` (each `<name>.mustache` in `folder`).
    init(folder: String, required: [String]) throws(PortalStartupError) {
        var library = MustacheLibrary()
        for name in required {
            let path = folder + "/" + name + ".mustache"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw .missingTemplate(path) }
            do {
                try library.register(text, named: name)
            } catch {
                throw .unparsableTemplate(path, "\(error)")
            }
        }
        self.library = library
    }

    /// Renders one template; values are HTML-escaped by `{{ }}` (templates never use `{{{ }}}` for user data).
    func render(_ name: String, _ context: Any) throws(PortalRenderingError) -> String {
        guard let html = library.render(context, withTemplate: name) else { throw PortalRenderingError(template: name) }
        return html
    }

    /// Renders `name` inside the shared layout, for pages outside a session (errors, status).
    func page(title: String, template name: String, context: Any) throws(PortalRenderingError) -> String {
        let content = try render(name, context)
        return try render("layout", LayoutView(title: title, content: content, account: nil, flash: nil))
    }
}

/// Why the portal could not start; each reads as advice to whoever started it.
public enum PortalStartupError: Error, Sendable, CustomStringConvertible {
    case missingTemplate(String)
    case unparsableTemplate(String, String)
    case missingStaticFolder(String)
    case missingResource(String)

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

/// A template that exists at start-up failed to render: a programming error, answered with a 500.
struct PortalRenderingError: Error {
    let template: String
}

/// The layout's view model: the page title, the already-rendered page body, the signed-in account's
/// header and a one-time message.
struct LayoutView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let title: String
    /// Rendered template output (escaped by its own template), inserted with `{{{content}}}`.
    let content: String
    let account: AccountHeaderView?
    let flash: String?
}

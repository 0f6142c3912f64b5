import Foundation

/// The portal's templates, loaded and compiled once at start-up from the configured folder.
///
/// Every template the portal renders is listed in `required`; a missing one, one that does not compile, or one
/// that includes a partial that is not loaded stops start-up with a message naming the file and line, instead of
/// failing on the first request that needs it.
public struct TemplateLibrary: Sendable {
    /// The templates every page needs; each handler family lists its own (`AccountHandlers.templates`, …).
    static let core = ["layout", "status", "error", "login", "error-summary"]

    private let templates: [String: Template]

    /// Loads and compiles every template in `required` (each `<name>.mustache` in `folder`).
    init(folder: String, required: [String]) throws(PortalStartupError) {
        var templates: [String: Template] = [:]
        for name in required {
            let path = folder + "/" + name + ".mustache"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw .missingTemplate(path) }
            do {
                templates[name] = try Template(name: name, text: text)
            } catch {
                throw .unparsableTemplate(path, "\(error)")
            }
        }
        for template in templates.values {
            for partial in template.partials where templates[partial.name] == nil {
                throw .unparsableTemplate(
                    folder + "/" + template.name + ".mustache",
                    "line \(partial.line): the partial \(partial.name) is not one of the portal's templates")
            }
        }
        self.templates = templates
    }

    /// Renders one template; values are HTML-escaped by `{{ }}` (templates never use `{{{ }}}` for user data).
    func render(_ name: String, _ view: some TemplateView) throws(PortalRenderingError) -> RenderedHTML {
        guard let template = templates[name] else {
            throw PortalRenderingError(template: name, line: 0, reason: "the template is not loaded")
        }
        return try TemplateRenderer.render(template, view, partials: templates)
    }

    /// Renders `name` inside the shared layout, for pages outside a session (errors, status).
    func page(title: String, template name: String, context view: some TemplateView) throws(PortalRenderingError)
        -> RenderedHTML
    {
        let content = try render(name, view)
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

import Foundation

/// A folder's templates, loaded and compiled once at start-up.
///
/// Every template a program renders is named up front; a missing one, one that does not compile, or one that
/// includes a partial that is not loaded stops start-up with a message naming the file and line, instead of
/// failing on the first request that needs it.
public struct TemplateLibrary: Sendable {
    private let templates: [String: Template]

    /// Loads and compiles every template in `names` (each `<name>.mustache` in `folder`).
    public init(folder: String, names: [String]) throws(TemplateLoadingError) {
        var templates: [String: Template] = [:]
        for name in names {
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
                    "line \(partial.line): the partial \(partial.name) is not one of the loaded templates")
            }
        }
        self.templates = templates
    }

    /// Renders one template; values are HTML-escaped by `{{ }}` (never use `{{{ }}}` for user data). Inlinable,
    /// so that reading the view, the one generic step, is specialized for the caller's view type.
    @inlinable
    public func render(_ name: String, _ view: some TemplateView) throws(TemplateRenderingError) -> RenderedHTML {
        try render(name, value: view.templateValue)
    }

    /// Renders one template for a view already read into a template value.
    @usableFromInline
    func render(_ name: String, value: TemplateValue) throws(TemplateRenderingError) -> RenderedHTML {
        guard let template = templates[name] else {
            throw TemplateRenderingError(template: name, line: 0, reason: "the template is not loaded")
        }
        return try TemplateRenderer.render(template, value, partials: templates)
    }
}

/// Why a template library could not be loaded.
public enum TemplateLoadingError: Error, Sendable, Equatable {
    /// The file is missing or not UTF-8; carries its path.
    case missingTemplate(String)
    /// The file does not compile, or includes a template that is not loaded; carries its path and the reason.
    case unparsableTemplate(String, String)
}

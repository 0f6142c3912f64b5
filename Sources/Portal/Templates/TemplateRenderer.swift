/// Renders a compiled template for a view model into one pre-reserved UTF-8 buffer.
///
/// Names resolve as in Mustache: through a stack of the values the enclosing sections opened, innermost first,
/// so a row inside `{{#users}}` still sees the page's `{{isAdministrator}}`; a field holding nil counts as not
/// there and the search goes on outwards. A name that no view on the stack declares is a mistake in the
/// template and throws (a test that renders the page finds it), instead of rendering as nothing.
struct TemplateRenderer {
    private let partials: [String: Template]
    private var stack: [TemplateValue]
    private var output: [UInt8] = []

    /// Renders `template` for `view`; `partials` holds every template a `{{> name}}` may include.
    static func render(
        _ template: Template, _ view: some TemplateView, partials: [String: Template]
    ) throws(PortalRenderingError) -> RenderedHTML {
        var renderer = TemplateRenderer(partials: partials, stack: [view.templateValue])
        renderer.output.reserveCapacity(64 * 1024)
        try renderer.render(template.nodes, in: template.name)
        return RenderedHTML(bytes: renderer.output)
    }

    private init(partials: [String: Template], stack: [TemplateValue]) {
        self.partials = partials
        self.stack = stack
    }

    private mutating func render(_ nodes: [TemplateNode], in template: String) throws(PortalRenderingError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output.append(contentsOf: text)
            case .variable(let path, let escaped):
                switch try value(at: path, in: template) {
                case .text(var text) where escaped: text.withUTF8 { appendEscaped($0) }
                case .text(let text): output.append(contentsOf: text.utf8)
                case .markup(let html) where escaped: html.bytes.withUnsafeBufferPointer { appendEscaped($0) }
                case .markup(let html): output.append(contentsOf: html.bytes)
                case .number(let number): output.append(contentsOf: String(number).utf8)
                case .flag(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
                case .absent: break
                case .view, .list:
                    throw PortalRenderingError(
                        template: template, line: path.line, reason: "{{\(path.text)}} is not text: use it as a section")
                }
            case .section(let path, let body, inverted: false):
                let value = try value(at: path, in: template)
                switch value {
                case .flag(let shown):
                    if shown { try render(body, in: template) }
                case .absent:
                    break
                case .list(let elements):
                    for element in elements { try render(body, in: template, opening: element) }
                case .text, .number, .view, .markup:
                    try render(body, in: template, opening: value)
                }
            case .section(let path, let body, inverted: true):
                switch try value(at: path, in: template) {
                case .flag(true), .text, .number, .view, .markup: break
                case .list(let elements) where !elements.isEmpty: break
                case .flag(false), .list, .absent: try render(body, in: template)
                }
            case .partial(let name, let line):
                guard let partial = partials[name] else {
                    throw PortalRenderingError(template: template, line: line, reason: "there is no template \(name)")
                }
                try render(partial.nodes, in: partial.name)
            }
        }
    }

    /// Renders a section's body with `value` as the innermost context.
    private mutating func render(_ nodes: [TemplateNode], in template: String, opening value: TemplateValue)
        throws(PortalRenderingError)
    {
        stack.append(value)
        defer { stack.removeLast() }
        try render(nodes, in: template)
    }

    /// The value `path` names: its first name in the innermost view that has it, the rest inside that value.
    private func value(at path: TemplatePath, in template: String) throws(PortalRenderingError) -> TemplateValue {
        guard let first = path.keys.first else { return stack[stack.count - 1] }
        var isDeclared = false
        var frame = stack.count
        while frame > 0 {
            frame -= 1
            guard case .view(let view) = stack[frame], var value = view.value(first) else { continue }
            if case .absent = value {
                isDeclared = true
                continue
            }
            for name in path.keys.dropFirst() {
                if case .absent = value { return .absent }
                guard case .view(let view) = value, let child = view.value(name) else {
                    throw PortalRenderingError(
                        template: template, line: path.line, reason: "{{\(path.text)}}: \(value) has no field \(name)")
                }
                value = child
            }
            return value
        }
        guard isDeclared else {
            throw PortalRenderingError(
                template: template, line: path.line, reason: "{{\(path.text)}}: no view in scope has a field \(first)")
        }
        return .absent
    }

    /// Appends the UTF-8 `bytes` with `&`, `<`, `>`, `"` and `'` replaced by HTML character references (as
    /// swift-mustache did).
    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in bytes.indices {
            let reference: StaticString
            switch bytes[index] {
            case UInt8(ascii: "&"): reference = "&amp;"
            case UInt8(ascii: "<"): reference = "&lt;"
            case UInt8(ascii: ">"): reference = "&gt;"
            case UInt8(ascii: "\""): reference = "&quot;"
            case UInt8(ascii: "'"): reference = "&#39;"
            default: continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            output.append(contentsOf: UnsafeBufferPointer(start: reference.utf8Start, count: reference.utf8CodeUnitCount))
            start = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }
}

/// A template failed to render: a programming error (a mistake in a template), answered with a 500.
struct PortalRenderingError: Error, CustomStringConvertible {
    let template: String
    let line: Int
    let reason: String

    var description: String { "template \(template).mustache, line \(line): \(reason)" }
}

/// Renders a compiled template for a view model into one UTF-8 buffer, reserved at the largest size the
/// template has rendered to so far.
///
/// Names resolve as in Mustache: through a stack of the values the enclosing sections opened, innermost first,
/// so a row inside `{{#users}}` still sees the page's `{{isAdministrator}}`; a field holding nil counts as not
/// there and the search goes on outwards. A name that no view on the stack declares is a mistake in the
/// template and throws (a test that renders the page finds it), instead of rendering as nothing.
struct TemplateRenderer {
    private let partials: [String: Template]
    private var stack: [TemplateValue]
    private var output: [UInt8] = []

    /// Renders `template` for the view read into `view`; `partials` holds every template a `{{> name}}` may
    /// include.
    static func render(
        _ template: Template, _ view: TemplateValue, partials: [String: Template]
    ) throws(TemplateRenderingError) -> RenderedHTML {
        let program = template.program
        var renderer = TemplateRenderer(partials: partials, stack: [view])
        renderer.output.reserveCapacity(program.outputSizeHint.load(ordering: .relaxed))
        try renderer.run(program, from: 0, to: program.instructions.count)
        let size = renderer.output.count
        if size > program.outputSizeHint.load(ordering: .relaxed) {
            program.outputSizeHint.store(size + size / 8, ordering: .relaxed)
        }
        return RenderedHTML(bytes: renderer.output)
    }

    private init(partials: [String: Template], stack: [TemplateValue]) {
        self.partials = partials
        self.stack = stack
    }

    /// Runs the instructions `start..<end` of `program`.
    private mutating func run(_ program: TemplateProgram, from start: Int, to end: Int) throws(TemplateRenderingError) {
        var index = start
        while index < end {
            switch program.instructions[index] {
            case .text(let start, let end):
                program.text.withUnsafeBufferPointer { text in
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(start)..<Int(end)]))
                }
            case .variable(let path, let escaped):
                switch try value(at: Int(path), in: program) {
                case .text(var text) where escaped: text.withUTF8 { appendEscaped($0) }
                case .text(let text): output.append(contentsOf: text.utf8)
                case .markup(let html) where escaped: html.bytes.withUnsafeBufferPointer { appendEscaped($0) }
                case .markup(let html): output.append(contentsOf: html.bytes)
                case .number(let number): output.append(contentsOf: String(number).utf8)
                case .flag(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
                case .absent: break
                case .view, .list:
                    throw error(in: program, at: Int(path), "it is not text: use it as a section")
                }
            case .section(let path, let bodyEnd, inverted: false):
                let value = try value(at: Int(path), in: program)
                switch value {
                case .flag(let shown):
                    if shown { try run(program, from: index + 1, to: Int(bodyEnd)) }
                case .absent:
                    break
                case .list(let elements):
                    for element in elements { try run(program, from: index + 1, to: Int(bodyEnd), opening: element) }
                case .text, .number, .view, .markup:
                    try run(program, from: index + 1, to: Int(bodyEnd), opening: value)
                }
                index = Int(bodyEnd)
                continue
            case .section(let path, let bodyEnd, inverted: true):
                switch try value(at: Int(path), in: program) {
                case .flag(true), .text, .number, .view, .markup: break
                case .list(let elements) where !elements.isEmpty: break
                case .flag(false), .list, .absent: try run(program, from: index + 1, to: Int(bodyEnd))
                }
                index = Int(bodyEnd)
                continue
            case .partial(let name, let line):
                let name = program.partialNames[Int(name)]
                guard let partial = partials[name] else {
                    throw TemplateRenderingError(
                        template: program.templateName, line: Int(line), reason: "there is no template \(name)")
                }
                try run(partial.program, from: 0, to: partial.program.instructions.count)
            }
            index += 1
        }
    }

    /// Runs a section's body with `value` as the innermost context.
    private mutating func run(
        _ program: TemplateProgram, from start: Int, to end: Int, opening value: TemplateValue
    )
        throws(TemplateRenderingError)
    {
        stack.append(value)
        defer { stack.removeLast() }
        try run(program, from: start, to: end)
    }

    /// The value the path names: its first name in the innermost view that has it, the rest inside that value.
    private func value(at pathIndex: Int, in program: TemplateProgram) throws(TemplateRenderingError) -> TemplateValue {
        let path = program.paths[pathIndex]
        guard path.keysStart < path.keysEnd else { return stack[stack.count - 1] }
        let first = program.keys[Int(path.keysStart)]
        var isDeclared = false
        var frame = stack.count
        while frame > 0 {
            frame -= 1
            guard case .view(let view) = stack[frame], var value = view.value(first) else { continue }
            if case .absent = value {
                isDeclared = true
                continue
            }
            for key in Int(path.keysStart) + 1..<Int(path.keysEnd) {
                if case .absent = value { return .absent }
                guard case .view(let view) = value, let child = view.value(program.keys[key]) else {
                    throw error(in: program, at: pathIndex, "\(value) has no field \(program.keys[key])")
                }
                value = child
            }
            return value
        }
        guard isDeclared else { throw error(in: program, at: pathIndex, "no view in scope has a field \(first)") }
        return .absent
    }

    private func error(in program: TemplateProgram, at path: Int, _ reason: String) -> TemplateRenderingError {
        TemplateRenderingError(
            template: program.templateName, line: Int(program.paths[path].line),
            reason: "{{\(program.text(ofPath: path))}}: \(reason)")
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
            output.append(
                contentsOf: UnsafeBufferPointer(start: reference.utf8Start, count: reference.utf8CodeUnitCount))
            start = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }
}

/// A template failed to render: a programming error (a mistake in a template, or a view without a field it
/// names), which a web front end answers with a 500.
public struct TemplateRenderingError: Error, CustomStringConvertible {
    /// The template's name.
    public let template: String
    /// The line of the tag that failed (0: the template itself is not loaded).
    public let line: Int
    /// What went wrong.
    public let reason: String

    /// `template NAME.mustache, line N: reason`.
    public var description: String { "template \(template).mustache, line \(line): \(reason)" }
}

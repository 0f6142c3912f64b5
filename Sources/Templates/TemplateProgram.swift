import Synchronization

/// A compiled template as a flat list of plain instructions over shared tables: rendering a page steps through
/// integers and byte ranges, with no reference counting per tag, which a tree of nodes holding arrays cost.
final class TemplateProgram: Sendable {
    /// One step of rendering; every payload is a plain integer or flag.
    enum Instruction: Sendable {
        /// Copies `text[start..<end]`.
        case text(start: Int32, end: Int32)
        /// Writes the value at `paths[path]`, HTML-escaped when `escaped`.
        case variable(path: Int32, escaped: Bool)
        /// A section (or inverted section) over the value at `paths[path]`; its body is the instructions that
        /// follow, up to `bodyEnd`.
        case section(path: Int32, bodyEnd: Int32, inverted: Bool)
        /// Renders the template `partialNames[name]` in the current context.
        case partial(name: Int32, line: Int32)
    }

    /// Where a path's names are in `keys`, and its line for error messages.
    struct Path: Sendable {
        let keysStart: Int32
        let keysEnd: Int32
        let line: Int32
    }

    /// The template's name, for error messages.
    let templateName: String
    let instructions: [Instruction]
    /// Every run of literal text, back to back.
    let text: [UInt8]
    /// Every path's interned names, back to back.
    let keys: [TemplateName]
    let paths: [Path]

    /// The path as the template writes it, `{{header.id}}` or `{{.}}` (for error messages).
    func text(ofPath index: Int) -> String {
        let path = paths[index]
        let names = keys[Int(path.keysStart)..<Int(path.keysEnd)].map(\.description)
        return names.isEmpty ? "." : names.joined(separator: ".")
    }
    let partialNames: [String]
    /// The largest output so far, so that the next rendering reserves its buffer once, at the right size.
    let outputSizeHint = Atomic<Int>(4096)

    /// Flattens the parsed `nodes` of the template `name`.
    init(name: String, nodes: [TemplateNode]) {
        var builder = Builder()
        builder.append(nodes)
        templateName = name
        instructions = builder.instructions
        text = builder.text
        keys = builder.keys
        paths = builder.paths
        partialNames = builder.partialNames
    }

    private struct Builder {
        var instructions: [Instruction] = []
        var text: [UInt8] = []
        var keys: [TemplateName] = []
        var paths: [Path] = []
        var partialNames: [String] = []

        mutating func append(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node {
                case .text(let bytes):
                    let start = Int32(text.count)
                    text += bytes
                    instructions.append(.text(start: start, end: Int32(text.count)))
                case .variable(let path, let escaped):
                    instructions.append(.variable(path: add(path), escaped: escaped))
                case .section(let path, let body, let inverted):
                    let path = add(path)
                    let position = instructions.count
                    instructions.append(.section(path: path, bodyEnd: 0, inverted: inverted))
                    append(body)
                    instructions[position] = .section(
                        path: path, bodyEnd: Int32(instructions.count), inverted: inverted)
                case .partial(let name, let line):
                    instructions.append(.partial(name: Int32(partialNames.count), line: Int32(line)))
                    partialNames.append(name)
                }
            }
        }

        mutating func add(_ path: TemplatePath) -> Int32 {
            let start = Int32(keys.count)
            keys += path.names.map(TemplateName.init)
            paths.append(Path(keysStart: start, keysEnd: Int32(keys.count), line: Int32(path.line)))
            return Int32(paths.count - 1)
        }
    }
}

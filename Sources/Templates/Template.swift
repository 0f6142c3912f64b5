/// One `.mustache` file compiled once at start-up into a `TemplateProgram`, which `TemplateRenderer` runs.
///
/// The portal's templates use a small part of Mustache, and this is all it supports: `{{name}}` (HTML-escaped),
/// `{{{name}}}` and `{{&name}}` (not escaped), dotted names (`{{header.id}}`), `{{.}}`, sections `{{#name}}…{{/name}}`,
/// inverted sections `{{^name}}…{{/name}}`, partials `{{> name}}` (not alone on a line) and comments `{{! … }}`.
/// Whitespace follows the Mustache specification as swift-mustache implemented it: a section, inverted section or
/// comment tag alone on its line removes that line. Anything else fails to compile with the file and line.
struct Template: Sendable {
    /// The template's name: its file name without `.mustache`.
    let name: String
    let program: TemplateProgram
    /// The partials this template includes, with the line of each inclusion.
    let partials: [(name: String, line: Int)]

    /// Compiles `text`, the contents of the template `name`.
    init(name: String, text: String) throws(TemplateSyntaxError) {
        var parser = TemplateParser(Array(text.utf8))
        let nodes = try parser.parseSection(nil, standalone: true)
        self.name = name
        self.program = TemplateProgram(name: name, nodes: nodes)
        func collect(_ nodes: [TemplateNode]) -> [(name: String, line: Int)] {
            nodes.flatMap { node -> [(name: String, line: Int)] in
                switch node {
                case .partial(let name, let line): return [(name, line)]
                case .section(_, let body, _): return collect(body)
                case .text, .variable: return []
                }
            }
        }
        self.partials = collect(nodes)
    }
}

/// A piece of a parsed template, before `TemplateProgram` flattens it.
indirect enum TemplateNode: Sendable {
    /// Text copied as it is, already UTF-8.
    case text([UInt8])
    /// A value looked up by `path`, HTML-escaped unless `escaped` is false.
    case variable(TemplatePath, escaped: Bool)
    /// A section (or, when `inverted`, an inverted section) over the value at `path`.
    case section(TemplatePath, body: [TemplateNode], inverted: Bool)
    /// Another template rendered in the current context.
    case partial(String, line: Int)
}

/// A name as a template writes it, split at its dots; `{{.}}` has no names and means the current value.
struct TemplatePath: Sendable {
    let names: [String]
    /// The line of the tag, for error messages.
    let line: Int

    /// The name as written in the template.
    var text: String { names.isEmpty ? "." : names.joined(separator: ".") }
}

/// A template that does not compile, with the line of the mistake.
struct TemplateSyntaxError: Error, Equatable, CustomStringConvertible {
    let line: Int
    let message: String

    var description: String { "line \(line): \(message)" }
}

/// Reads a template's UTF-8 bytes into nodes, following swift-mustache's rules for standalone tags so that
/// output stays byte-identical to it.
private struct TemplateParser {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses until `{{/name}}` closes `section` (or to the end when `section` is nil). `standalone` says whether
    /// the section's opening tag was alone on its line, so the section starts on a fresh line.
    mutating func parseSection(_ section: TemplatePath?, standalone: Bool) throws(TemplateSyntaxError) -> [TemplateNode]
    {
        var nodes: [TemplateNode] = []
        var atLineStart = standalone
        var indentation: [UInt8] = []
        func flushIndentation() {
            if !indentation.isEmpty { nodes.append(.text(indentation)) }
            indentation = []
        }
        while position < bytes.count {
            if atLineStart { indentation = read(while: { $0 == .space || $0 == .tab }) }
            let text = readText()
            if position < bytes.count, bytes[position] == .newline {
                position += 1
                nodes.append(.text(indentation + text + [.newline]))
                indentation = []
                atLineStart = true
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(indentation + text))
                indentation = []
                atLineStart = false
            }
            guard position < bytes.count else { break }
            // `readText` stopped after an opening `{{`.
            let tagLine = line(at: position)
            var tagIsStandalone = false
            switch bytes[position] {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[position] == UInt8(ascii: "^")
                position += 1
                let path = try readPath(line: tagLine)
                tagIsStandalone = atLineStart && finishLine()
                if !tagIsStandalone { flushIndentation() }
                let body = try parseSection(path, standalone: tagIsStandalone)
                nodes.append(.section(path, body: body, inverted: inverted))
            case UInt8(ascii: "/"):
                position += 1
                let path = try readPath(line: tagLine)
                guard let section else {
                    throw TemplateSyntaxError(line: tagLine, message: "{{/\(path.text)}} closes no section")
                }
                guard path.names == section.names else {
                    throw TemplateSyntaxError(
                        line: tagLine,
                        message: "{{/\(path.text)}} does not close {{#\(section.text)}} opened on line \(section.line)")
                }
                if !(atLineStart && finishLine()) { flushIndentation() }
                return Self.joiningText(nodes)
            case UInt8(ascii: "!"):
                guard let end = find(.closingDelimiter, from: position) else {
                    throw TemplateSyntaxError(line: tagLine, message: "the comment is never closed with }}")
                }
                position = end + 2
                tagIsStandalone = atLineStart && finishLine()
            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                let isTriple = bytes[position] == UInt8(ascii: "{")
                flushIndentation()
                position += 1
                let path = try readPath(line: tagLine)
                if isTriple {
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else {
                        throw TemplateSyntaxError(line: tagLine, message: "{{{\(path.text)}} must end with }}}")
                    }
                    position += 1
                }
                nodes.append(.variable(path, escaped: false))
            case UInt8(ascii: ">"):
                position += 1
                let path = try readPath(line: tagLine)
                guard path.names.count == 1 else {
                    throw TemplateSyntaxError(line: tagLine, message: "{{> \(path.text)}} does not name a template")
                }
                flushIndentation()
                if atLineStart && finishLine() {
                    throw TemplateSyntaxError(
                        line: tagLine,
                        message:
                            "{{> \(path.text)}} alone on its line is not supported (Mustache would indent the partial); "
                            + "put it inside its section's tags, as in {{#header}}{{> install-header}}{{/header}}")
                }
                nodes.append(.partial(path.names[0], line: tagLine))
            case UInt8(ascii: "="), UInt8(ascii: "%"), UInt8(ascii: "<"), UInt8(ascii: "$"):
                throw TemplateSyntaxError(
                    line: tagLine,
                    message: "{{\(UnicodeScalar(bytes[position]))…}} tags are not supported by the portal's templates")
            default:
                flushIndentation()
                nodes.append(.variable(try readPath(line: tagLine), escaped: true))
            }
            atLineStart = tagIsStandalone
        }
        if let section {
            throw TemplateSyntaxError(
                line: section.line, message: "{{#\(section.text)}} is never closed with {{/\(section.text)}}")
        }
        return Self.joiningText(nodes)
    }

    /// `nodes` with neighbouring text nodes joined into one, so rendering copies each run of text at once.
    private static func joiningText(_ nodes: [TemplateNode]) -> [TemplateNode] {
        var joined: [TemplateNode] = []
        for node in nodes {
            if case .text(let text) = node, case .text(let previous) = joined.last {
                joined[joined.count - 1] = .text(previous + text)
            } else {
                joined.append(node)
            }
        }
        return joined
    }

    /// Text up to the next newline (not consumed) or `{{` (consumed), or to the end.
    private mutating func readText() -> [UInt8] {
        let start = position
        while position < bytes.count, bytes[position] != .newline {
            if bytes[position] == UInt8(ascii: "{"), position + 1 < bytes.count,
                bytes[position + 1] == UInt8(ascii: "{")
            {
                position += 2
                return Array(bytes[start..<position - 2])
            }
            position += 1
        }
        return Array(bytes[start..<position])
    }

    /// A tag's name and its closing `}}`.
    private mutating func readPath(line: Int) throws(TemplateSyntaxError) -> TemplatePath {
        _ = read(while: Self.isWhitespace)
        let name = String(decoding: read(while: Self.isNameCharacter), as: UTF8.self)
        _ = read(while: Self.isWhitespace)
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "}"), bytes[position + 1] == UInt8(ascii: "}")
        else {
            throw TemplateSyntaxError(
                line: line, message: "a tag must be a name followed by }}, as in {{name}} or {{header.id}}")
        }
        position += 2
        if name == "." { return TemplatePath(names: [], line: line) }
        let names = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !names.contains(where: \.isEmpty) else {
            throw TemplateSyntaxError(
                line: line, message: "“\(name)” is not a name: write {{name}}, {{parent.child}} or {{.}}")
        }
        return TemplatePath(names: names, line: line)
    }

    /// After a tag: when only blanks and a newline (or the end) follow, consumes them and answers true.
    private mutating func finishLine() -> Bool {
        var end = position
        while end < bytes.count, bytes[end] == .space || bytes[end] == .tab { end += 1 }
        if position == bytes.count { return true }
        guard end < bytes.count, bytes[end] == .newline else { return false }
        position = end + 1
        return true
    }

    private mutating func read(while predicate: (UInt8) -> Bool) -> [UInt8] {
        let start = position
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
        return Array(bytes[start..<position])
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard start <= bytes.count - needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    private func line(at offset: Int) -> Int {
        1 + bytes[..<offset].count { $0 == .newline }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == .space || byte == .tab || byte == .newline || byte == UInt8(ascii: "\r")
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

extension UInt8 {
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
}

extension [UInt8] {
    fileprivate static let closingDelimiter: [UInt8] = Array("}}".utf8)
}

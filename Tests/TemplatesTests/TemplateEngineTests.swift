import Foundation
import Testing

@testable import Templates

@Suite("Template engine: compiles the Mustache the portal uses and renders it like swift-mustache did")
struct TemplateEngineTests {
    /// A row inside a page: it has its own fields and none of the page's.
    struct Row: TemplateView {
        static let templateFields = TemplateFields(Self.self)
        let name: String
        let note: String?
    }

    /// A page holding every kind of field a view model may have.
    struct Page: TemplateView {
        static let templateFields = TemplateFields(Self.self)
        var title = "Users"
        var isAdministrator = true
        var count = 0
        var rows: [Row] = []
        var tags: [String] = []
        var numbers: [Int] = []
        var next: String? = nil
        var limit: Int? = nil
        var row: Row? = nil
        var note = "page note"
    }

    private func render(_ text: String, _ page: Page = Page(), partials: [String: String] = [:]) throws -> String {
        var library: [String: Template] = [:]
        for (name, text) in partials { library[name] = try Template(name: name, text: text) }
        let html = try TemplateRenderer.render(
            Template(name: "test", text: text), page.templateValue, partials: library)
        return String(decoding: html.bytes, as: UTF8.self)
    }

    private func syntaxError(_ text: String) -> TemplateSyntaxError? {
        do {
            _ = try Template(name: "test", text: text)
            return nil
        } catch {
            return error
        }
    }

    @Test("{{name}} escapes & < > \" and ' over UTF-8, {{{name}}} and {{&name}} do not")
    func escaping() throws {
        var page = Page()
        page.title = "<a href=\"x\">Tom & Jerry's</a> Zoë 🎉"
        #expect(
            try render("{{title}}", page) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; Zoë 🎉")
        #expect(try render("{{{title}}}|{{&title}}", page) == page.title + "|" + page.title)
        // swift-mustache compared whole Characters, so it left a quote followed by a combining mark unescaped.
        page.title = "\"\u{301}"
        #expect(try render("{{title}}", page) == "&quot;\u{301}")
    }

    @Test("sections repeat over lists, show on true, non-nil and zero, and inverted sections show the opposite")
    func sections() throws {
        var page = Page()
        page.rows = [Row(name: "Ada", note: nil), Row(name: "Bo", note: "x")]
        page.tags = ["a", "b"]
        page.numbers = [1, 2]
        #expect(try render("{{#rows}}[{{name}}]{{/rows}}{{^rows}}none{{/rows}}", page) == "[Ada][Bo]")
        #expect(try render("{{#rows}}[{{name}}]{{/rows}}{{^rows}}none{{/rows}}") == "none")
        #expect(try render("{{#tags}}{{.}},{{/tags}}{{#numbers}}{{.}};{{/numbers}}", page) == "a,b,1;2;")
        #expect(
            try render("{{#isAdministrator}}admin{{/isAdministrator}}{{^isAdministrator}}manager{{/isAdministrator}}")
                == "admin")
        page.isAdministrator = false
        #expect(
            try render(
                "{{#isAdministrator}}admin{{/isAdministrator}}{{^isAdministrator}}manager{{/isAdministrator}}", page)
                == "manager")
        #expect(try render("{{#next}}<{{next}}>{{/next}}{{^next}}last{{/next}}") == "last")
        page.next = "/p2"
        page.limit = 0
        #expect(try render("{{#next}}<{{.}}>{{/next}}{{#limit}} max {{limit}}{{/limit}}", page) == "</p2> max 0")
        #expect(try render("{{count}} {{isAdministrator}}", page) == "0 false")
    }

    @Test("a name missing from the innermost view, or nil there, is found in an enclosing one; dotted names go inside")
    func contextStack() throws {
        var page = Page()
        page.rows = [Row(name: "Ada", note: nil), Row(name: "Bo", note: "row note")]
        page.row = Row(name: "Cy", note: nil)
        #expect(
            try render(
                "{{#rows}}{{name}} {{title}} {{#isAdministrator}}edit{{/isAdministrator}} {{note}};{{/rows}}", page)
                == "Ada Users edit page note;Bo Users edit row note;")
        #expect(
            try render(
                "{{row.name}} {{#row}}{{name}}{{/row}} {{#row.note}}x{{/row.note}}{{^row.note}}no note{{/row.note}}",
                page)
                == "Cy Cy no note")
        #expect(try render("[{{row.name}}]") == "[]")
    }

    @Test("partials render in the current context")
    func partials() throws {
        var page = Page()
        page.row = Row(name: "Ada", note: nil)
        #expect(
            try render("<{{#row}}{{> row}}{{/row}}>", page, partials: ["row": "{{name}} of {{title}}"])
                == "<Ada of Users>")
    }

    @Test("a section or comment tag alone on its line removes the line; other whitespace stays")
    func standaloneLines() throws {
        #expect(
            try render("<ul>\n  {{#isAdministrator}}\n  <li>a</li>\n  {{/isAdministrator}}\n  {{! note }}\n</ul>\n")
                == "<ul>\n  <li>a</li>\n</ul>\n")
        #expect(try render("  {{#isAdministrator}}a{{/isAdministrator}}  \n") == "  a  \n")
        #expect(try render("a {{title}}\n  {{^isAdministrator}}x{{/isAdministrator}}\nb") == "a Users\n  \nb")
    }

    @Test("a name no view in scope declares fails to render, naming the template and line")
    func unknownName() throws {
        #expect {
            try render("ok\n{{#rows}}{{nmae}}{{/rows}}{{titel}}")
        } throws: { error in
            "\(error)" == "template test.mustache, line 2: {{titel}}: no view in scope has a field titel"
        }
        var page = Page()
        page.row = Row(name: "Ada", note: nil)
        #expect(throws: TemplateRenderingError.self) { try render("{{row.nmae}}", page) }
        #expect(throws: TemplateRenderingError.self) { try render("{{rows}}") }
    }

    @Test("template mistakes fail to compile with the line they are on")
    func syntaxErrors() {
        #expect(
            syntaxError("a\n{{#rows}}\nb")
                == TemplateSyntaxError(line: 2, message: "{{#rows}} is never closed with {{/rows}}"))
        #expect(
            syntaxError("{{#rows}}\n\n{{/row}}")
                == TemplateSyntaxError(line: 3, message: "{{/row}} does not close {{#rows}} opened on line 1"))
        #expect(syntaxError("\n{{/rows}}")?.line == 2)
        #expect(syntaxError("{{title\n") != nil)
        #expect(syntaxError("{{{title}}") != nil)
        #expect(syntaxError("{{a..b}}") != nil)
        #expect(syntaxError("{{=<% %>=}}")?.line == 1)
        #expect(syntaxError("x\n  {{> row}}\n")?.line == 2)
        #expect(syntaxError("{{! never closed") != nil)
    }

    @Test(
        "loading stops with the file and line of a template that is missing, does not compile or includes an unknown partial"
    )
    func libraryLoadingErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "<p>\n{{#a}}{{> missing}}{{/a}}\n".write(
            toFile: folder + "/page.mustache", atomically: true, encoding: .utf8)
        try "<p>\n\n{{#a}}\n".write(toFile: folder + "/broken.mustache", atomically: true, encoding: .utf8)
        #expect(
            throws: TemplateLoadingError.unparsableTemplate(
                folder + "/page.mustache", "line 2: the partial missing is not one of the loaded templates"
            )
        ) { _ = try TemplateLibrary(folder: folder, names: ["page"]) }
        #expect(
            throws: TemplateLoadingError.unparsableTemplate(
                folder + "/broken.mustache", "line 3: {{#a}} is never closed with {{/a}}"
            )
        ) { _ = try TemplateLibrary(folder: folder, names: ["broken"]) }
        #expect(throws: TemplateLoadingError.missingTemplate(folder + "/absent.mustache")) {
            _ = try TemplateLibrary(folder: folder, names: ["absent"])
        }
    }

    /// A page that inserts markup another template rendered, and rows prepared once.
    struct Layout: TemplateView {
        static let templateFields = TemplateFields(Self.self)
        let content: RenderedHTML
        let rows: TemplateRows
    }

    @Test(
        "a library renders by name: markup from another template goes in unescaped by {{{ }}} and escaped by {{ }}, prepared rows repeat a section"
    )
    func libraryRendersMarkupAndRows() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "<b>{{title}}</b>".write(toFile: folder + "/body.mustache", atomically: true, encoding: .utf8)
        try "{{{content}}}|{{content}}|{{#rows}}{{name}},{{/rows}}".write(
            toFile: folder + "/layout.mustache", atomically: true, encoding: .utf8)
        let library = try TemplateLibrary(folder: folder, names: ["body", "layout"])
        var page = Page()
        page.title = "A & B"
        let body = try library.render("body", page)
        #expect(String(decoding: body.bytes, as: UTF8.self) == "<b>A &amp; B</b>")
        let rows = TemplateRows([Row(name: "Ada", note: nil), Row(name: "<Bo>", note: nil)])
        let html = try library.render("layout", Layout(content: body, rows: rows))
        #expect(
            String(decoding: html.bytes, as: UTF8.self)
                == "<b>A &amp; B</b>|&lt;b&gt;A &amp;amp; B&lt;/b&gt;|Ada,&lt;Bo&gt;,")
        #expect(throws: TemplateRenderingError.self) { _ = try library.render("unknown", page) }
    }

    @Test("a partial that is not loaded fails to render, naming the template and line")
    func missingPartialAtRendering() throws {
        #expect {
            try render("a\n<{{> nowhere}}>")
        } throws: { error in
            (error as? TemplateRenderingError)?.line == 2 && "\(error)".contains("test.mustache")
        }
    }
}

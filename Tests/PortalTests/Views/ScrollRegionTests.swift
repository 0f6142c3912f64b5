import Foundation
import TestSupport
import Testing

/// Whatever scrolls sideways on a phone (a wide table, the handsets' file) scrolls in a `scroll-region`: a
/// focusable region named by a heading or caption of the same template, so that keyboard users can scroll it
/// and screen readers say what it holds (axe-core's `scrollable-region-focusable`; the browser suite checks
/// the rendered pages, this checks every template, whatever data a page happens to show).
@Suite("Sideways-scrolling content is a focusable, named region in every template")
struct ScrollRegionTests {
    private static let resources = TestPostgres.repositoryRoot + "/Resources"

    @Test("every scroll-region element has role=region, tabindex=0 and an aria-labelledby id of its template")
    func templatesUseThePattern() throws {
        let folder = Self.resources + "/templates"
        var regions = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            for tag in text.matches(of: /<[a-z]+ [^>]*class="[^"]*\bscroll-region\b[^"]*"[^>]*>/) {
                regions += 1
                let tag = String(tag.output)
                #expect(tag.contains(" role=\"region\""), "\(name): \(tag)")
                #expect(tag.contains(" tabindex=\"0\""), "\(name): \(tag)")
                let label = try #require(tag.firstMatch(of: /aria-labelledby="([a-z0-9-]+)"/), "\(name): \(tag)")
                #expect(text.contains("id=\"\(label.output.1)\""), "\(name): \(tag) names no element of \(name)")
            }
        }
        #expect(regions >= 9)
    }

    @Test("in the stylesheet, only .scroll-region scrolls (overflow auto or scroll)")
    func onlyScrollRegionsScroll() throws {
        let css = try String(contentsOfFile: Self.resources + "/static/hotdesk.css", encoding: .utf8)
        let scrolling = css.matches(of: /([^{}]+)\{[^}]*overflow(?:-x|-y)?:\s*(?:auto|scroll)[^}]*\}/).map {
            $0.output.1.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        #expect(scrolling == [".scroll-region"])
    }
}

import Foundation
import TestSupport

/// One rule of axe-core that a page breaks, with every element that breaks it.
struct AccessibilityViolation: CustomStringConvertible {
    /// The axe-core rule, such as `scrollable-region-focusable`.
    let rule: String
    /// `minor`, `moderate`, `serious` or `critical`.
    let impact: String
    /// What the rule asks for, in a sentence.
    let help: String
    /// Deque's page about the rule.
    let helpURL: String
    /// A CSS selector for each offending element.
    let targets: [String]

    var description: String {
        "\(rule) (\(impact)): \(help) [\(targets.joined(separator: ", "))] \(helpURL)"
    }
}

/// A window size a page is checked at.
struct Viewport: CustomStringConvertible {
    let width: Int
    let height: Int

    /// A desktop browser.
    static let desktop = Viewport(width: 1280, height: 900)
    /// A phone (the narrowest the stylesheet is made for).
    static let phone = Viewport(width: 375, height: 812)

    var description: String { "\(width) px" }
}

/// Accessibility checks with axe-core (Deque's rules engine, MPL 2.0), injected into the page over WebDriver.
/// `scripts/install-deps.sh test` fetches it into `.hotdesk/axe-core/` (npm is not reachable from CI, so it
/// comes from the PyPI wheel axe-playwright-python, which ships `axe.min.js`).
extension WebDriverClient {
    /// Where `scripts/install-deps.sh test` puts axe-core.
    static let axeScriptPath = TestPostgres.repositoryRoot + "/.hotdesk/axe-core/axe.min.js"

    /// The rules checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
    static let wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

    /// Sizes the window so that the page's layout viewport is `viewport.width` CSS pixels wide, and checks it is.
    func setViewport(_ viewport: Viewport) throws {
        try resize(width: viewport.width, height: viewport.height)
        let width = try execute("return window.innerWidth") as? Int
        guard width == viewport.width else {
            throw Failure(
                description: "asked for a \(viewport.width) px wide viewport, got \(width.map(String.init) ?? "none")")
        }
    }

    /// The WCAG 2.x A and AA violations axe-core finds on the current page as it is laid out now (injecting
    /// axe-core first if this page has not got it yet).
    func accessibilityViolations() throws -> [AccessibilityViolation] {
        if try execute("return typeof window.axe === 'object'") as? Bool != true {
            guard let script = FileManager.default.contents(atPath: Self.axeScriptPath) else {
                throw Failure(
                    description:
                        "\(Self.axeScriptPath) is missing: scripts/install-deps.sh test fetches it (scripts/test.sh runs that)"
                )
            }
            try execute(String(decoding: script, as: UTF8.self))
        }
        let answer = try executeAsync(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']}).then(
                (results) => done({violations: results.violations.map((rule) => ({
                    rule: rule.id, impact: rule.impact || '', help: rule.help, helpURL: rule.helpUrl,
                    targets: rule.nodes.map((node) => node.target.map(String).join(' >>> '))}))}),
                (error) => done({error: String(error)}));
            """, [Self.wcagTags])
        guard let result = answer as? [String: Any], let rules = result["violations"] as? [[String: Any]] else {
            throw Failure(description: "axe.run failed on \(try currentURL()): \(answer ?? "no answer")")
        }
        return rules.map { rule in
            AccessibilityViolation(
                rule: rule["rule"] as? String ?? "", impact: rule["impact"] as? String ?? "",
                help: rule["help"] as? String ?? "", helpURL: rule["helpURL"] as? String ?? "",
                targets: rule["targets"] as? [String] ?? [])
        }
    }
}

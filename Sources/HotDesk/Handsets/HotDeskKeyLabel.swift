/// The text shown on the Hot Desking line key, such as "Hot Desking" or "Register".
///
/// It exists so that only one short line reaches `linekey.N.label`: `BoundedText`'s rule (trimmed, no
/// control, text-direction or zero-width characters — so no line break can start a second setting in the
/// file) with at most 32 characters, which the handset's key shows.
public struct HotDeskKeyLabel: Sendable, Hashable, CustomStringConvertible {
    /// The rule: the field is called "key label" in messages and holds at most 32 characters.
    public static let rule = BoundedText(fieldName: "key label", example: "Hot Desking", maximumLength: 32)

    /// What the handset shows when the label is left to its default.
    public static let standard = HotDeskKeyLabel(checked: "Hot Desking")

    /// The trimmed text.
    public let text: String

    init(checked text: String) {
        self.text = text
    }

    /// Parses typed text by `rule`.
    public init(_ text: String) throws(BoundedTextError) {
        self.text = try Self.rule.parse(text)
    }

    /// The text itself.
    public var description: String { text }
}

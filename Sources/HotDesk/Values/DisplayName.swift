/// A person's name — a hot desk user's or a portal account's — as shown in lists, forms and the
/// audit log.
///
/// It exists so that only text following `BoundedText`'s rule reaches the store (and the
/// `users.display_name` length check): trimmed, 1–200 characters, no control, text-direction or
/// zero-width characters.
public struct DisplayName: Sendable, Hashable, CustomStringConvertible {
    /// The rule: the field is called "name" in messages and holds at most 200 characters.
    public static let rule = BoundedText(fieldName: "name", example: "Ann Smith", maximumLength: 200)

    /// The trimmed text.
    public let text: String

    /// Parses typed text by `rule`.
    public init(_ text: String) throws(BoundedTextError) {
        self.text = try Self.rule.parse(text)
    }

    /// The text itself.
    public var description: String { text }
}

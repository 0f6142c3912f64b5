/// A phone system install's name, such as "Head office", as shown in Telephony Settings and the
/// audit log.
///
/// It exists so that only text following `BoundedText`'s rule reaches the store (and the
/// `installs.name` length check): trimmed, 1–200 characters, no control, text-direction or
/// zero-width characters.
public struct InstallName: Sendable, Hashable, CustomStringConvertible {
    /// The rule: the field is called "install name" in messages and holds at most 200 characters.
    public static let rule = BoundedText(fieldName: "install name", example: "Head office", maximumLength: 200)

    /// The trimmed text.
    public let text: String

    /// Parses typed text by `rule`.
    public init(_ text: String) throws(BoundedTextError) {
        self.text = try Self.rule.parse(text)
    }

    /// The text itself.
    public var description: String { text }
}

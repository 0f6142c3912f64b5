/// What a trusted IP range is, such as "Head office LAN", shown beside the range on the Trusted IPs
/// tab and in the audit log.
///
/// It exists so that only text following `BoundedText`'s rule reaches the store (and the
/// `trusted_networks.description` length check): trimmed, 1–200 characters, no control, text-direction or
/// zero-width characters.
public struct RangeDescription: Sendable, Hashable, CustomStringConvertible {
    /// The rule: the field is called "description" in messages and holds at most 200 characters.
    public static let rule = BoundedText(fieldName: "description", example: "Head office LAN", maximumLength: 200)

    /// The trimmed text.
    public let text: String

    /// Parses typed text by `rule`.
    public init(_ text: String) throws(BoundedTextError) {
        self.text = try Self.rule.parse(text)
    }

    /// The text itself.
    public var description: String { text }
}

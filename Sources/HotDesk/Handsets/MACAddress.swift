/// A handset's MAC address as Yealink names its per-handset files: 12 hexadecimal digits, no
/// separators, such as `001565a1b2c3` in `001565a1b2c3.boot`.
///
/// It exists so that a provisioning file name is served only when it is exactly that: the digits may be
/// typed in either case and are kept in lowercase, as Yealink handsets request them.
public struct MACAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 12 lowercase hex digits.
    public let hexDigits: String

    /// Parses 12 hex digits `0-9`, `a-f`, `A-F`; nil for anything else (separators, other lengths).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 12, bytes.allSatisfy(Self.isHexDigit) else { return nil }
        hexDigits = ASCIIText.string(bytes.map(ASCIIText.lowercased))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        ASCIIText.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(ASCIIText.lowercased(byte))
    }

    /// The lowercase digits.
    public var description: String { hexDigits }
}

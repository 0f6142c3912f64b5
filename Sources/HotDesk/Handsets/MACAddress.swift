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

    /// Reads the separated forms User-Agents carry, `80:5e:c0:11:22:33` or `80-5E-C0-11-22-33`, or the 12 digits
    /// alone; nil for anything else.
    public init?(separated text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 17 else {
            self.init(text)
            return
        }
        let separator = bytes[2]
        guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-"),
            stride(from: 5, to: 17, by: 3).allSatisfy({ bytes[$0] == separator })
        else { return nil }
        self.init(ASCIIText.string(bytes.indices.lazy.filter { ($0 + 1) % 3 != 0 }.map { bytes[$0] }))
    }

    /// `80:5e:c0:11:22:33`.
    public var colonSeparated: String {
        var text: [UInt8] = []
        text.reserveCapacity(17)
        for (offset, digit) in hexDigits.utf8.enumerated() {
            if offset > 0 && offset % 2 == 0 { text.append(UInt8(ascii: ":")) }
            text.append(digit)
        }
        return ASCIIText.string(text)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        ASCIIText.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(ASCIIText.lowercased(byte))
    }

    /// The lowercase digits.
    public var description: String { hexDigits }
}

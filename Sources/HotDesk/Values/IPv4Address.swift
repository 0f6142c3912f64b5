/// One IPv4 address, such as the source address of a request or a handset, to check against trusted
/// ranges.
///
/// It exists so that addresses are compared as numbers, never as text, and so that typed addresses are
/// parsed with the same strictness as `IPv4Network`: exactly four decimal octets `0`–`255` without
/// leading zeros. `inet_aton` would also accept `10.1` or `0x0a.1.2.3` and read `010` as octal.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address as a 32-bit number, first octet in the most significant byte.
    public let value: UInt32

    /// The address with this 32-bit value; every value is an address.
    public init(_ value: UInt32) {
        self.value = value
    }

    /// Parses a dotted quad such as `203.0.113.7`, after trimming surrounding ASCII whitespace.
    public init(text: String) throws(IPv4AddressError) {
        switch IPv4Text(text, maximumLength: 15) {
        case .empty: throw .empty
        case .tooLong: throw .tooLong
        case .ipv6: throw .ipv6
        case .ascii(let bytes):
            guard let value = IPv4Text.dottedQuad(bytes) else { throw .notAnAddress }
            self.value = value
        }
    }

    /// The dotted quad, e.g. `203.0.113.7`.
    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// Numeric order, which is also the order of the dotted quads read octet by octet.
    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }
}

/// Why text typed as an IPv4 address is not one.
public enum IPv4AddressError: FieldError, Hashable {
    /// The field was empty or held only whitespace.
    case empty
    /// More than 15 characters (Unicode scalars) remained after trimming, more than `255.255.255.255` has.
    case tooLong
    /// IPv6 in some form (`::1`, `2001:db8::1`, `::ffff:1.2.3.4`): hex digits and dots with a colon.
    case ipv6
    /// Anything else that is not four decimal octets 0–255 separated by dots.
    case notAnAddress

    /// The sentence shown next to the address field.
    public var message: String {
        switch self {
        case .empty:
            return "Enter an IPv4 address such as 203.0.113.7."
        case .tooLong:
            return "This is too long to be an IPv4 address; use the form a.b.c.d, e.g. 203.0.113.7."
        case .ipv6:
            return "IPv6 is not yet supported; enter an IPv4 address such as 203.0.113.7."
        case .notAnAddress:
            return "This is not an IPv4 address; use four numbers 0–255 separated by dots, e.g. 203.0.113.7."
        }
    }
}

/// The first steps that parsing an IPv4 address and an IPv4 range share, and the strict octet parser.
enum IPv4Text {
    /// Nothing but whitespace.
    case empty
    /// Longer than allowed, counted in Unicode scalars after trimming; nothing else was read.
    case tooLong
    /// IPv6 in some form: hex digits, colons, dots, slashes or brackets with at least one colon, not
    /// starting with an IPv4 address (so `1.2.3.4:5060`, an address with a port, is not IPv6).
    case ipv6
    /// The trimmed UTF-8 bytes, still to be parsed.
    case ascii([UInt8])

    /// The longest text recognised as IPv6 (`ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128` has 49
    /// characters): longer text is refused as too long without being read.
    static let longestIPv6Text = 64

    private static let ipv6Bytes = Set("0123456789abcdefABCDEF:./[]".utf8)

    /// Trims surrounding ASCII whitespace, refuses text too long to be IPv6 unread, recognises IPv6 so
    /// that it gets its own message even when longer than an IPv4 text, then refuses text longer than
    /// `maximumLength`.
    init(_ text: String, maximumLength: Int) {
        let bytes = Array(ASCIIText.trimmingWhitespace(text).utf8)
        let length = ASCIIText.scalarCount(bytes)
        if bytes.isEmpty {
            self = .empty
        } else if length > max(maximumLength, Self.longestIPv6Text) {
            self = .tooLong
        } else if Self.isIPv6(bytes) {
            self = .ipv6
        } else if length > maximumLength {
            self = .tooLong
        } else {
            self = .ascii(bytes)
        }
    }

    private static func isIPv6(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(UInt8(ascii: ":")), bytes.allSatisfy(ipv6Bytes.contains) else { return false }
        let head = bytes.prefix { $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "/") }
        return dottedQuad(head) == nil
    }

    /// Exactly four octets of one to three ASCII digits separated by single dots, each 0–255 and without
    /// a leading zero (`0` itself is fine); nil for anything else.
    static func dottedQuad(_ bytes: some Collection<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octetCount = 0
        for octet in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard octetCount < 4, let number = decimal(octet, maximum: 255) else { return nil }
            value = value << 8 | number
            octetCount += 1
        }
        return octetCount == 4 ? value : nil
    }

    /// One to three ASCII digits without a leading zero, at most `maximum`; nil for anything else.
    static func decimal(_ bytes: some Collection<UInt8>, maximum: UInt32) -> UInt32? {
        guard (1...3).contains(bytes.count), bytes.allSatisfy(ASCIIText.isDigit) else { return nil }
        guard bytes.count == 1 || bytes.first != UInt8(ascii: "0") else { return nil }
        let number = bytes.reduce(UInt32(0)) { $0 * 10 + UInt32($1 - UInt8(ascii: "0")) }
        return number <= maximum ? number : nil
    }
}

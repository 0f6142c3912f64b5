/// The DNS host name of the SIP server that an install's handsets register to, such as
/// `pbx.example.com`.
///
/// It exists because the domain is both what administrators type into handsets and part of every
/// digest credential (HA1 = md5(extension:domain:PIN)), so one install must have exactly one spelling:
/// the value is trimmed and lowercased, and it always satisfies the database's
/// `installs_sip_domain_hostname` check. Decisions: a full name with at least one dot is required
/// (`localhost` or `pbx` alone is refused); one trailing dot, the fully qualified form
/// `pbx.example.com.`, is accepted and dropped; IP addresses are refused, since the registrar matches
/// the domain handsets send; internationalized names must be entered in punycode (`xn--…`).
public struct SIPDomain: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The lowercase host name, as stored and as handsets must use it.
    public let name: String

    /// Parses a host name typed by an administrator. See `SIPDomainError` for every refusal.
    public init(_ text: String) throws(SIPDomainError) {
        var trimmed = ASCIIText.trimmingWhitespace(text)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.utf8.allSatisfy({ $0 < 0x80 }) else { throw .nonASCII }
        if let problem = Self.notJustAHostName(trimmed) { throw problem }
        if trimmed.utf8.count > 1 && trimmed.utf8.last == UInt8(ascii: ".") {
            trimmed = trimmed.dropLast()
        }
        name = try HostName.parse(trimmed, refusing: SIPDomainError.self)
    }

    /// Recognises an IPv6 literal (hex digits, colons, dots, brackets, with two or more colons) and a
    /// URL, port or user part (`sip:`, `https://`, `:5060`, `user@`).
    private static func notJustAHostName(_ text: Substring) -> SIPDomainError? {
        let bytes = text.utf8
        let colons = bytes.count(where: { $0 == UInt8(ascii: ":") })
        let ipv6Bytes = Set("0123456789abcdefABCDEF:.[]".utf8)
        if colons >= 2 && bytes.allSatisfy(ipv6Bytes.contains) { return .ipAddress }
        if bytes.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "@") }) {
            return .notJustHostName
        }
        return nil
    }

    /// The host name, e.g. `pbx.example.com`.
    public var description: String { name }

    /// Alphabetical order of the names.
    public static func < (lhs: SIPDomain, rhs: SIPDomain) -> Bool {
        lhs.name < rhs.name
    }
}

/// Why text typed into the SIP domain field is not a host name handsets can register to.
public enum SIPDomainError: FieldError, HostNameRefusal, Hashable {
    /// The field was empty or held only whitespace.
    case empty
    /// A character outside ASCII: an internationalized name not in punycode, a fullwidth dot, etc.
    case nonASCII
    /// A URL, port or user part around the name: `sip:pbx.example.com`, `pbx.example.com:5060`.
    case notJustHostName
    /// An IPv4 or IPv6 address instead of a name (the last label is all digits, or an IPv6 literal).
    case ipAddress
    /// Longer than 253 characters; carries the length.
    case tooLong(Int)
    /// A character other than a letter, digit, hyphen or dot; carries it.
    case invalidCharacter(Unicode.Scalar)
    /// Two dots in a row, or a dot at the start (or two at the end).
    case emptyLabel
    /// A part between dots longer than 63 characters; carries its length.
    case labelTooLong(Int)
    /// A part between dots that starts or ends with a hyphen.
    case hyphenAtLabelEdge
    /// No dot: `localhost`, `pbx`.
    case singleLabel

    /// A name whose last label is all digits is an IPv4 address.
    static var numericTopLevel: SIPDomainError { .ipAddress }

    /// The sentence shown next to the SIP domain field.
    public var message: String {
        switch self {
        case .empty:
            return "Enter the host name of the SIP server, such as pbx.example.com."
        case .nonASCII:
            return "Use only the letters a–z, digits, hyphens and dots; "
                + "enter an international domain name in its punycode form (xn--…)."
        case .notJustHostName:
            return "Enter just the host name, such as pbx.example.com, without sip:, a port or a path."
        case .ipAddress:
            return "Enter the server's host name, such as pbx.example.com, not its IP address."
        case .tooLong(let length):
            return "A host name has at most 253 characters (this one has \(length)); check what you entered."
        case .invalidCharacter(let scalar):
            return "Remove \(HostName.describe(scalar)); a host name has only letters a–z, digits, hyphens and dots."
        case .emptyLabel:
            return "Remove the extra dot; a host name has no dot at the start and never two in a row."
        case .labelTooLong(let length):
            return "Each part between dots has at most 63 characters (one has \(length)); check the host name."
        case .hyphenAtLabelEdge:
            return "Move or remove the hyphen; no part between dots may start or end with one."
        case .singleLabel:
            return "Use a full host name such as pbx.example.com, with at least one dot."
        }
    }
}

/// The rules of a DNS host name that `SIPDomain` and the domain of an `EmailAddress` share: ASCII only,
/// at most 253 characters, at least two labels of 1–63 characters `a-z`, `0-9` and inner `-`, and a
/// last label that is not all digits (no top-level domain is, so such text is an IP address).
///
/// Text that passes, lowercased, matches the database's `installs_sip_domain_hostname` check:
/// `octet_length BETWEEN 1 AND 253` and `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`.
/// Each caller's error type names the refusals (`HostNameRefusal`), with its own sentences.
enum HostName {
    /// The longest host name, in characters (all ASCII, so also bytes).
    static let maximumLength = 253
    /// The longest label between dots.
    static let maximumLabelLength = 63

    /// Why text is not a host name, in the order the checks run.
    enum Problem: Error, Hashable {
        /// A character outside ASCII (an internationalized name not in punycode, a fullwidth dot…).
        case nonASCII
        /// Longer than 253 characters; carries the length.
        case tooLong(Int)
        /// A character other than a letter, digit, hyphen or dot; carries it.
        case invalidCharacter(Unicode.Scalar)
        /// Two dots in a row, or a dot at the start or end.
        case emptyLabel
        /// A label longer than 63 characters; carries its length.
        case labelTooLong(Int)
        /// A label that starts or ends with `-`.
        case hyphenAtLabelEdge
        /// Only one label: no dot at all.
        case singleLabel
        /// The last label is all digits, as in `203.0.113.7`.
        case numericTopLevel
    }

    /// The lowercased host name, or `Refusal`'s case for the first problem found. `text` must already be trimmed.
    static func parse<Refusal: HostNameRefusal>(_ text: Substring, refusing _: Refusal.Type) throws(Refusal) -> String {
        do {
            return try parse(text)
        } catch {
            switch error {
            case .nonASCII: throw .nonASCII
            case .tooLong(let length): throw .tooLong(length)
            case .invalidCharacter(let scalar): throw .invalidCharacter(scalar)
            case .emptyLabel: throw .emptyLabel
            case .labelTooLong(let length): throw .labelTooLong(length)
            case .hyphenAtLabelEdge: throw .hyphenAtLabelEdge
            case .singleLabel: throw .singleLabel
            case .numericTopLevel: throw .numericTopLevel
            }
        }
    }

    /// The lowercased host name, or the first problem found. `text` must already be trimmed.
    static func parse(_ text: Substring) throws(Problem) -> String {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { throw .nonASCII }
        let bytes = text.utf8.map(ASCIIText.lowercased)
        guard bytes.count <= maximumLength else { throw .tooLong(bytes.count) }
        if let invalid = bytes.first(where: { !isLabelByte($0) && $0 != UInt8(ascii: ".") }) {
            throw .invalidCharacter(Unicode.Scalar(invalid))
        }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { throw .emptyLabel }
            guard label.count <= maximumLabelLength else { throw .labelTooLong(label.count) }
            guard label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
                throw .hyphenAtLabelEdge
            }
        }
        guard labels.count >= 2 else { throw .singleLabel }
        guard let last = labels.last, !last.allSatisfy(ASCIIText.isDigit) else { throw .numericTopLevel }
        return ASCIIText.string(bytes)
    }

    /// `a`–`z`, `0`–`9` and `-` (after lowercasing).
    private static func isLabelByte(_ byte: UInt8) -> Bool {
        ASCIIText.isLowercaseLetter(byte) || ASCIIText.isDigit(byte) || byte == UInt8(ascii: "-")
    }

    /// How a message names a refused character: "the space", "“_”" or "a control character".
    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x20: return "the space"
        case 0x21...0x7E: return "“\(Character(scalar))”"
        default: return "the control character"
        }
    }
}

/// A field error that refuses text that is not a host name with the cases of `HostName.Problem` (enum cases of
/// these names satisfy it), so that one switch maps them for every such field.
protocol HostNameRefusal: Error {
    /// A character outside ASCII.
    static var nonASCII: Self { get }
    /// Longer than 253 characters.
    static func tooLong(_ length: Int) -> Self
    /// A character other than a letter, digit, hyphen or dot.
    static func invalidCharacter(_ scalar: Unicode.Scalar) -> Self
    /// Two dots in a row, or a dot at the start or end.
    static var emptyLabel: Self { get }
    /// A label longer than 63 characters.
    static func labelTooLong(_ length: Int) -> Self
    /// A label that starts or ends with `-`.
    static var hyphenAtLabelEdge: Self { get }
    /// No dot at all.
    static var singleLabel: Self { get }
    /// The last label is all digits.
    static var numericTopLevel: Self { get }
}

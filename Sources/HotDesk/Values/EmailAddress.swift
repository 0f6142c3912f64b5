/// The email address that identifies a portal account and signs it in.
///
/// It exists so that accounts are created and looked up by one pragmatic rule rather than a full
/// RFC 5322 parser: trimmed, at most 254 octets, exactly one `@`, a local part of 1–64 octets without
/// white space, control, text-direction or zero-width characters, and a domain that is a host name
/// (ASCII letters, digits and hyphens in at least two labels).
///
/// Case: the domain is lowercased, because DNS ignores case; the local part is kept as typed, because
/// mail servers may in principle distinguish it and the owner typed it that way. Accounts are looked up
/// case-insensitively, through `normalized`, which lowercases everything.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The longest address in octets (RFC 5321's path limit minus the angle brackets).
    public static let maximumLength = 254
    /// The longest local part in octets (RFC 5321).
    public static let maximumLocalPartLength = 64

    /// The part before the `@`, as typed.
    public let localPart: String
    /// The part after the `@`, lowercased.
    public let domain: String

    /// Parses an address typed into a form. See `EmailAddressError` for every refusal.
    public init(_ text: String) throws(EmailAddressError) {
        let trimmed = ASCIIText.trimmingWhitespace(text)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.utf8.count <= Self.maximumLength else { throw .tooLong }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw parts.count < 2 ? .missingAt : .multipleAt }
        let local = parts[0]
        guard !local.isEmpty else { throw .emptyLocalPart }
        guard local.utf8.count <= Self.maximumLocalPartLength else { throw .localPartTooLong }
        guard HiddenScalar.first(in: local) == nil, !local.unicodeScalars.contains(where: \.properties.isWhitespace)
        else { throw .localPartInvalidCharacter }
        do {
            domain = try HostName.parse(parts[1])
        } catch {
            switch error {
            case .nonASCII: throw .domainNotASCII
            case .singleLabel: throw .incompleteDomain
            case .emptyLabel where parts[1].isEmpty: throw .incompleteDomain
            default: throw .invalidDomain
            }
        }
        localPart = String(local)
    }

    /// The canonical address: the local part as typed, `@`, the lowercased domain.
    public var description: String { "\(localPart)@\(domain)" }

    /// The whole address lowercased, for looking accounts up case-insensitively and for keeping two
    /// accounts from differing only in case.
    public var normalized: String { description.lowercased() }
}

/// Why text typed into an email field is not an email address the portal accepts.
public enum EmailAddressError: FieldError, Hashable {
    /// The field was empty or held only whitespace.
    case empty
    /// More than 254 octets.
    case tooLong
    /// No `@`.
    case missingAt
    /// More than one `@`.
    case multipleAt
    /// Nothing before the `@`.
    case emptyLocalPart
    /// More than 64 octets before the `@`.
    case localPartTooLong
    /// White space, a control, text-direction or zero-width character before the `@`.
    case localPartInvalidCharacter
    /// Nothing after the `@`, or a domain without a dot.
    case incompleteDomain
    /// A character outside ASCII in the domain (an internationalized domain not in punycode).
    case domainNotASCII
    /// Any other problem with the domain: characters other than letters, digits, hyphens and dots,
    /// empty parts, hyphens at the edge of a part, a part over 63 characters, an all-numeric last part.
    case invalidDomain

    /// The sentence shown next to the email field.
    public var message: String {
        switch self {
        case .empty:
            return "Enter an email address, such as name@example.com."
        case .tooLong:
            return "An email address has at most 254 characters; check what you entered."
        case .missingAt:
            return "Add the @ between the name and the domain, as in name@example.com."
        case .multipleAt:
            return "Enter one email address with a single @, as in name@example.com."
        case .emptyLocalPart:
            return "Add the name before the @, as in name@example.com."
        case .localPartTooLong:
            return "The part before the @ has at most 64 characters; check what you entered."
        case .localPartInvalidCharacter:
            return "Remove the spaces and hidden characters from the part before the @."
        case .incompleteDomain:
            return "Add the full domain after the @, such as example.com."
        case .domainNotASCII:
            return "Enter the domain after the @ in its ASCII (punycode, xn--…) form."
        case .invalidDomain:
            return "After the @ enter a domain such as example.com: letters, digits and hyphens between dots."
        }
    }
}

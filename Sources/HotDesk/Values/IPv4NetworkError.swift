/// Why text typed into the IP range field is not a range the install can trust.
///
/// Each case has its own message that says what to type instead; the two that know a better answer
/// carry it as a ready-made `IPv4Network`, so the form can offer it.
public enum IPv4NetworkError: FieldError, Hashable {
    /// The field was empty or held only whitespace.
    case empty
    /// More than 18 characters (Unicode scalars) remained after trimming; `255.255.255.255/32` is the
    /// longest range. Only IPv6 text (up to 64 characters) is recognised first, so that it gets its own
    /// message; nothing else is read.
    case tooLong
    /// IPv6 in any form (`2001:db8::/32`, `::1`, `::ffff:10.0.0.0/104`): hex digits, dots, slashes and
    /// at least one `:`, not starting with an IPv4 address (`1.2.3.4:5060` is a malformed IPv4 text).
    case ipv6
    /// Digits from another script or a fullwidth keyboard, such as `١٩٢.١٦٨.١.٠/٢٤` or `１０.０.０.０/８`.
    case nonASCIIDigits
    /// A valid address without `/n`, such as `203.0.113.7`; carries the single-address range `/32`.
    case missingPrefixLength(suggestion: IPv4Network)
    /// The address has bits set beyond the prefix, such as `192.168.1.10/24`; carries the address typed
    /// and the range it lies in (`192.168.1.0/24`).
    case hostBitsSet(address: IPv4Address, suggestion: IPv4Network)
    /// Not `a.b.c.d/n` in strict decimal: leading zeros (`010.0.0.0/8`, `10.0.0.0/08`), octets over 255,
    /// missing or empty octets (`10/8`, `10.1/16`, `10..1.0/24`), hex or integer forms, non-ASCII digits,
    /// inner whitespace, a prefix that is empty, signed or over 32, a port, or anything trailing.
    case notCIDR
    /// The range lies inside 224.0.0.0/3: multicast (224.0.0.0/4) or reserved space (240.0.0.0/4).
    case multicastOrReserved

    /// The sentence shown next to the IP range field.
    public var message: String {
        switch self {
        case .empty:
            return "Enter an IPv4 range such as 192.168.1.0/24."
        case .tooLong:
            return "This is too long to be an IPv4 range; use the form a.b.c.d/n, e.g. 192.168.1.0/24."
        case .ipv6:
            return "IPv6 is not yet supported; enter an IPv4 range such as 203.0.113.0/24."
        case .nonASCIIDigits:
            return "Use the digits 0–9 on a standard keyboard; the range contains digits from another script."
        case .missingPrefixLength(let suggestion):
            let address = IPv4Address(suggestion.address)
            return "\(address) is a single address; enter \(suggestion) to trust just that address, "
                + "or add the range's prefix length after a slash."
        case .hostBitsSet(let address, let suggestion):
            return "\(address)/\(suggestion.prefixLength) is not the start of a range; enter \(suggestion) "
                + "for the whole range, or \(address)/32 for just that address."
        case .notCIDR:
            return "This is not an IPv4 CIDR range; use the form a.b.c.d/n, e.g. 192.168.1.0/24."
        case .multicastOrReserved:
            return "Multicast and reserved addresses (224.0.0.0 and above) cannot be trusted; "
                + "enter the range your phones connect from."
        }
    }
}

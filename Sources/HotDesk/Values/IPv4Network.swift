/// An IPv4 range in CIDR notation, such as `192.168.1.0/24`, that an install trusts for hot desking.
///
/// It exists because a trusted range decides which networks may register handsets, and the usual
/// parsers are too forgiving for that: PostgreSQL's `cidr` reads `10/8` and `10.1/16` as abbreviations,
/// `inet_aton` reads hex, octal and single integers. This type parses the ASCII text itself and can only
/// hold a range that starts on its boundary (no host bits), lies outside multicast and reserved space
/// (224.0.0.0/3), and is written one way: `description` is the canonical text the store saves.
///
/// Ranges shorter than /8 (down to `0.0.0.0/0`, the whole internet) are valid but `requiresConfirmation`:
/// the form must ask, showing `formattedAddressCount`.
public struct IPv4Network: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first address of the range as a 32-bit number; its host bits are always zero.
    public let address: UInt32
    /// The number of leading bits that every address in the range shares, 0...32.
    public let prefixLength: Int

    /// Ranges with a prefix shorter than this need an explicit confirmation.
    public static let confirmationPrefixLength = 8

    /// The longest text that can be a range: `255.255.255.255/32`.
    static let maximumTextLength = 18

    /// 224.0.0.0/3: multicast (224.0.0.0/4) and reserved space (240.0.0.0/4, which holds 255.255.255.255).
    static let multicastAndReserved = IPv4Network(checkedAddress: 0xE000_0000, prefixLength: 3)

    init(checkedAddress: UInt32, prefixLength: Int) {
        self.address = checkedAddress
        self.prefixLength = prefixLength
    }

    /// Parses `a.b.c.d/n` after trimming surrounding ASCII whitespace. See `IPv4NetworkError` for every
    /// way the text is refused. The checks run in this order: empty; too long (only text that looks like
    /// IPv6, up to 64 characters, is recognised first, so that it gets the IPv6 message); IPv6; the
    /// address's strict syntax; then a bare address (multicast, or the /32 suggestion); the prefix's
    /// syntax; multicast and reserved space; host bits.
    public init(text: String) throws(IPv4NetworkError) {
        let bytes: [UInt8]
        switch IPv4Text(text, maximumLength: Self.maximumTextLength) {
        case .empty: throw .empty
        case .tooLong: throw .tooLong
        case .ipv6: throw .ipv6
        case .ascii(let ascii): bytes = ascii
        }
        guard !ASCIIText.containsNonASCIIDigit(text) else { throw .nonASCIIDigits }
        let parts = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard let value = IPv4Text.dottedQuad(parts[0]) else { throw .notCIDR }
        guard parts.count == 2 else {
            guard parts.count == 1 else { throw .notCIDR }
            let single = IPv4Network(checkedAddress: value, prefixLength: 32)
            if Self.multicastAndReserved.contains(single) { throw .multicastOrReserved }
            throw .missingPrefixLength(suggestion: single)
        }
        guard let prefix = IPv4Text.decimal(parts[1], maximum: 32), parts[1].count <= 2 else { throw .notCIDR }
        let prefixLength = Int(prefix)
        let network = IPv4Network(checkedAddress: value & Self.mask(prefixLength), prefixLength: prefixLength)
        if Self.multicastAndReserved.contains(network) { throw .multicastOrReserved }
        guard network.address == value else {
            throw .hostBitsSet(address: IPv4Address(value), suggestion: network)
        }
        self = network
    }

    /// The mask with `prefixLength` leading one bits (`/24` → 255.255.255.0).
    static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength)
    }

    /// The canonical text, e.g. `192.168.1.0/24`.
    public var description: String { "\(IPv4Address(address))/\(prefixLength)" }

    /// The netmask of the range (`/24` → 255.255.255.0).
    public var netmask: IPv4Address { IPv4Address(Self.mask(prefixLength)) }

    /// True when `other` lies wholly inside this range (a range contains itself).
    public func contains(_ other: IPv4Network) -> Bool {
        other.prefixLength >= prefixLength && other.address & Self.mask(prefixLength) == address
    }

    /// True when `address` is one of this range's addresses.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(prefixLength) == self.address
    }

    /// How many addresses the range admits: 2^(32 − prefixLength), from 1 (/32) to 4,294,967,296 (/0).
    public var addressCount: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }

    /// `addressCount` with commas between groups of three digits whatever the locale, e.g.
    /// `16,777,216`, for "this admits 16,777,216 addresses".
    public var formattedAddressCount: String { ASCIIText.groupingThousands(addressCount) }

    /// True for ranges shorter than /8 (more than 16,777,216 addresses, `0.0.0.0/0` above all): the form
    /// adds them only with an explicit confirmation that says how many addresses they admit.
    public var requiresConfirmation: Bool { prefixLength < Self.confirmationPrefixLength }

    /// Orders by first address, then wider ranges before the narrower ones they contain.
    public static func < (lhs: IPv4Network, rhs: IPv4Network) -> Bool {
        (lhs.address, lhs.prefixLength) < (rhs.address, rhs.prefixLength)
    }
}

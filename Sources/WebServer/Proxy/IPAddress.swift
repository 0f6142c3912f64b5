#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as its network-order bytes, parsed strictly from its text form.
///
/// It exists so the trusted-proxy rule compares addresses, not strings: "::ffff:127.0.0.1" (an IPv4 peer on a
/// dual-stack socket) is the IPv4 address 127.0.0.1, and "::1" and "0:0:0:0:0:0:0:1" are one address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Four bytes for IPv4, sixteen for IPv6; an IPv4-mapped IPv6 address is kept as its four IPv4 bytes.
    public let bytes: [UInt8]

    /// Parses an IPv4 dotted quad (no leading zeros) or an IPv6 literal without brackets, zone or port; nil
    /// for anything else. The corresponding C function is `inet_pton`.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard !text.isEmpty, text.utf8.count <= 45, !text.utf8.contains(0) else { return nil }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 {
            bytes = withUnsafeBytes(of: &ipv4) { Array($0) }
            return
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, text, &ipv6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &ipv6) { Array($0) }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        bytes = all.starts(with: mappedPrefix) ? Array(all[12...]) : all
    }

    /// True for an IPv4 address (including one that arrived IPv4-mapped).
    public var isIPv4: Bool { bytes.count == 4 }

    /// The canonical text form ("192.0.2.1", "2001:db8::1"). The corresponding C function is `inet_ntop`.
    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let converted = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count))
        }
        guard converted != nil else { return "" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An IPv4 or IPv6 CIDR range ("10.0.0.0/8", "fd00::/8"); a bare address is its own one-address range.
///
/// It exists so `--trusted-proxies` is validated once at start-up, with an error that names the bad entry.
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address, host bits zero.
    public let network: IPAddress
    /// The prefix length: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    /// Parses `ADDRESS/PREFIX` or a bare address; nil when the address is malformed, the prefix is not a
    /// decimal within range, or host bits are set (`10.0.0.1/8` is refused, to catch a typo).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                digits.count == 1 || digits.first != "0", let value = Int(digits), value <= bits
            else { return nil }
            length = value
        }
        guard Self.masked(address.bytes, to: length) == address.bytes else { return nil }
        network = address
        prefixLength = length
    }

    /// True when `address` is of the same family and inside the range.
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && Self.masked(address.bytes, to: prefixLength) == network.bytes
    }

    /// `ADDRESS/PREFIX`, with the canonical address text.
    public var description: String { "\(network)/\(prefixLength)" }

    /// `bytes` with every bit past the first `length` cleared.
    private static func masked(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(8, max(0, length - index * 8))
            return kept == 8 ? byte : byte & ~(UInt8(0xFF) >> kept)
        }
    }
}

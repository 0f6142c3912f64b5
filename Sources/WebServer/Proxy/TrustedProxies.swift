/// The reverse proxies whose forwarding headers the server believes, and the rule that reads them.
///
/// It exists because behind nginx or HAProxy every connection comes from the proxy, while sign-in throttling,
/// the provisioning source check, the audit log and the access log all need the client. Only when the TCP
/// peer is inside one of the ranges are `Forwarded` (RFC 7239) or, without it, `X-Forwarded-For` read: the
/// client is the right-most address that is not itself a trusted proxy, since each proxy appends the address
/// it saw and only the entries our own proxies wrote can be believed. The scheme comes from that hop's
/// `proto=` or from `X-Forwarded-Proto`. A malformed value is never trusted: the header is then ignored.
public struct TrustedProxies: Sendable, Equatable {
    /// The ranges; empty (the default) trusts no peer, and the forwarding headers are always ignored.
    public let ranges: [IPAddressRange]

    /// No trusted proxy.
    public init() {
        ranges = []
    }

    /// Parses a comma- or space-separated list of IPv4/IPv6 CIDR ranges or addresses; nil when any entry is
    /// malformed.
    public init?(parsing list: String) {
        var ranges: [IPAddressRange] = []
        for entry in list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            guard let range = IPAddressRange(entry) else { return nil }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    /// True when `address` is one of the trusted proxies.
    public func trusts(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// Who the request is from: the peer itself, or, when the peer is a trusted proxy and its forwarding
    /// headers are well formed, the client they name.
    public func origin(peer: String, headers: HTTPHeaders, peerScheme: URLScheme) -> RequestOrigin {
        let direct = RequestOrigin(clientAddress: peer, scheme: peerScheme, forwarding: .direct)
        let hasForwarded = headers.contains("Forwarded")
        let hasForwardedFor = headers.contains("X-Forwarded-For")
        guard hasForwarded || hasForwardedFor || headers.contains("X-Forwarded-Proto") else { return direct }
        guard let peerAddress = IPAddress(peer), trusts(peerAddress) else {
            return RequestOrigin(clientAddress: peer, scheme: peerScheme, forwarding: .ignoredUntrustedPeer)
        }
        let hops: [ForwardedHop]?
        if hasForwarded {
            hops = ForwardedHop.parseForwarded(headers.values(for: "Forwarded"))
        } else {
            hops = ForwardedHop.parseForwardedFor(
                headers.values(for: "X-Forwarded-For"), proto: headers.values(for: "X-Forwarded-Proto"))
        }
        guard let hops else {
            return RequestOrigin(clientAddress: peer, scheme: peerScheme, forwarding: .ignoredMalformed)
        }
        // Walk from the proxy nearest to us outwards; the first hop we do not trust is the client.
        var chosen: ForwardedHop?
        for hop in hops.reversed() {
            guard let address = hop.address else {
                // "unknown", an obfuscated name or no for= at all: nothing further out can be believed.
                chosen = hop
                break
            }
            chosen = hop
            if !trusts(address) { break }
        }
        guard let chosen else { return direct }
        // A hop without an address (`unknown`, or X-Forwarded-Proto alone) leaves the peer as the client.
        return RequestOrigin(
            clientAddress: chosen.address.map(String.init(describing:)) ?? peer,
            scheme: chosen.scheme ?? hops.last?.scheme ?? peerScheme, forwarding: .forwarded)
    }
}

/// `http` or `https`: how the client reached the portal (directly, or at the proxy in front).
public enum URLScheme: String, Sendable {
    case http
    case https
}

/// The client of one request, as the server decided it: address and scheme, and whether forwarding headers
/// were used or ignored (logged at debug level when ignored).
public struct RequestOrigin: Sendable, Equatable {
    /// How the headers were treated.
    public enum Forwarding: Sendable, Equatable {
        /// No forwarding header.
        case direct
        /// A trusted proxy's headers named the client.
        case forwarded
        /// Forwarding headers from a peer that is not a trusted proxy: ignored.
        case ignoredUntrustedPeer
        /// A trusted proxy sent a malformed forwarding header: ignored.
        case ignoredMalformed
    }

    /// The client's IP address as text ("192.0.2.7", "2001:db8::1").
    public let clientAddress: String
    /// The scheme the client used.
    public let scheme: URLScheme
    /// How the forwarding headers were treated.
    public let forwarding: Forwarding
}

/// One hop of a forwarding chain: the address a proxy saw (nil for `unknown` or an obfuscated name) and the
/// scheme it was reached with, if it said.
struct ForwardedHop: Equatable {
    let address: IPAddress?
    let scheme: URLScheme?

    /// The hops of one or more `Forwarded` field values (RFC 7239 §4), in order; nil when any element is
    /// malformed (bad syntax, a repeated parameter, a `for=` that is no address, `unknown` or `_name`).
    static func parseForwarded(_ values: [String]) -> [ForwardedHop]? {
        var hops: [ForwardedHop] = []
        for value in values {
            for element in splitOutsideQuotes(value, on: ",") {
                guard let hop = parseElement(element) else { return nil }
                hops.append(hop)
            }
        }
        return hops
    }

    /// The hops of `X-Forwarded-For` (bare addresses, comma separated, in order) with the scheme of a single
    /// `X-Forwarded-Proto` value on the last hop; nil when any entry or the scheme is malformed.
    static func parseForwardedFor(_ values: [String], proto: [String]) -> [ForwardedHop]? {
        var scheme: URLScheme?
        if !proto.isEmpty {
            guard proto.count == 1, let parsed = URLScheme(rawValue: Substring(proto[0]).trimmingSpaces.lowercased())
            else { return nil }
            scheme = parsed
        }
        var addresses: [IPAddress] = []
        for value in values {
            for entry in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let address = IPAddress(entry.trimmingSpaces) else { return nil }
                addresses.append(address)
            }
        }
        guard !addresses.isEmpty else { return scheme.map { [ForwardedHop(address: nil, scheme: $0)] } ?? [] }
        return addresses.enumerated().map { index, address in
            ForwardedHop(address: address, scheme: index == addresses.count - 1 ? scheme : nil)
        }
    }

    /// One `forwarded-element`: `pair *( ";" pair )`, pairs `token=value` with a token or quoted-string value.
    private static func parseElement(_ element: Substring) -> ForwardedHop? {
        var seen: Set<String> = []
        var address: IPAddress?
        var hasFor = false
        var scheme: URLScheme?
        for pair in splitOutsideQuotes(element, on: ";") {
            let trimmedPair = pair.trimmingSpaces
            guard let equals = trimmedPair.firstIndex(of: "=") else { return nil }
            let name = trimmedPair[..<equals].lowercased()
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte), seen.insert(name).inserted,
                let value = unquoted(trimmedPair[trimmedPair.index(after: equals)...])
            else { return nil }
            switch name {
            case "for":
                hasFor = true
                guard let node = node(value) else { return nil }
                address = node
            case "proto":
                guard let parsed = URLScheme(rawValue: value.lowercased()) else { return nil }
                scheme = parsed
            default:
                break  // by=, host= and extensions do not matter here
            }
        }
        guard hasFor || scheme != nil else { return nil }
        return ForwardedHop(address: address, scheme: scheme)
    }

    /// A `node` (RFC 7239 §6): an IPv4 address, a bracketed IPv6 address, `unknown` or `_obfuscated`, each
    /// with an optional port. Returns .some(nil) for the unknown and obfuscated forms, nil when malformed.
    private static func node(_ value: String) -> IPAddress?? {
        var host = Substring(value)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || isPort(rest) else { return nil }
            host = host[host.index(after: host.startIndex)..<close]
            guard host.contains(":"), let address = IPAddress(host) else { return nil }
            return .some(address)
        }
        if let colon = host.firstIndex(of: ":") {
            guard isPort(host[colon...]) else { return nil }
            host = host[..<colon]
        }
        if host.lowercased() == "unknown" { return .some(nil) }
        if host.hasPrefix("_") {
            let name = host.dropFirst()
            return !name.isEmpty && name.utf8.allSatisfy(isObfuscatedByte) ? .some(nil) : nil
        }
        guard !host.contains(":"), let address = IPAddress(host) else { return nil }
        return .some(address)
    }

    /// `:` then a decimal port or an obfuscated port (`_` and letters, digits, `.`, `_`, `-`).
    private static func isPort(_ text: Substring) -> Bool {
        let port = text.dropFirst()
        guard text.first == ":", !port.isEmpty, port.count <= 32 else { return false }
        if port.first == "_" {
            return port.dropFirst().utf8.allSatisfy(isObfuscatedByte)
        }
        return port.count <= 5 && port.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && (Int(port) ?? 70_000) <= 65_535
    }

    /// A token or a quoted-string (with backslash escapes) as its plain value; nil when malformed.
    private static func unquoted(_ raw: Substring) -> String? {
        guard raw.first == "\"" else {
            return !raw.isEmpty && raw.utf8.allSatisfy(isTokenByte) ? String(raw) : nil
        }
        var value = ""
        var escaped = false
        var closed = false
        for character in raw.dropFirst() {
            if closed { return nil }
            if escaped {
                value.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                closed = true
            } else {
                value.append(character)
            }
        }
        guard closed, value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return value
    }

    /// Splits on `separator` outside quoted strings.
    private static func splitOutsideQuotes(_ text: some StringProtocol, on separator: Character) -> [Substring] {
        let text = Substring(text)
        var parts: [Substring] = []
        var start = text.startIndex
        var inQuotes = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if !inQuotes && character == separator {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }

    /// A byte of an obfuscated identifier (RFC 7239 §6.3): letters, digits, `.`, `_` and `-`.
    private static func isObfuscatedByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}

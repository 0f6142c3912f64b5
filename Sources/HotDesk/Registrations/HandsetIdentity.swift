/// An IP address and UDP port, as the registrar saw them.
public struct SourceEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The address, as PostgreSQL prints an `inet`.
    public let address: String
    /// The port.
    public let port: Int

    /// "192.0.2.10:5060", or "[2001:db8::1]:5060".
    public var description: String { address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)" }

    /// The address and port.
    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    /// Reads usrloc's `received` value as the registrar writes it, `sip:ADDRESS:PORT` (`sips:` too; IPv6 with or
    /// without brackets); nil for anything else.
    public init?(received: String) {
        guard let colon = received.firstIndex(of: ":"), ["sip", "sips"].contains(received[..<colon]) else {
            return nil
        }
        let rest = received[received.index(after: colon)...]
        guard let portColon = rest.lastIndex(of: ":") else { return nil }
        let digits = rest[rest.index(after: portColon)...]
        guard (1...5).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let port = Int(digits),
            (1...65535).contains(port)
        else { return nil }
        var host = rest[..<portColon]
        if host.first == "[" && host.last == "]" { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCIIHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        self.init(address: String(host), port: port)
    }

    /// The most specific of `ranges` that contains the address (an IPv4 one: trusted ranges are IPv4).
    public func admittingRange(among ranges: [IPv4Network]) -> IPv4Network? {
        guard let address = try? IPv4Address(text: address) else { return nil }
        return ranges.filter { $0.contains(address) }.max { $0.prefixLength < $1.prefixLength }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIIHexDigit: Bool { isASCII && isHexDigit }
}

/// What a handset says it is, read from its User-Agent: Yealink's carries the model, the firmware and often the
/// MAC address ("Yealink SIP-T46U 108.86.0.20 80:5e:c0:11:22:33"); any other is shown as sent.
public struct HandsetIdentity: Sendable, Equatable {
    /// The User-Agent as sent (up to 255 characters, as usrloc keeps it).
    public let userAgent: String
    /// "Yealink T46U", when the User-Agent has that shape.
    public let model: String?
    /// "108.86.0.20".
    public let firmware: String?
    /// "80:5e:c0:11:22:33", lowercase.
    public let macAddress: String?

    /// Reads `userAgent`.
    public init(userAgent: String) {
        self.userAgent = userAgent
        let words = userAgent.split(separator: " ")
        if words.count >= 2, words[0].lowercased() == "yealink" {
            let model = words[1].hasPrefix("SIP-") ? words[1].dropFirst(4) : words[1]
            self.model = "Yealink " + model
            firmware = words.dropFirst(2).first { word in
                word.contains(".") && word.utf8.allSatisfy { ASCIIText.isDigit($0) || $0 == UInt8(ascii: ".") }
            }.map(String.init)
        } else {
            model = nil
            firmware = nil
        }
        macAddress = words.lazy.compactMap { MACAddress(separated: $0) }.first.map(\.colonSeparated)
    }

    /// What a table cell shows: the model and firmware when known, else the User-Agent; "Unknown" when empty.
    public var summary: String {
        if let model { return [model, firmware].compactMap { $0 }.joined(separator: " · ") }
        return userAgent.isEmpty ? "Unknown" : userAgent
    }
}

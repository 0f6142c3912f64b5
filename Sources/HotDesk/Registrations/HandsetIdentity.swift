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
        // Bytes, not Characters: a page reads one per row.
        let bytes = received.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            bytes[..<colon].elementsEqual("sip".utf8) || bytes[..<colon].elementsEqual("sips".utf8),
            let portColon = bytes.lastIndex(of: UInt8(ascii: ":")), portColon > colon
        else { return nil }
        let digits = bytes[bytes.index(after: portColon)...]
        guard (1...5).contains(digits.count), digits.allSatisfy(ASCIIText.isDigit) else { return nil }
        let port = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        var host = bytes[bytes.index(after: colon)..<portColon]
        if host.first == UInt8(ascii: "[") && host.last == UInt8(ascii: "]") { host = host.dropFirst().dropLast() }
        guard (1...65535).contains(port), !host.isEmpty, host.allSatisfy(Self.isAddressByte) else { return nil }
        self.init(address: String(decoding: host, as: UTF8.self), port: port)
    }

    /// A hex digit, a dot or a colon: what an IPv4 or IPv6 address is written with.
    private static func isAddressByte(_ byte: UInt8) -> Bool {
        ASCIIText.isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(ASCIIText.lowercased(byte))
    }

    /// The most specific of `ranges` that contains the address (an IPv4 one: trusted ranges are IPv4).
    public func admittingRange(among ranges: [IPv4Network]) -> IPv4Network? {
        guard let address = try? IPv4Address(text: address) else { return nil }
        return ranges.filter { $0.contains(address) }.max { $0.prefixLength < $1.prefixLength }
    }
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
        // Words of bytes, not of Characters: a page reads one per row.
        let words = userAgent.utf8.split(separator: UInt8(ascii: " "))
        if words.count >= 2, words[0].lazy.map(ASCIIText.lowercased).elementsEqual("yealink".utf8) {
            let model = words[1].starts(with: "SIP-".utf8) ? words[1].dropFirst(4) : words[1]
            self.model = "Yealink " + String(decoding: model, as: UTF8.self)
            firmware = words.dropFirst(2).first { word in
                word.contains(UInt8(ascii: "."))
                    && word.allSatisfy { ASCIIText.isDigit($0) || $0 == UInt8(ascii: ".") }
            }.map { String(decoding: $0, as: UTF8.self) }
        } else {
            model = nil
            firmware = nil
        }
        // A MAC is 12 digits, or 17 characters with separators.
        macAddress = words.lazy.filter { $0.count == 12 || $0.count == 17 }
            .compactMap { MACAddress(separated: String(decoding: $0, as: UTF8.self)) }.first.map(\.colonSeparated)
    }

    /// What a table cell shows: the model and firmware when known, else the User-Agent; "Unknown" when empty.
    public var summary: String {
        if let model { return [model, firmware].compactMap { $0 }.joined(separator: " · ") }
        return userAgent.isEmpty ? "Unknown" : userAgent
    }
}

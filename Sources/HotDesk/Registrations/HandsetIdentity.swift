/// An IP address and UDP port, as the registrar saw them.
public struct SourceEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The address, as PostgreSQL prints an `inet`.
    public let address: String
    /// The port.
    public let port: Int

    /// "192.0.2.10:5060", or "[2001:db8::1]:5060".
    public var description: String { address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)" }
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

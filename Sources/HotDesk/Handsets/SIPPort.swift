/// The UDP/TCP port of the SIP server handsets register to, when it is not the transport's default.
///
/// It exists so that only 1–65535, typed in ASCII digits, reaches `account.1.sip_server.1.port`.
public struct SIPPort: Sendable, Hashable, CustomStringConvertible {
    /// The port number.
    public let number: Int

    init(checked number: Int) {
        self.number = number
    }

    /// Parses a typed port (the caller treats an empty field as "no port").
    public init(_ text: String) throws(SIPPortError) {
        let trimmed = ASCIIText.trimmingWhitespace(text)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy(ASCIIText.isDigit), trimmed.utf8.count <= 5,
            let number = Int(trimmed), (1...65535).contains(number)
        else { throw .invalid }
        self.number = number
    }

    /// The number, e.g. `5060`.
    public var description: String { String(number) }
}

/// Why the typed port cannot be used.
public enum SIPPortError: FieldError, Hashable {
    /// Not a whole number from 1 to 65535.
    case invalid

    /// The sentence shown next to the port field.
    public var message: String {
        "Enter a port from 1 to 65535, such as 5060, or leave the field empty for the transport's default."
    }
}

/// The transport handsets use to reach the SIP server.
///
/// It exists to map the form's choice to Yealink's codes for `account.1.sip_server.1.transport` (T4x) and
/// `account.1.transport` (T38G): 0 UDP, 1 TCP, 2 TLS (Yealink administrator's guides; 3 is DNS-NAPTR on
/// the T4x and DNS SRV on firmware 70, which this portal does not offer).
public enum SIPTransport: String, Sendable, CaseIterable {
    case udp, tcp, tls

    /// The name shown in the form.
    public var title: String { rawValue.uppercased() }

    /// Yealink's code for the transport.
    public var yealinkCode: Int {
        switch self {
        case .udp: return 0
        case .tcp: return 1
        case .tls: return 2
        }
    }
}

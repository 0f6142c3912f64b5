import Foundation

/// One operator logged in on a handset, as the registrar keeps it (`registrar_state.location`): what the Hot Desk
/// Status page and User Settings show, and what a forced logout ends.
public struct Registration: Sendable, Equatable {
    /// The registrar's row id, which a forced logout names.
    public let id: Int
    /// The operator's extension.
    public let `extension`: Extension
    /// The portal's user with that extension, when there is one (a user deleted while logged in has none).
    public let user: RegisteredUser?
    /// When this registration began: its first REGISTER with this Call-ID.
    public let loggedInAt: Date
    /// The latest REGISTER (login or refresh).
    public let lastRefreshAt: Date
    /// When it lapses without a refresh.
    public let expiresAt: Date
    /// Where the handset's REGISTERs come from.
    public let source: SourceEndpoint?
    /// The install's trusted range that admitted the source, most specific first.
    public let trustedRange: String?
    /// The handset, from its User-Agent.
    public let handset: HandsetIdentity
}

/// The user a registration belongs to.
public struct RegisteredUser: Sendable, Equatable {
    /// The user's id.
    public let id: Int
    /// The user's name.
    public let displayName: String
}

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

/// One page of an install's Hot Desk Status, sorted by extension; the pages start at a registration (its
/// extension and id).
public typealias RegistrationPage = KeysetPage<Registration, RegistrationStart>

/// Where a page of registrations starts.
public struct RegistrationStart: Sendable, Equatable {
    /// The first registration's extension.
    public let `extension`: Extension
    /// Its id (one extension may have more than one registration for a moment).
    public let id: Int

    /// Creates a start.
    public init(extension number: Extension, id: Int) {
        self.extension = number
        self.id = id
    }
}

/// The Hot Desk Status page's figures: operators logged in, and how many of the install's users may hot desk.
public struct RegistrationCounts: Sendable, Equatable {
    /// Registrations now (kept by the registrar's triggers: no count over the table).
    public let loggedIn: Int
    /// Users with Hot Desk Access and a PIN.
    public let ableToLogIn: Int
    /// Registrations matching the search, when there is one.
    public let matching: Int?
}

/// The Users tab's mark for a logged-in user: where, and on what.
public struct LoginMark: Sendable, Equatable {
    /// Where the handset registers from.
    public let source: SourceEndpoint?
    /// The handset.
    public let handset: HandsetIdentity
}

/// What Hot Desk Status shows of an install.
public struct LiveStatus: Sendable {
    /// The install.
    public let install: Install
    /// One page of who is logged in.
    public let page: RegistrationPage
    /// The figures above it.
    public let counts: RegistrationCounts
    /// The latest refused attempts, newest first.
    public let latestRefusals: [Refusal]
}

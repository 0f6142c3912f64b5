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
    /// The most specific of the install's Trusted IPs that contains the source (none when its range was removed:
    /// the registrar refuses its next refresh).
    public let trustedRange: IPv4Network?
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

    /// Reads the Users tab query's one column, `RECEIVED USER-AGENT` (usrloc's `sip:ADDRESS:PORT`, `-` when
    /// unknown): one column rather than two keeps the page's fifty rows cheap to read.
    init?(column text: String) {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard let received = parts.first else { return nil }
        source = SourceEndpoint(received: String(received))
        handset = HandsetIdentity(userAgent: parts.count == 2 ? String(parts[1]) : "")
    }
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

/// A phone system install as its settings form edits it.
public struct Install: Sendable, Equatable {
    /// The install's id.
    public let id: Int
    /// The name shown in Telephony Settings.
    public let name: String
    /// The SIP server's host name that handsets register to.
    public let sipDomain: String
    /// Optimistic locking: the version the settings form read.
    public let version: Int
}

/// One row of Telephony Settings: an install with its counts, read by the one query for its page.
public struct InstallSummary: Sendable, Equatable {
    /// The install's id.
    public let id: Int
    /// The install's name.
    public let name: String
    /// The SIP server's host name.
    public let sipDomain: String
    /// How many users the install has.
    public let userCount: Int
    /// How many of them have Hot Desk Access.
    public let accessCount: Int
    /// How many IPv4 ranges the install trusts.
    public let rangeCount: Int
}

/// Which audit events to read: one organization's, newest first, optionally narrowed to an install, an
/// acting account and an action, one page at a time.
///
/// Pages are cut by id (keyset pagination): `before` asks for the events older than the oldest one of
/// the previous page, so a page stays correct while new events arrive and costs the same however far back.
public struct AuditQuery: Sendable, Equatable {
    /// Events on one page of the Audit screen.
    public static let pageSize = 50
    /// The longest action name a filter accepts.
    public static let maximumActionLength = 64

    /// Whose events: always the reader's own organization.
    public var organizationID: Int
    /// Only events about this install.
    public var installID: Int?
    /// Only events by this account.
    public var accountID: Int?
    /// Only events with this action (`account.created`).
    public var action: String?
    /// Only events older than this event id; nil starts at the newest.
    public var before: Int?
    /// The most events to return.
    public var limit: Int

    /// A query for the organization's newest events, unfiltered.
    public init(
        organizationID: Int, installID: Int? = nil, accountID: Int? = nil, action: String? = nil, before: Int? = nil,
        limit: Int = AuditQuery.pageSize
    ) {
        self.organizationID = organizationID
        self.installID = installID
        self.accountID = accountID
        self.action = action
        self.before = before
        self.limit = limit
    }

    /// True for text shaped like an action name (`a`–`z`, `_` and `.`, 1–64 characters), the shape the
    /// table's check constraint allows.
    public static func isActionName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maximumActionLength
            && text.utf8.allSatisfy {
                ASCIIText.isLowercaseLetter($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }
}

/// One page of audit events, newest first.
public struct AuditPage: Sendable, Equatable {
    /// The events, newest first.
    public let entries: [AuditEntry]
    /// The `before` value that reads the next older page, or nil when these are the oldest.
    public let olderBefore: Int?
}

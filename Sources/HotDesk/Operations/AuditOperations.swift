/// The audit log, for administrators: one page of the organization's events, newest first, with what its
/// filters offer.
public struct AuditOperations: Sendable {
    let database: Database
    let accounts = AccountStore()

    /// A page of events and the choices of the page's filters.
    public struct Page: Sendable {
        /// The events, newest first, and where the next older page starts.
        public let events: AuditPage
        /// The organization's installs, for the install filter.
        public let installs: [InstallOption]
        /// The organization's accounts, for the account filter.
        public let accounts: [AccountSummary]
        /// The actions the organization's log holds, for the action filter.
        public let actions: [String]
    }

    /// One page of the events of the caller's organization matching `filter`, without the filters' choices (the
    /// API's list); the organization is always the caller's.
    public func events(_ caller: Caller, filter: AuditQuery) throws -> AuditPage {
        try caller.require(.readAudit)
        var query = filter
        query.organizationID = caller.actor.organizationID
        return try database.read { try AuditLog.page(query, on: $0) }
    }

    /// One page of the events of the caller's organization matching `filter` (whose organization is always the
    /// caller's, whatever it says). Filters that match nothing give an empty page.
    public func page(_ caller: Caller, filter: AuditQuery) throws -> Page {
        try caller.require(.readAudit)
        var query = filter
        query.organizationID = caller.actor.organizationID
        return try database.read { connection in
            Page(
                events: try AuditLog.page(query, on: connection),
                installs: try accounts.installOptions(organizationID: query.organizationID, on: connection),
                accounts: try accounts.list(organizationID: query.organizationID, on: connection),
                actions: try AuditLog.actions(organizationID: query.organizationID, on: connection))
        }
    }
}

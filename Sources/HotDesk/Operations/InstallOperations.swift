/// Phone system installs: Telephony Settings' list, New install, and an install's name and SIP domain.
public struct InstallOperations: Sendable {
    /// Installs per page on Telephony Settings.
    public static let pageSize = InstallStore.pageSize

    let database: Database
    let store = InstallStore()

    /// One page of the installs the caller may see that match `search`, sorted by name, starting at the install
    /// `start` (nil: the first page), `limit` per page, with their counts. One statement, whatever the installs'
    /// sizes.
    ///
    /// - Throws: `OperationError.notFound` when `start` is not an install the caller may see.
    public func page(
        _ caller: Caller, search: InstallSearch, from start: Int?, limit: Int = pageSize
    ) throws -> InstallPage {
        try caller.require(.viewTelephony)
        return try database.read {
            try store.page(for: caller.actor, search: search, from: start, limit: limit, on: $0)
        }
    }

    /// The install `id` when the caller may see it and its role has `permission`.
    public func install(_ caller: Caller, id: Int, requiring permission: Permission) throws -> Install {
        try caller.require(permission)
        return try database.read { try store.require(id: id, for: caller.actor, on: $0) }
    }

    /// Creates an install (a name and a SIP domain no other install uses) in the caller's organization; audited
    /// as `install.created`. Returns its id.
    public func create(_ caller: Caller, name: InstallName, domain: SIPDomain) throws -> Int {
        try caller.require(.manageTelephony)
        return try database.write(changing: []) { connection in
            try store.create(name: name, domain: domain, audit: caller.audit, on: connection)
        }
    }

    /// What saving an install's settings did.
    public enum Change: Sendable, Equatable {
        /// Saved; the SIP domain stayed.
        case saved
        /// Saved with a new SIP domain: every handset must now register to it.
        case domainChanged
    }

    /// Renames the install and changes its SIP domain, if nobody saved it since `version` was read. A new domain
    /// needs `confirmsDomainChange` (every handset must be re-pointed); audited as `install.changed`.
    public func update(
        _ caller: Caller, id: Int, version: Int, name: InstallName, domain: SIPDomain, confirmsDomainChange: Bool
    ) throws -> Change {
        try caller.require(.manageTelephony)
        return try database.write(changing: [.install(id)]) { connection in
            let current = try store.lock(id: id, for: caller.actor, on: connection)
            guard current.version == version else { throw OperationError.staleVersion }
            let domainChanges = domain.name != current.sipDomain
            if domainChanges && !confirmsDomainChange { throw OperationError.unconfirmed(.domainChangeUnconfirmed) }
            try store.update(current, name: name, domain: domain, audit: caller.audit, on: connection)
            return domainChanges ? .domainChanged : .saved
        }
    }
}

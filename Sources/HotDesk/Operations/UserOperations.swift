import PostgresClient

/// The users of an install: the Users tab, Add user, User Settings, PINs, deletion and bulk Hot Desk Access.
///
/// Every change finds the install and the user in one statement inside its own transaction, scoped to the
/// caller (another organization's or another install's ids are `notFound`), locks the user, checks the version
/// the caller read (`staleVersion` when someone saved meanwhile), and writes its audit events in that
/// transaction.
public struct UserOperations: Sendable {
    /// Users per page on the Users tab.
    public static let pageSize = UserStore.pageSize

    let database: Database
    let installs = InstallStore()
    let store = UserStore()

    /// One page of `limit` of the install's users matching `search`, sorted by extension, starting at `start` (nil:
    /// the first page), with which of them are logged in on a handset and where (by user id), as `prepare` turns it into what
    /// the front end shows. The install and the page are read in one round trip; the prepared value is kept in the
    /// read cache until the install or the caller's account changes (a login or logout on the registrar is a
    /// change to its install), so `prepare` runs once per kept page.
    public func page<Prepared: Sendable>(
        _ caller: Caller, installID: Int, search: String, from start: Extension?, limit: Int = pageSize,
        prepare: (Install, UserPage, [Int: LoginMark]) throws -> Prepared
    ) throws -> Prepared {
        try caller.require(.viewTelephony)
        let key = PageRead(
            installID: installID, actor: caller.actor.principal, search: search, start: start,
            limit: limit, prepared: ObjectIdentifier(Prepared.self))
        return try database.cached(key) {
            let (install, (page, marks)) = try database.read { connection in
                try connection.run(
                    installs.find(id: installID, for: caller.actor),
                    store.page(installID: installID, search: UserSearch(search), from: start, limit: limit))
            }
            guard let install else { throw OperationError.notFound }
            return (try prepare(install, page, marks), [.install(installID)] + caller.actor.scopes, nil)
        }
    }

    /// The user `userID` of the install `installID`, with the install, when the caller may see it and its role
    /// has `permission`; one statement.
    public func user(
        _ caller: Caller, installID: Int, userID: Int, requiring permission: Permission
    ) throws
        -> (Install, HotDeskUser)
    {
        try caller.require(permission)
        let found = try database.read {
            try $0.run(store.find(userID: userID, installID: installID, for: caller.actor))
        }
        guard let found else { throw OperationError.notFound }
        return found
    }

    /// Adds a user without access or PIN; audited as `user.created`. Returns its id.
    public func create(
        _ caller: Caller, installID: Int, extension number: Extension, displayName: DisplayName
    )
        throws -> Int
    {
        try caller.require(.manageTelephony)
        return try database.write(changing: [.install(installID)]) { connection in
            _ = try installs.require(id: installID, for: caller.actor, on: connection)
            return try store.create(
                installID: installID, extension: number, displayName: displayName, audit: caller.audit,
                on: connection)
        }
    }

    /// Saves User Settings: name, Hot Desk Access and, when `pin` is given, a new PIN (refused when it is weak for
    /// the user's extension). Audited as `user.changed`, `hot_desk_access.granted`/`revoked` and `pin.set`, for
    /// what actually changed.
    public func update(
        _ caller: Caller, installID: Int, userID: Int, version: Int, displayName: DisplayName, hasAccess: Bool,
        pin: TypedPIN?
    ) throws {
        try changing(caller, installID: installID, userID: userID, version: version) { _, current, connection in
            let newPIN = try pin.map { typed throws(OperationError) in try Self.pin(typed, for: current) }
            try store.update(
                current, displayName: displayName, hasAccess: hasAccess, pin: newPIN, audit: caller.audit,
                on: connection)
        }
    }

    /// How a Reset PIN chooses the new PIN.
    public enum PINChoice: Sendable {
        /// A random PIN that is not weak for the user.
        case generate
        /// The PIN typed, if it is not weak for the user.
        case typed(TypedPIN)
    }

    /// What a PIN reset did: the install, the user as read before and as it is after, and the PIN when it was
    /// generated (to be shown once, never again).
    public struct PINReset: Sendable {
        /// The user's install.
        public let install: Install
        /// The user, as read under the lock before the reset.
        public let user: HotDeskUser
        /// The user after the reset (its new version).
        public let updated: HotDeskUser
        /// The new PIN, when it was generated.
        public let generatedPIN: HotDeskPIN?
    }

    /// Resets the user's PIN, for managers of the install and administrators; audited as `pin.reset`. One
    /// transaction of five statements: the install, the user and the scope in one locking read, the update,
    /// the audit event.
    public func resetPIN(
        _ caller: Caller, installID: Int, userID: Int, version: Int, to choice: PINChoice
    ) throws
        -> PINReset
    {
        try changing(caller, installID: installID, userID: userID, version: version, requiring: .resetPINs) {
            install, current, connection in
            let pin: HotDeskPIN
            switch choice {
            case .generate: pin = HotDeskPIN.generate(for: current.extension)
            case .typed(let typed): pin = try Self.pin(typed, for: current)
            }
            let updated = try store.replacePIN(pin, of: current, audit: caller.audit, on: connection)
            let generated: HotDeskPIN?
            if case .generate = choice { generated = pin } else { generated = nil }
            return PINReset(install: install, user: current, updated: updated, generatedPIN: generated)
        }
    }

    /// Removes the user's PIN, so nobody can log in as them; audited as `pin.cleared`. Returns the user as it now is.
    @discardableResult
    public func clearPIN(_ caller: Caller, installID: Int, userID: Int, version: Int) throws -> HotDeskUser {
        try changing(caller, installID: installID, userID: userID, version: version) { _, current, connection in
            try store.replacePIN(nil, of: current, audit: caller.audit, on: connection)
        }
    }

    /// Deletes the user; audited as `user.deleted`.
    public func delete(_ caller: Caller, installID: Int, userID: Int, version: Int) throws {
        try changing(caller, installID: installID, userID: userID, version: version) { _, current, connection in
            try store.delete(current, audit: caller.audit, on: connection)
        }
    }

    /// Grants or revokes Hot Desk Access for `userIDs`, which must all be users of the install (otherwise
    /// `notFound`, and nothing changes). One audit event per user whose access changed; returns how many.
    @discardableResult
    public func setAccess(_ caller: Caller, installID: Int, userIDs: Set<Int>, granted: Bool) throws -> Int {
        try caller.require(.manageTelephony)
        return try database.write(changing: [.install(installID)]) { connection in
            _ = try installs.require(id: installID, for: caller.actor, on: connection)
            return try store.setAccess(
                granted, userIDs: userIDs, installID: installID, audit: caller.audit, on: connection)
        }
    }

    /// Runs `change` in one transaction on the user, found with its install in the caller's scope and locked,
    /// once its version is the one the caller read.
    private func changing<Result>(
        _ caller: Caller, installID: Int, userID: Int, version: Int,
        requiring permission: Permission = .manageTelephony,
        _ change: (Install, HotDeskUser, PostgresConnection) throws -> Result
    ) throws -> Result {
        try caller.require(permission)
        return try database.write(changing: [.install(installID)]) { connection in
            let found = try connection.run(
                store.find(userID: userID, installID: installID, for: caller.actor, locking: true))
            guard let (install, current) = found else { throw OperationError.notFound }
            guard current.version == version else { throw OperationError.staleVersion }
            return try change(install, current, connection)
        }
    }

    /// The typed PIN as the user's, or the refusal naming why it is weak for them.
    private static func pin(_ typed: TypedPIN, for user: HotDeskUser) throws(OperationError) -> HotDeskPIN {
        do {
            return try HotDeskPIN(typed, for: user.extension)
        } catch {
            throw .invalid(.pin(error))
        }
    }
}

/// The read-cache key of a Users tab page: the install as this account may see it, the page, and the type the
/// front end prepared it into.
private struct PageRead: Hashable, Sendable {
    let installID: Int
    let actor: Principal
    let search: String
    let start: Extension?
    let limit: Int
    let prepared: ObjectIdentifier
}

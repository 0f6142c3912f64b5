import PostgresClient

/// Live hot desking: who is logged in where (Hot Desk Status, User Settings, the Users tab's marks), forced
/// logout, the login history and refused attempts the registrar records, and each install's login policy.
///
/// What the registrar writes is read live here, never from the read cache: a refresh moves "last refresh" every
/// few minutes without telling anyone. Logins and logouts do tell (`install:` notifications that the registrar's
/// one-second timer sends for each install whose registrations changed, `announce_changes`), which is what keeps
/// the Users tab's cached marks (`UserOperations.page`) right, at most a second late.
public struct RegistrationOperations: Sendable {
    /// Registrations per page on Hot Desk Status.
    public static let pageSize = RegistrationStore.pageSize
    /// Lines per page of login history.
    public static let historyPageSize = RegistrationStore.historyPageSize

    let database: Database
    let installs = InstallStore()
    let users = UserStore()
    let store = RegistrationStore()

    /// Hot Desk Status: one page of the install's registrations matching `search`, by extension, from `start`,
    /// with the counts and the latest refused attempts. Three statements in two round trips, the same whatever the
    /// install's size.
    ///
    /// - Throws: `OperationError.notFound` when the caller may not see the install.
    public func status(
        _ caller: Caller, installID: Int, search: String, from start: RegistrationStart?, limit: Int = pageSize
    ) throws -> LiveStatus {
        try caller.require(.viewTelephony)
        return try database.read { connection in
            let install = try installs.require(id: installID, for: caller.actor, on: connection)
            let ((page, counts), refusals) = try connection.run(
                store.page(install: install, search: UserSearch(search), from: start, limit: limit),
                store.latestRefusals(install: install))
            return LiveStatus(install: install, page: page, counts: counts, latestRefusals: refusals)
        }
    }

    /// The user's registrations now, latest refusal and recent history, for User Settings.
    public func activity(_ caller: Caller, install: Install, user: HotDeskUser) throws -> UserActivity {
        try caller.require(.viewTelephony)
        return try database.read { try $0.run(store.activity(install: install, user: user)) }
    }

    /// One page of the install's login history, or of one extension's, newest first, before event `before`.
    public func history(
        _ caller: Caller, installID: Int, extension number: Extension?, before: Int?,
        limit: Int = historyPageSize
    ) throws -> (Install, LoginHistoryPage) {
        try caller.require(.viewTelephony)
        return try database.read { connection in
            let install = try installs.require(id: installID, for: caller.actor, on: connection)
            let page = try connection.run(
                store.history(install: install, extension: number, before: before, limit: limit))
            return (install, page)
        }
    }

    /// The registration `registrationID` of the install, for the forced-logout confirmation.
    public func registration(_ caller: Caller, installID: Int, registrationID: Int) throws -> (Install, Registration) {
        try caller.require(.logOutOperators)
        return try database.read { connection in
            let install = try installs.require(id: installID, for: caller.actor, on: connection)
            guard
                let registration = try connection.run(store.registration(install: install, id: registrationID))
            else { throw OperationError.notFound }
            return (install, registration)
        }
    }

    /// Logs the operator of registration `registrationID` out: the registration is gone from the registrar at
    /// once, and its refreshes (same Call-ID) are refused from then on; a new login on a handset still works.
    /// Administrators and the install's managers may; audited as `registration.logged_out` with the extension.
    ///
    /// - Throws: `OperationError.notFound` when the caller may not see the install, or the registration is not
    ///   (or no longer) one of its.
    @discardableResult
    public func forceLogout(_ caller: Caller, installID: Int, registrationID: Int) throws -> Extension {
        try caller.require(.logOutOperators)
        return try database.write(changing: [.install(installID)]) { connection in
            let install = try installs.require(id: installID, for: caller.actor, on: connection)
            guard
                let ended = try store.forceLogout(
                    install: install, registrationID: registrationID, actor: caller.actor.email, on: connection)
            else { throw OperationError.notFound }
            try AuditLog.record(
                AuditEvent(
                    action: "registration.logged_out", installID: installID, targetType: "registration",
                    targetID: registrationID, targetLabel: "\(ended) @ \(install.sipDomain)"),
                context: caller.audit, on: connection)
            return ended
        }
    }

    /// The install with its login policy, for the Settings tab.
    public func policy(_ caller: Caller, installID: Int) throws -> (Install, SavedLoginPolicy) {
        try caller.require(.manageTelephony)
        let (install, policy) = try database.read { connection in
            try connection.run(installs.find(id: installID, for: caller.actor), store.policy(installID: installID))
        }
        guard let install, let policy else { throw OperationError.notFound }
        return (install, policy)
    }

    /// Saves the install's login policy, if nobody saved it since `version` was read; a time zone PostgreSQL does
    /// not know is refused. Audited as `login_policy.changed` with the fields that changed.
    public func setPolicy(_ caller: Caller, installID: Int, version: Int, policy: LoginPolicy) throws {
        try caller.require(.manageTelephony)
        try database.write(changing: [.install(installID)]) { connection in
            _ = try installs.require(id: installID, for: caller.actor, on: connection)
            let current = try store.lockPolicy(installID: installID, version: version, on: connection)
            guard try store.knowsTimeZone(policy.timeZone, on: connection) else {
                throw OperationError.invalid(.unknownTimeZone(policy.timeZone))
            }
            try store.update(installID: installID, to: policy, on: connection)
            let changes = Self.changes(from: current.policy, to: policy)
            guard !changes.isEmpty else { return }
            try AuditLog.record(
                AuditEvent(
                    action: "login_policy.changed", installID: installID, targetType: "install", targetID: installID,
                    changes: changes),
                context: caller.audit, on: connection)
        }
    }

    private static func changes(from old: LoginPolicy, to new: LoginPolicy) -> [AuditChange] {
        [
            AuditChange(
                "maximum_login_time", from: old.maximumLoginTime?.description, to: new.maximumLoginTime?.description),
            AuditChange("daily_logout", from: old.dailyLogout?.description, to: new.dailyLogout?.description),
            AuditChange("time_zone", from: old.timeZone.name, to: new.timeZone.name),
            AuditChange("second_login", from: old.secondLogin.rawValue, to: new.secondLogin.rawValue),
        ].filter { $0.before != $0.after }
    }
}

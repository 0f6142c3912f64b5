import Crypto

/// Signing in and out of the portal, finding the session a browser presents, and changing one's own password.
///
/// Password guessing is slowed by `SignInThrottle`, whose failures live in PostgreSQL so every portal instance
/// counts the same ones. Password checks never hold a database connection.
public struct Authentication: Sendable {
    let database: Database
    let hasher: PasswordHasher
    let sessions: SessionStore
    let throttle: SignInThrottle
    let accounts = AccountStore()

    /// A started session: the token for the browser's cookie (only its SHA-256 is stored).
    public struct SignedIn: Sendable {
        /// The session token, 256 random bits as base64url.
        public let token: String
    }

    /// The SHA-256 of a session token: the session's key in the database and in the read cache.
    public static func tokenHash(_ token: String) -> String {
        Secrets.sha256Hex(token)
    }

    /// The live session for `token`, or nil when it is unknown, expired or its account is disabled. A found
    /// session is kept in the read cache while it stays exact (`Session.exactFor`) and its account does not
    /// change; an unknown token is never kept, so made-up cookies cannot fill the cache.
    public func session(token: String) throws -> Session? {
        let hash = Self.tokenHash(token)
        return try database.cached(SessionRead(tokenHash: hash)) {
            // The `last_seen_at` touch changes nothing a kept read shows: a kept session expires before it is due.
            let session = try database.access(changing: []) { try sessions.find(tokenHash: hash, on: $0) }
            return (session, session?.actor.scopes ?? [], session?.exactFor ?? .zero)
        }
    }

    /// Checks the password for `email` (one argon2id verification whether or not the account exists) and starts a
    /// session from `sourceAddress`, ending the session the browser presented with `presentedToken`, if any (a
    /// fixation attempt or an older sign-in). Audited as `sign_in` with its result; failures count for the
    /// throttle.
    ///
    /// - Throws: `throttled` while the account or the address is locked out; `unauthenticated` when the email and
    ///   password match no active account.
    public func signIn(
        email typedEmail: String, password: String, presentedToken: String?, requestID: String?, sourceAddress: String
    ) throws -> SignedIn {
        let email = (try? EmailAddress(typedEmail))?.normalized ?? typedEmail.lowercased()
        let anonymous = AuditContext(requestID: requestID, actor: nil, sourceAddress: sourceAddress)
        let (wait, record) = try database.read { connection in
            try connection.run(
                throttle.remainingLock(email: email, source: sourceAddress), accounts.signInRecord(email: email))
        }
        if let wait {
            try database.write(changing: []) { connection in
                try AuditLog.record(
                    AuditEvent(action: "sign_in", result: .refused, targetType: "account", targetLabel: email),
                    context: anonymous, on: connection)
            }
            DomainMetrics.signIns(.throttled).increment()
            throw OperationError.throttled(retryAfter: wait)
        }
        let matches = try hasher.checking(password, against: record?.passwordHash)
        guard let record, matches, !record.isDisabled else {
            try database.write(changing: []) { connection in
                try throttle.recordFailure(email: email, source: sourceAddress, on: connection)
                try AuditLog.record(
                    AuditEvent(
                        action: "sign_in", result: .failure, organizationID: record?.actor.organizationID,
                        targetType: "account", targetID: record?.accountID, targetLabel: email),
                    context: anonymous, on: connection)
            }
            DomainMetrics.signIns(.failure).increment()
            throw OperationError.unauthenticated
        }
        let token = Secrets.randomToken()
        let actor = record.actor
        let presented = presentedToken.map(Self.tokenHash)
        try database.write(changing: presented == nil ? [] : [.account(record.accountID)]) { connection in
            if let presented { try sessions.delete(tokenHash: presented, on: connection) }
            try throttle.clear(email: email, on: connection)
            try sessions.create(
                tokenHash: Self.tokenHash(token), csrfToken: Secrets.randomToken(), accountID: record.accountID,
                sourceAddress: sourceAddress, on: connection)
            try AuditLog.record(
                AuditEvent(action: "sign_in", targetType: "account", targetID: record.accountID, targetLabel: email),
                context: AuditContext(requestID: requestID, actor: actor, sourceAddress: sourceAddress), on: connection)
        }
        DomainMetrics.signIns(.success).increment()
        return SignedIn(token: token)
    }

    /// Ends the caller's session at once; audited as `sign_out`.
    public func signOut(_ caller: Caller, session: Session) throws {
        try database.write(changing: [.account(session.accountID)]) { connection in
            try sessions.delete(tokenHash: session.tokenHash, on: connection)
            try AuditLog.record(
                AuditEvent(
                    action: "sign_out", targetType: "account", targetID: session.accountID,
                    targetLabel: caller.actor.email),
                context: caller.audit, on: connection)
        }
    }

    /// Changes the caller's own password, after checking the current one (a wrong one counts as a failed sign-in
    /// for the throttle and is audited), and ends every other session of the account, keeping `session`. An empty
    /// `current` is not checked; with `new` nil (the new password was refused at the form) only `current` is
    /// checked and nothing changes. Returns true when the password changed.
    ///
    /// - Throws: `throttled` while locked out; `invalid` (`current_password`) when `current` is wrong.
    @discardableResult
    public func changeOwnPassword(_ caller: Caller, session: Session, current: String, new: Password?) throws -> Bool {
        let actor = caller.actor
        let source = caller.sourceAddress ?? ""
        let (wait, stored) = try database.read { connection in
            try connection.run(
                throttle.remainingLock(email: actor.email, source: source), accounts.signInRecord(email: actor.email))
        }
        if let wait { throw OperationError.throttled(retryAfter: wait) }
        guard !current.isEmpty else { return false }
        guard try hasher.checking(current, against: stored?.passwordHash) else {
            try database.write(changing: []) { connection in
                try throttle.recordFailure(email: actor.email, source: source, on: connection)
                try AuditLog.record(
                    AuditEvent(
                        action: "account.password_changed", result: .failure, targetType: "account",
                        targetID: session.accountID, targetLabel: actor.email),
                    context: caller.audit, on: connection)
            }
            throw OperationError.invalid(.wrongCurrentPassword)
        }
        guard let new else { return false }
        let hash = try hasher.hashing(new)
        try database.write(changing: [.account(session.accountID)]) { connection in
            try accounts.setPassword(
                accountID: session.accountID, organizationID: actor.organizationID, passwordHash: hash,
                keptSession: session.tokenHash, context: caller.audit, on: connection)
        }
        return true
    }
}

/// The read-cache key of a session lookup.
private struct SessionRead: Hashable, Sendable {
    let tokenHash: String
}

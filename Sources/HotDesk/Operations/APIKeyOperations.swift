import Crypto
import Foundation

/// API keys, for administrators (Accounts → API keys): the list, creation with the secret shown once, and
/// revocation that takes effect on the next request; and, for the API, finding the actor a presented secret
/// stands for.
public struct APIKeyOperations: Sendable {
    let database: Database
    let throttle: SignInThrottle
    let store = APIKeyStore()

    /// What a new key may do: a role and, for a manager key, the installs it may touch.
    public struct Grant: Sendable, Equatable {
        /// Administrator or manager.
        public let role: AccountRole
        /// The installs of a manager key (at least one); empty for an administrator key.
        public let installIDs: Set<Int>

        /// An administrator key.
        public static let administrator = Grant(role: .administrator, installIDs: [])

        /// A manager key for `installIDs`; `invalid` (`installs`) when there is none.
        public static func manager(of installIDs: Set<Int>) throws(OperationError) -> Grant {
            guard !installIDs.isEmpty else { throw .invalid(.managerKeyWithoutInstalls) }
            return Grant(role: .manager, installIDs: installIDs)
        }
    }

    /// The organization's keys, newest first.
    public func list(_ caller: Caller) throws -> [APIKey] {
        try caller.require(.manageAccounts)
        return try database.read { try store.list(organizationID: caller.actor.organizationID, on: $0) }
    }

    /// Creates a key; its secret is in the answer and nowhere else. Audited as `api_key.created`.
    ///
    /// - Throws: `invalid` (`expires_at`) for an expiry in the past; `notFound` for an install of another
    ///   organization.
    public func create(
        _ caller: Caller, name: APIKeyName, grant: Grant, expiresAt: Date?, now: Date = Date()
    ) throws -> CreatedAPIKey {
        try caller.require(.manageAccounts)
        if let expiresAt, expiresAt <= now { throw OperationError.invalid(.keyExpiryPast) }
        let secret = APIKeySecret.generate()
        let organization = caller.actor.organizationID
        let key = try database.write(changing: []) { connection in
            let id = try store.create(
                name: name, role: grant.role, installIDs: grant.installIDs, expiresAt: expiresAt, secret: secret,
                audit: caller.audit, organizationID: organization, on: connection)
            guard let key = try store.find(id: id, organizationID: organization, on: connection) else {
                throw OperationError.notFound
            }
            return key
        }
        return CreatedAPIKey(key: key, secret: secret)
    }

    /// `create`, from the command line (`hotdesk create-api-key`), on behalf of the active administrator who signs in
    /// as `email`: the key belongs to that administrator's organization, and the audit names them as its creator.
    ///
    /// - Throws: `notFound` when `email` is no active administrator.
    public func createFromCommandLine(
        administrator email: EmailAddress, name: APIKeyName, grant: Grant, expiresAt: Date?
    ) throws -> CreatedAPIKey {
        let record = try database.read { try $0.run(AccountStore().signInRecord(email: email.normalized)) }
        guard let record, !record.isDisabled, record.actor.isAdministrator else { throw OperationError.notFound }
        return try create(
            Caller(actor: record.actor, requestID: nil, sourceAddress: nil), name: name, grant: grant,
            expiresAt: expiresAt)
    }

    /// Revokes the key: the next request made with it is refused. Audited as `api_key.revoked`; revoking a revoked
    /// key changes nothing.
    public func revoke(_ caller: Caller, id: Int) throws {
        try caller.require(.manageAccounts)
        try database.write(changing: [.apiKey(id)]) { connection in
            guard try store.find(id: id, organizationID: caller.actor.organizationID, on: connection) != nil else {
                throw OperationError.notFound
            }
            _ = try store.revoke(
                id: id, organizationID: caller.actor.organizationID, audit: caller.audit, on: connection)
        }
    }

    /// The actor the presented `Authorization: Bearer` value stands for. A key that authenticated is kept in the
    /// read cache for a minute at most (the period of its last-use touch) and never past its expiry, per address,
    /// and dropped at once when it
    /// is revoked or its expiry changes (`api_key:<id>`, here or on another instance), as sessions are kept. An
    /// unknown key is never kept; it counts against `source` like a failed sign-in, and while `source` is locked out
    /// unknown keys are refused without a lookup counting. A valid key is not held up by its address's lock: its
    /// 256 random bits cannot be guessed, and a provisioning system behind the same NAT as a guesser keeps working.
    ///
    /// - Throws: `throttled` for an unknown key while `source` is locked out; `unauthenticated` for a missing,
    ///   malformed, unknown, revoked or expired key.
    public func actor(presenting presented: String?, from source: String) throws -> Actor {
        let secret = presented.flatMap(APIKeySecret.init(presented:))
        let hash = secret?.hash ?? ""
        let found: KeyLookup = try database.cached(KeyRead(secretHash: hash, source: source)) {
            let (wait, key) = try database.access(changing: []) { connection in
                try connection.run(
                    throttle.remainingLock(email: nil, source: source), store.actor(secretHash: hash, source: source))
            }
            guard let (actor, expiresIn) = key, let id = actor.apiKeyID else {
                return (value: KeyLookup(wait: wait, actor: nil), scopes: [], lifetime: .zero)
            }
            // Never kept past the key's expiry.
            let lifetime = min(Self.keptFor, expiresIn ?? Self.keptFor)
            return (value: KeyLookup(wait: nil, actor: actor), scopes: [.apiKey(id)], lifetime: lifetime)
        }
        let (wait, actor) = (found.wait, found.actor)
        if let actor { return actor }
        if let wait { throw OperationError.throttled(retryAfter: wait) }
        try database.write(changing: []) { connection in
            try throttle.recordFailure(email: SignInThrottle.apiKeyAttempt, source: source, on: connection)
        }
        throw OperationError.unauthenticated
    }

    /// How long a key that authenticated is kept: its last-use touch is due after a minute.
    static let keptFor: Duration = .seconds(60)
}

/// What a key lookup found: the key's actor, or the lock on the address that presented an unknown key.
private struct KeyLookup: Sendable {
    let wait: Duration?
    let actor: Actor?
}

/// The read-cache key of an API key lookup: the secret's hash and the address it came from (the last use records
/// the address).
private struct KeyRead: Hashable, Sendable {
    let secretHash: String
    let source: String
}

import Logging
import PostgresClient

/// The rules of sign-in and sessions that operations apply, read once by the executable and handed down.
public struct OperationSettings: Sendable {
    /// Sessions end after this long without a request.
    public var sessionIdleTimeout: Duration = .seconds(30 * 60)
    /// Sessions end this long after sign-in.
    public var sessionAbsoluteTimeout: Duration = .seconds(12 * 3600)
    /// Sign-in throttling limits and delays.
    public var throttle = SignInThrottle()
    /// argon2id computations allowed at once (each takes about 19 MiB and tens of milliseconds).
    public var concurrentPasswordHashes = 2

    /// The defaults.
    public init() {}
}

/// Every use case of HotDesk, the one way in for every front end (the portal's forms, the API, imports): each
/// operation takes the caller and typed values, checks the caller's role and scope inside its own transaction,
/// makes the change with its audit event in that transaction, and returns a domain value or throws an
/// `OperationError`.
///
/// A new use case goes into the `…Operations` type of its area (a new area gets a new type here), with its SQL in
/// that area's store.
public struct Operations: Sendable {
    /// Telephony Settings' installs.
    public let installs: InstallOperations
    /// An install's users and their PINs.
    public let users: UserOperations
    /// Bulk users: CSV import and export.
    public let userImports: UserImportOperations
    /// An install's trusted ranges.
    public let trustedNetworks: TrustedNetworkOperations
    /// An install's handset settings and provisioning URL.
    public let handsets: HandsetOperations
    /// Live hot desking: who is logged in where, forced logout, login history, refusals, login policy.
    public let registrations: RegistrationOperations
    /// What the provisioning URL serves.
    public let provisioning: ProvisioningOperations
    /// Portal accounts.
    public let accounts: AccountOperations
    /// Sign-in, sessions, sign-out, one's own password.
    public let authentication: Authentication
    /// API keys: their management, and the actor a presented key stands for.
    public let apiKeys: APIKeyOperations
    /// The answers kept for the API's `Idempotency-Key`.
    public let idempotency: IdempotencyOperations
    /// The audit log.
    public let audit: AuditOperations
    /// The database's status and the read cache.
    public let system: SystemStatus

    /// The operations over `pool`; `changes`, when given (the pool's observer too), keeps the read cache that
    /// the pages' reads use.
    public init(
        pool: PostgresPool, changes: ChangeFeed?, passwordPolicy: PasswordPolicy,
        settings: OperationSettings = OperationSettings(), logger: Logger
    ) {
        let database = Database(pool: pool, changes: changes, logger: logger)
        let hasher = PasswordHasher(maximumConcurrent: settings.concurrentPasswordHashes)
        installs = InstallOperations(database: database)
        users = UserOperations(database: database)
        userImports = UserImportOperations(database: database)
        trustedNetworks = TrustedNetworkOperations(database: database)
        handsets = HandsetOperations(database: database)
        registrations = RegistrationOperations(database: database)
        provisioning = ProvisioningOperations(database: database)
        accounts = AccountOperations(database: database, hasher: hasher, passwordPolicy: passwordPolicy)
        authentication = Authentication(
            database: database, hasher: hasher,
            sessions: SessionStore(
                idleTimeout: settings.sessionIdleTimeout, absoluteTimeout: settings.sessionAbsoluteTimeout),
            throttle: settings.throttle)
        apiKeys = APIKeyOperations(database: database, throttle: settings.throttle)
        idempotency = IdempotencyOperations(database: database)
        audit = AuditOperations(database: database)
        system = SystemStatus(database: database)
    }
}

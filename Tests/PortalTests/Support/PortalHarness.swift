import Crypto
import Foundation
import Logging
import PostgresClient
import TestSupport
import WebServer

@testable import HotDesk
@testable import Portal

/// A signed-in browser as the tests see it: the session cookie's token and the session's CSRF token.
struct TestSession: Sendable {
    let token: String
    let csrfToken: String
    let accountID: Int
}

/// A portal over its own fresh, migrated database, called through its router (no socket), with helpers
/// to create organizations and accounts and to sign in.
///
/// Requests carry `Host: portal.test` and, for POSTs, `Origin: http://portal.test`, the origin the portal
/// expects when no public URL is configured.
final class PortalHarness: Sendable {
    static let host = "portal.test"
    static let origin = "http://portal.test"

    let database: TestDatabase
    /// Keeps the portal's read cache current, as in `hotdesk serve`: the tests run with the cache on.
    let changes: ChangeFeed
    let pool: PostgresPool
    let portal: Portal
    let router: Router
    let settings: PortalSettings
    /// A fast argon2id for fixtures; verification reads the parameters from the hash, so the portal's own
    /// hasher checks these hashes too.
    private let fixtureHasher = PasswordHasher(operations: 1, memoryLimit: 8 * 1024 * 1024, maximumConcurrent: 4)

    private let ownsDatabase: Bool

    convenience init(
        settings: PortalSettings = PortalSettings(), operations: OperationSettings = OperationSettings(),
        readCacheEntries: Int = 2000
    ) throws {
        try self.init(
            database: TestPostgres.makeDatabase(), owned: true, settings: settings, operations: operations,
            readCacheEntries: readCacheEntries)
    }

    /// A second portal instance on `other`'s database, as behind a load balancer.
    convenience init(sharingDatabaseOf other: PortalHarness, settings: PortalSettings = PortalSettings()) throws {
        try self.init(
            database: other.database, owned: false, settings: settings, operations: OperationSettings(),
            readCacheEntries: 2000)
    }

    private init(
        database: TestDatabase, owned: Bool, settings: PortalSettings, operations: OperationSettings,
        readCacheEntries: Int
    ) throws {
        self.database = database
        ownsDatabase = owned
        changes = try database.listeningChangeFeed(capacity: readCacheEntries)
        pool = try database.appPool(maximumConnections: 6, observer: changes)
        self.settings = settings
        portal = try Self.portal(
            pool: pool, changes: readCacheEntries > 0 ? changes : nil, settings: settings, operations: operations)
        router = portal.makeRouter()
    }

    /// A portal over `pool`, as `hotdesk serve` builds one, with the repository's resources and migrations.
    static func portal(
        pool: PostgresPool, changes: ChangeFeed?, settings: PortalSettings = PortalSettings(),
        operations: OperationSettings = OperationSettings(), logger: Logger = TestPostgres.logger,
        resourcesFolder: String = TestPostgres.repositoryRoot + "/Resources"
    ) throws -> Portal {
        let policy = try Portal.passwordPolicy(resourcesFolder: TestPostgres.repositoryRoot + "/Resources")
        return try Portal(
            resourcesFolder: resourcesFolder,
            operations: Operations(
                pool: pool, changes: changes, passwordPolicy: policy, settings: operations, logger: logger),
            migrator: Migrator(migrations: Migration.load(from: TestPostgres.migrationsFolder), logger: logger),
            passwordPolicy: policy, settings: settings, logger: logger)
    }

    deinit {
        changes.stop()
        pool.close()
        if ownsDatabase { database.drop() }
    }

    // MARK: Fixtures

    /// A new organization's id.
    func makeOrganization(_ name: String = "Org \(UUID().uuidString.prefix(8))") throws -> Int {
        try pool.withConnection { try OrganizationStore().findOrCreate(name: name, on: $0) }
    }

    /// A new install of `organizationID`; returns its id.
    func makeInstall(organizationID: Int, name: String = "Head office", domain: String? = nil) throws -> Int {
        let domain = domain ?? "pbx-\(UUID().uuidString.prefix(8).lowercased()).example.com"
        return try pool.query(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
            VALUES (\(organizationID), \(name), \(domain)) RETURNING id
            """)[0].decode("id")
    }

    /// A new account; returns its id.
    func makeAccount(
        organizationID: Int, email: String, password: String = "a perfectly fine passphrase",
        role: AccountRole = .administrator, installs: Set<Int> = [], name: String = "Test Person"
    ) throws -> Int {
        let hash = try fixtureHasher.hash(password)
        return try pool.withTransaction { connection in
            try AccountStore().create(
                NewAccount(
                    email: try EmailAddress(email), displayName: try DisplayName(name), role: role, passwordHash: hash,
                    installIDs: installs),
                organizationID: organizationID,
                context: AuditContext(requestID: "test", actor: nil, sourceAddress: nil), on: connection)
        }
    }

    // MARK: Requests

    /// A request as a browser on this portal would send it.
    func request(
        _ method: HTTPMethod, _ target: String, session: TestSession? = nil, fields: [(String, String)]? = nil,
        headers extra: [(String, String)] = [], origin: String? = PortalHarness.origin, cookies: [String: String] = [:],
        remoteAddress: String = "127.0.0.1"
    ) throws -> Request {
        var headers = HTTPHeaders()
        headers.add("Host", Self.host)
        if method == .POST, let origin { headers.add("Origin", origin) }
        for (name, value) in extra { headers.add(name, value) }
        var allCookies = cookies
        if let session {
            allCookies[
                settings.publicURL?.hasPrefix("https://") == true ? "__Host-hotdesk_session" : "hotdesk_session"] =
                session.token
        }
        var body: [UInt8] = []
        if let fields {
            headers.add("Content-Type", "application/x-www-form-urlencoded")
            body = Array(Self.encode(fields).utf8)
        }
        let parts = target.split(separator: "?", maxSplits: 1)
        let query = parts.count > 1 ? try FormData(parsing: Array(parts[1].utf8)) : FormData()
        return Request(
            method: method, path: String(parts[0]), query: query, headers: headers, cookies: allCookies, body: body,
            remoteAddress: remoteAddress)
    }

    /// Sends a request through the router, turning a thrown `HTTPError` into the portal's error page, as
    /// the server does.
    func send(_ request: Request) -> Response {
        do {
            return try router.respond(to: request)
        } catch let error as HTTPError {
            return portal.errorPage(for: error, requestID: request.id, path: request.path)
        } catch {
            return Response.text("unexpected \(error)", status: .internalServerError)
        }
    }

    /// GET `target`.
    func get(_ target: String, session: TestSession? = nil) throws -> Response {
        send(try request(.GET, target, session: session))
    }

    /// POST a form to `target`; the session's CSRF token is added unless `csrf` overrides it.
    func post(
        _ target: String, session: TestSession? = nil, fields: [(String, String)] = [], csrf: String? = nil,
        origin: String? = PortalHarness.origin, headers: [(String, String)] = []
    ) throws -> Response {
        var all = fields
        if let token = csrf ?? session?.csrfToken { all.append(("_csrf", token)) }
        return send(try request(.POST, target, session: session, fields: all, headers: headers, origin: origin))
    }

    /// POST a `multipart/form-data` form to `target`, as a browser sends a form with a file input, its parts
    /// as the server would have read them; the session's CSRF token is added.
    func upload(
        _ target: String, session: TestSession, fields: [(String, String)], files: [(String, String, [UInt8])] = []
    ) throws -> Response {
        var headers = HTTPHeaders()
        headers.add("Host", Self.host)
        headers.add("Origin", Self.origin)
        headers.add("Content-Type", "multipart/form-data; boundary=test-boundary")
        let parts =
            (fields + [("_csrf", session.csrfToken)]).map { FormPart(name: $0.0, bytes: Array($0.1.utf8)) }
            + files.map { FormPart(name: $0.0, fileName: $0.1, contentType: "text/csv", bytes: $0.2) }
        return send(
            Request(
                method: .POST, path: target, headers: headers,
                cookies: [
                    settings.publicURL?.hasPrefix("https://") == true ? "__Host-hotdesk_session" : "hotdesk_session":
                        session.token
                ],
                parts: parts))
    }

    /// Signs in through `/login` like a browser (form, cookie, POST) and returns the new session.
    func signIn(
        email: String, password: String = "a perfectly fine passphrase", remoteAddress: String = "127.0.0.1"
    )
        throws -> TestSession
    {
        let response = try signInAttempt(email: email, password: password, remoteAddress: remoteAddress)
        guard response.status == .seeOther, let token = Self.cookie("hotdesk_session", in: response) else {
            throw HarnessError.signInFailed(response.status.code, String(decoding: response.body, as: UTF8.self))
        }
        let row = try pool.query(
            """
            SELECT csrf_token, account_id FROM hotdesk.sessions WHERE token_hash = \(Secrets.sha256Hex(token))
            """)[0]
        return TestSession(
            token: token, csrfToken: try row.decode("csrf_token"), accountID: try row.decode("account_id"))
    }

    /// One sign-in attempt through the form; returns the POST's response.
    func signInAttempt(email: String, password: String, remoteAddress: String = "127.0.0.1") throws -> Response {
        let form = send(try request(.GET, "/login", remoteAddress: remoteAddress))
        guard let formToken = Self.cookie("hotdesk_signin", in: form) else { throw HarnessError.noSignInToken }
        return send(
            try request(
                .POST, "/login", fields: [("email", email), ("password", password), ("_csrf", formToken)],
                cookies: ["hotdesk_signin": formToken], remoteAddress: remoteAddress))
    }

    // MARK: Reading responses

    /// The value a response sets for cookie `name` (the first `Set-Cookie` with that name).
    static func cookie(_ name: String, in response: Response) -> String? {
        for value in response.headers.values(for: "Set-Cookie") where value.hasPrefix(name + "=") {
            let pair = value.split(separator: ";", maxSplits: 1)[0]
            return String(pair.dropFirst(name.count + 1))
        }
        return nil
    }

    /// The full `Set-Cookie` line for cookie `name`.
    static func setCookieLine(_ name: String, in response: Response) -> String? {
        response.headers.values(for: "Set-Cookie").first { $0.hasPrefix(name + "=") }
    }

    /// A response body as text.
    static func text(_ response: Response) -> String { String(decoding: response.body, as: UTF8.self) }

    private static func encode(_ fields: [(String, String)]) -> String { FormData(fields).encoded }
}

enum HarnessError: Error {
    case signInFailed(Int, String)
    case noSignInToken
}

// MARK: Accounts and audit

/// Two organizations as the account and audit tests need them: in the first an administrator, a manager
/// assigned to one of its two installs, and a second administrator; in the other organization an
/// administrator and an install. Everyone but the second administrator is signed in.
struct AccountFixture {
    let harness: PortalHarness
    let organization: Int
    let install: Int
    let secondInstall: Int
    let administrator: TestSession
    let administratorID: Int
    let manager: TestSession
    let managerID: Int
    let secondAdministratorID: Int
    let otherOrganization: Int
    let otherInstall: Int
    let otherAdministrator: TestSession
    let otherAdministratorID: Int

    init(
        settings: PortalSettings = PortalSettings(), operations: OperationSettings = OperationSettings(),
        readCacheEntries: Int = 2000
    ) throws {
        let harness = try PortalHarness(settings: settings, operations: operations, readCacheEntries: readCacheEntries)
        self.harness = harness
        organization = try harness.makeOrganization()
        install = try harness.makeInstall(organizationID: organization, name: "Head office")
        secondInstall = try harness.makeInstall(organizationID: organization, name: "Warehouse")
        administratorID = try harness.makeAccount(
            organizationID: organization, email: "admin@a.example", name: "Ada Admin")
        secondAdministratorID = try harness.makeAccount(
            organizationID: organization, email: "second@a.example", name: "Sam Second")
        managerID = try harness.makeAccount(
            organizationID: organization, email: "manager@a.example", role: .manager, installs: [install],
            name: "Max Manager")
        otherOrganization = try harness.makeOrganization()
        otherInstall = try harness.makeInstall(organizationID: otherOrganization, name: "Elsewhere")
        otherAdministratorID = try harness.makeAccount(
            organizationID: otherOrganization, email: "admin@b.example", name: "Bea Other")
        administrator = try harness.signIn(email: "admin@a.example")
        manager = try harness.signIn(email: "manager@a.example")
        otherAdministrator = try harness.signIn(email: "admin@b.example")
    }
}

extension PortalHarness {
    /// The new-account form's fields for an account whose initial password is generated.
    static func newAccountFields(
        email: String, name: String, role: AccountRole = .manager, installs: [Int] = []
    )
        -> [(String, String)]
    {
        [("email", email), ("display_name", name), ("role", role.rawValue), ("password_choice", "generate")]
            + installs.map { ("installs", String($0)) }
    }

    /// Every row the account screens can change — accounts, manager assignments, audit events and
    /// session keys — as text, to compare before and after a request that must change nothing.
    func accountsSnapshot() throws -> String {
        try pool.query(
            """
            SELECT concat_ws(E'\\n--\\n',
                (SELECT string_agg(a::text, E'\\n' ORDER BY a.id) FROM hotdesk.accounts a),
                (SELECT string_agg(m::text, E'\\n' ORDER BY m.account_id, m.install_id) FROM hotdesk.manager_installs m),
                (SELECT string_agg(e::text, E'\\n' ORDER BY e.id) FROM hotdesk.audit_events e),
                (SELECT string_agg(s.token_hash, E'\\n' ORDER BY s.token_hash) FROM hotdesk.sessions s)) AS snapshot
            """)[0].decode("snapshot")
    }

    /// The audit events with `action`, oldest first, as rows to read fields from.
    func auditEvents(action: String) throws -> PostgresRows {
        try pool.query(
            """
            SELECT request_id, organization_id, account_id, account_email, account_role, host(source_address) AS source,
                   install_id, target_type, target_id, target_label, result, changes::text AS changes
            FROM hotdesk.audit_events WHERE action = \(action) ORDER BY id
            """)
    }

    /// The id of the account signing in with `email`.
    func accountID(email: String) throws -> Int {
        try pool.query("SELECT id FROM hotdesk.accounts WHERE email = \(email)")[0].decode("id")
    }

    /// How many installs account `id` is assigned to as a manager.
    func assignedInstallCount(_ id: Int) throws -> Int {
        try pool.query("SELECT count(*)::int AS n FROM hotdesk.manager_installs WHERE account_id = \(id)")[0].decode(
            "n")
    }

    /// The stored version of account `id`, as its edit form carries it.
    func accountVersion(_ id: Int) throws -> Int {
        try pool.query("SELECT version FROM hotdesk.accounts WHERE id = \(id)")[0].decode("version")
    }

    /// True when the session still signs its browser in.
    func isSignedIn(_ session: TestSession) throws -> Bool {
        try portal.operations.authentication.session(token: session.token) != nil
    }
}

// MARK: Telephony

extension PortalHarness {
    /// A new user of `installID`, optionally with Hot Desk Access and a PIN; returns its id.
    func makeUser(
        installID: Int, extension number: String, name: String = "Test User", access: Bool = false, pin: String? = nil
    ) throws -> Int {
        try pool.query(
            """
            INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
            VALUES (\(installID), \(number), \(name), \(access), \(pin)) RETURNING id
            """)[0].decode("id")
    }

    /// Every row the Telephony screens can change — installs, users, trusted ranges, handset settings and
    /// audit events — as text, to compare before and after a request that must change nothing.
    func telephonySnapshot() throws -> String {
        try pool.query(
            """
            SELECT concat_ws(E'\\n--\\n',
                (SELECT string_agg(i::text, E'\\n' ORDER BY i.id) FROM hotdesk.installs i),
                (SELECT string_agg(u::text, E'\\n' ORDER BY u.id) FROM hotdesk.users u),
                (SELECT string_agg(t::text, E'\\n' ORDER BY t.id) FROM hotdesk.trusted_networks t),
                (SELECT string_agg(h::text, E'\\n' ORDER BY h.install_id) FROM hotdesk.handset_settings h),
                (SELECT string_agg(e::text, E'\\n' ORDER BY e.id) FROM hotdesk.audit_events e)) AS snapshot
            """)[0].decode("snapshot")
    }

    /// One column of user `id`, as text (nil for NULL).
    func userField(_ id: Int, _ column: String) throws -> String? {
        try pool.query(
            """
            SELECT (to_jsonb(u) ->> \(column)) AS value FROM hotdesk.users u WHERE id = \(id)
            """)[0].decode("value")
    }
}

// MARK: Handsets

extension PortalHarness {
    /// The Handsets form's fields (without `version`), defaults unless given.
    static func handsetFields(
        family: String = "t46", lineKey: String = "3", label: String = "Hot Desking", hidePrompt: Bool = true,
        expiry: String = "500", server: String = "", port: String = "", transport: String = ""
    ) -> [(String, String)] {
        [
            ("handset_family", family), ("line_key", lineKey), ("key_label", label), ("registration_expiry", expiry),
            ("sip_server", server), ("sip_port", port), ("sip_transport", transport),
        ] + (hidePrompt ? [("hide_server_prompt", "yes")] : [])
    }

    /// The stored version of install `id`'s handset settings.
    func handsetVersion(_ id: Int) throws -> Int {
        try pool.query("SELECT version FROM hotdesk.handset_settings WHERE install_id = \(id)")[0].decode("version")
    }

    /// Install `id`'s provisioning token, if one was drawn.
    func provisioningToken(_ id: Int) throws -> String? {
        try pool.query("SELECT provisioning_token FROM hotdesk.handset_settings WHERE install_id = \(id)")[0]
            .decode("provisioning_token")
    }
}

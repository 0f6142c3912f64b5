import Crypto
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import HotDesk

/// The read cache trusts two descriptions of every change: the scopes an operation declares, which drop this
/// portal's kept reads at once, and the notifications the tables' triggers send (migration 0011), which drop
/// every other portal's. These tests run each write operation and check that the two agree: everything the
/// triggers announce was declared, so this portal never keeps a read that another portal would drop.
@Suite("Operations declare every scope their writes announce")
struct OperationChangeScopeTests {
    final class Fixture: @unchecked Sendable {
        let database: TestDatabase
        let changes: ChangeFeed
        let pool: PostgresPool
        let operations: Operations
        let listener: PostgresConnection
        let organization: Int
        let installs: [Int]
        let administrator: Actor
        let manager: Actor
        let user: Int
        let range: Int
        let password = "a perfectly fine passphrase"

        init() throws {
            database = try TestPostgres.makeDatabase()
            changes = try database.listeningChangeFeed()
            let pool = try database.appPool(observer: changes)
            self.pool = pool
            operations = Operations(
                pool: pool, changes: changes, passwordPolicy: PasswordPolicy(commonPasswords: []),
                logger: TestPostgres.logger)
            listener = try PostgresConnection(connectionString: database.appURL)
            try listener.runScript("LISTEN hotdesk_changes")
            let organization = try pool.withConnection { try OrganizationStore().findOrCreate(name: "Org", on: $0) }
            self.organization = organization
            let installs: [Int] = try (0..<2).map { index in
                try pool.query(
                    """
                    INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                    VALUES (\(organization), \("Install \(index)"), \("pbx\(index).example.com")) RETURNING id
                    """)[0].decode("id")
            }
            self.installs = installs
            let hash = Argon2id.hash(password, operations: 1, memoryLimit: 8 * 1024 * 1024)
            func account(_ email: String, _ role: AccountRole) throws -> Actor {
                let id: Int = try pool.query(
                    """
                    INSERT INTO hotdesk.accounts (organization_id, email, display_name, password_hash, role)
                    VALUES (\(organization), \(email), 'Someone', \(hash), \(role.rawValue)::hotdesk.account_role)
                    RETURNING id
                    """)[0].decode("id")
                return Actor(
                    accountID: id, organizationID: organization, email: email, displayName: "Someone", role: role,
                    assignedInstallIDs: [])
            }
            administrator = try account("admin@example.com", .administrator)
            manager = try account("manager@example.com", .manager)
            user = try pool.query(
                """
                INSERT INTO hotdesk.users (install_id, extension, display_name) VALUES (\(installs[0]), '0042', 'Ann')
                RETURNING id
                """)[0].decode("id")
            range = try pool.query(
                """
                INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                VALUES (\(installs[0]), '192.0.2.0/24', 'Office') RETURNING id
                """)[0].decode("id")
            // The fixture's own writes went through the pool undeclared; let their notifications pass.
            Thread.sleep(forTimeInterval: 0.2)
            _ = try listener.awaitNotifications(timeout: .milliseconds(1))
        }

        deinit {
            changes.stop()
            pool.close()
            database.drop()
        }

        var caller: Caller { Caller(actor: administrator, requestID: "test", sourceAddress: "127.0.0.1") }

        /// Every scope a change in this test can touch: the fixture's installs and accounts, and those the
        /// operations create.
        var candidates: [ChangeScope] {
            (1...20).flatMap { [ChangeScope.install($0), .account($0)] }
        }

        func version(_ table: String, _ column: String, _ id: Int) throws -> Int {
            try pool.query(
                PostgresQuery(stringLiteral: "SELECT version FROM hotdesk.\(table) WHERE \(column) = \(id)"))[0]
                .decode("version")
        }

        /// Runs `operation`; returns the scopes it declared (the kept reads it dropped before returning) and the
        /// scopes the triggers announced for it.
        func scopes(of operation: () throws -> Void) throws -> (declared: Set<ChangeScope>, announced: Set<ChangeScope>)
        {
            for scope in candidates {
                _ = try changes.cache.value(for: "\(scope)") { ("kept", [scope], .seconds(60)) }
            }
            try operation()
            var declared: Set<ChangeScope> = []
            for scope in candidates {
                var reread = false
                _ = try changes.cache.value(for: "\(scope)") { () -> (String, [ChangeScope], Duration) in
                    reread = true
                    return ("kept", [scope], .seconds(60))
                }
                if reread { declared.insert(scope) }
            }
            Thread.sleep(forTimeInterval: 0.2)
            let announced = try listener.awaitNotifications(timeout: .milliseconds(100)).map {
                ChangeScope(payload: $0.payload)
            }
            return (declared, Set(announced))
        }
    }

    @Test("each write operation declares, at least, the scopes its triggers announce, and none announces everything")
    func declaredScopesCoverAnnouncedScopes() throws {
        let fixture = try Fixture()
        let managerID = try #require(fixture.manager.accountID)
        let operations = fixture.operations
        let caller = fixture.caller
        let (install, other) = (fixture.installs[0], fixture.installs[1])
        let user = fixture.user
        let cases: [(String, () throws -> Void)] = [
            (
                "installs.create",
                {
                    _ = try operations.installs.create(
                        caller, name: try InstallName("New"), domain: try SIPDomain("new.example.com"))
                }
            ),
            (
                "installs.update",
                {
                    _ = try operations.installs.update(
                        caller, id: other, version: try fixture.version("installs", "id", other),
                        name: try InstallName("Renamed"),
                        domain: try SIPDomain("renamed.example.com"), confirmsDomainChange: true)
                }
            ),
            (
                "users.create",
                {
                    _ = try operations.users.create(
                        caller, installID: install, extension: try Extension("0043"), displayName: try DisplayName("Bo")
                    )
                }
            ),
            (
                "users.update",
                {
                    try operations.users.update(
                        caller, installID: install, userID: user, version: try fixture.version("users", "id", user),
                        displayName: try DisplayName("Ann B"), hasAccess: true, pin: try TypedPIN("4829"))
                }
            ),
            (
                "users.resetPIN",
                {
                    _ = try operations.users.resetPIN(
                        caller, installID: install, userID: user, version: try fixture.version("users", "id", user),
                        to: .generate)
                }
            ),
            (
                "users.clearPIN",
                {
                    try operations.users.clearPIN(
                        caller, installID: install, userID: user, version: try fixture.version("users", "id", user))
                }
            ),
            (
                "users.setAccess",
                {
                    try operations.users.setAccess(caller, installID: install, userIDs: [user], granted: false)
                }
            ),
            (
                "trustedNetworks.add",
                {
                    _ = try operations.trustedNetworks.add(
                        caller, installID: install, network: try IPv4Network(text: "198.51.100.0/24"),
                        description: try RangeDescription("Branch"), confirmsWideRange: false)
                }
            ),
            (
                "trustedNetworks.remove",
                {
                    try operations.trustedNetworks.remove(caller, installID: install, rangeID: fixture.range)
                }
            ),
            (
                "handsets.update",
                {
                    var settings = HandsetSettings.standard
                    settings.hidesServerPrompt = false
                    try operations.handsets.update(
                        caller, installID: install,
                        version: try fixture.version("handset_settings", "install_id", install),
                        settings: settings)
                }
            ),
            (
                "handsets.setProvisioning",
                {
                    try operations.handsets.setProvisioning(
                        caller, installID: install,
                        version: try fixture.version("handset_settings", "install_id", install),
                        enabled: true, trustedRangesOnly: false)
                }
            ),
            ("handsets.rotateToken", { try operations.handsets.rotateToken(caller, installID: install) }),
            (
                "accounts.create",
                {
                    _ = try operations.accounts.create(
                        caller, email: try EmailAddress("new@example.com"), displayName: try DisplayName("New"),
                        role: .manager,
                        installIDs: [install], password: .generate)
                }
            ),
            (
                "accounts.update",
                {
                    _ = try operations.accounts.update(
                        caller, id: managerID,
                        version: try fixture.version("accounts", "id", managerID),
                        role: .manager, installIDs: [install, other], disabled: false, confirmsDisabling: false)
                }
            ),
            (
                "accounts.resetPassword",
                { _ = try operations.accounts.resetPassword(caller, id: managerID) }
            ),
            (
                "authentication.signIn",
                {
                    _ = try operations.authentication.signIn(
                        email: "admin@example.com", password: fixture.password, presentedToken: Secrets.randomToken(),
                        requestID: "test", sourceAddress: "127.0.0.1")
                }
            ),
            (
                "users.delete",
                {
                    try operations.users.delete(
                        caller, installID: install, userID: user, version: try fixture.version("users", "id", user))
                }
            ),
        ]
        for (name, operation) in cases {
            let (declared, announced) = try fixture.scopes(of: operation)
            #expect(!announced.contains(.everything), "\(name) announced everything")
            #expect(announced.isSubset(of: declared), "\(name): announced \(announced), declared \(declared)")
        }
        let session = try #require(
            try operations.authentication.session(
                token: try operations.authentication.signIn(
                    email: "admin@example.com", password: fixture.password, presentedToken: nil, requestID: "test",
                    sourceAddress: "127.0.0.1"
                ).token))
        for (name, operation): (String, () throws -> Void) in [
            (
                "authentication.changeOwnPassword",
                {
                    try operations.authentication.changeOwnPassword(
                        caller, session: session, current: fixture.password,
                        new: try Password("another fine passphrase", policy: PasswordPolicy(commonPasswords: [])))
                }
            ),
            ("authentication.signOut", { try operations.authentication.signOut(caller, session: session) }),
        ] {
            let (declared, announced) = try fixture.scopes(of: operation)
            #expect(announced.isSubset(of: declared), "\(name): announced \(announced), declared \(declared)")
        }
    }
}

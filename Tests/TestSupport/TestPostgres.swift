import Foundation
import HotDesk
import Logging
import PostgresClient
import Synchronization

/// The throwaway PostgreSQL cluster that `make test` starts, and fresh databases in it for each test.
///
/// `make test` (scripts/test.sh) exports `HOTDESK_TEST_PGHOST`, the cluster's socket folder, and
/// `HOTDESK_TEST_PGPORT`, its port (it also listens on 127.0.0.1 there, with passwords); the cluster
/// has the superuser `postgres` and the roles `hotdesk_owner`, `hotdesk_portal` and `hotdesk_app`.
public enum TestPostgres {
    /// The cluster's Unix socket folder.
    public static var host: String {
        guard let host = ProcessInfo.processInfo.environment["HOTDESK_TEST_PGHOST"], !host.isEmpty else {
            fatalError("HOTDESK_TEST_PGHOST is not set: run the tests with `make test`, which starts PostgreSQL")
        }
        return host
    }

    /// The cluster's port: its socket file's name, and its TCP port on 127.0.0.1.
    public static var port: Int {
        Int(ProcessInfo.processInfo.environment["HOTDESK_TEST_PGPORT"] ?? "") ?? 5432
    }

    /// A URL for `role` on `database` over the cluster's socket.
    public static func url(database: String, role: String) -> String {
        "postgresql:///\(database)?host=\(host)&port=\(port)&user=\(role)"
    }

    /// The repository's `migrations/` folder.
    public static let migrationsFolder = repositoryRoot + "/migrations"

    /// The repository root, found from this file's path.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A logger that stays quiet unless a test fails loudly.
    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs SQL as the cluster's superuser on `database` (default `postgres`).
    @discardableResult
    public static func superuserQuery(_ query: PostgresQuery, database: String = "postgres") throws -> PostgresRows {
        let connection = try PostgresConnection(connectionString: url(database: database, role: "postgres"))
        return try connection.query(query)
    }

    /// Runs a trusted SQL script as the superuser (CREATE DATABASE and the like cannot take parameters).
    public static func superuserScript(_ sql: String, database: String = "postgres") throws {
        let connection = try PostgresConnection(connectionString: url(database: database, role: "postgres"))
        try connection.runScript(sql)
    }

    private static let template = Mutex<String?>(nil)

    /// Group roles the migrations grant to; a cluster started by an older script may lack newer ones.
    private static let ensuredRoles: Void? = try? superuserScript(
        """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotdesk_registrar') THEN
                CREATE ROLE hotdesk_registrar NOLOGIN;
            END IF;
        END
        $$;
        """)

    /// A new database, empty (`migrated: false`) or with every migration applied, owned by `hotdesk_owner`.
    public static func makeDatabase(migrated: Bool = true) throws -> TestDatabase {
        _ = ensuredRoles
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if migrated {
            let templateName = try template.withLock { current throws -> String in
                if let current { return current }
                let made = "template_\(ProcessInfo.processInfo.processIdentifier)_\(UInt32.random(in: 0...UInt32.max))"
                try superuserScript("CREATE DATABASE \(made) OWNER hotdesk_owner")
                let owner = try PostgresConnection(connectionString: url(database: made, role: "hotdesk_owner"))
                try Migrator(migrations: Migration.load(from: migrationsFolder), logger: logger).migrate(
                    connection: owner)
                current = made
                return made
            }
            try superuserScript("CREATE DATABASE \(name) OWNER hotdesk_owner TEMPLATE \(templateName)")
        } else {
            try superuserScript("CREATE DATABASE \(name) OWNER hotdesk_owner")
        }
        return TestDatabase(name: String(name))
    }
}

/// One test's own database: URLs for the owner (migrations) and the portal's runtime role.
public struct TestDatabase: Sendable {
    /// The database name.
    public let name: String

    /// The schema owner's URL, as `hotdesk migrate` uses.
    public var ownerURL: String { TestPostgres.url(database: name, role: "hotdesk_owner") }
    /// The runtime role's URL, as `hotdesk serve` uses.
    public var appURL: String { TestPostgres.url(database: name, role: "hotdesk_app") }

    /// A pool on the runtime role; `observer` (a `ChangeFeed`) hears of its connections and unaccounted writes.
    public func appPool(
        maximumConnections: Int = 4, acquireTimeout: Duration = .seconds(5), observer: (any PostgresPoolObserver)? = nil
    ) throws -> PostgresPool {
        try PostgresPool(
            configuration: .init(
                connectionString: appURL, maximumConnections: maximumConnections, acquireTimeout: acquireTimeout),
            observer: observer, logger: TestPostgres.logger)
    }

    /// A change feed keeping a read cache of `capacity` entries current, listening on this database as the
    /// runtime role, once it listens (at most 10 s).
    public func listeningChangeFeed(capacity: Int = 2000, lifetime: Duration = .seconds(60)) throws -> ChangeFeed {
        let changes = ChangeFeed(
            cache: ReadCache(capacity: capacity, lifetime: lifetime), connectionString: appURL,
            logger: TestPostgres.logger, retryInterval: .milliseconds(100))
        changes.start()
        let deadline = ContinuousClock.now + .seconds(10)
        while !changes.isListening {
            guard ContinuousClock.now < deadline else {
                changes.stop()
                throw PostgresError(
                    kind: .connectionFailed, message: "the change feed did not start listening within 10 s")
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return changes
    }

    /// A single connection as the owner.
    public func ownerConnection() throws -> PostgresConnection {
        try PostgresConnection(connectionString: ownerURL)
    }

    /// Drops the database (terminating whatever is still connected).
    public func drop() {
        try? TestPostgres.superuserScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

extension TestDatabase {
    /// A registrar login role (made as `hotdesk registrar-role` makes it) and its TCP URL, as Kamailio
    /// and the privilege tests log in: a real password login, so the role's settings apply.
    public func makeRegistrarRole() throws -> (name: String, password: String, url: String) {
        let name = "registrar_\(UInt32.random(in: 0...UInt32.max))"
        let password = "pw" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try PostgresConnection(connectionString: TestPostgres.url(database: self.name, role: "postgres"))
        try RegistrarRole(name: name).apply(password: password, on: admin)
        return (name, password, "postgres://\(name):\(password)@127.0.0.1:\(TestPostgres.port)/\(self.name)")
    }
}

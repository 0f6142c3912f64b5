import Foundation
import HotDesk
import PostgresClient
import Synchronization
import TestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    private func migrator(folder: String = TestPostgres.migrationsFolder) throws -> Migrator {
        try Migrator(migrations: Migration.load(from: folder), logger: TestPostgres.logger)
    }

    /// A copy of the real migrations in a temporary folder, to edit in a test.
    private func copyOfMigrations() throws -> String {
        let folder = NSTemporaryDirectory() + "migrations-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: TestPostgres.migrationsFolder, toPath: folder)
        return folder
    }

    @Test("a fresh database gets every migration; a second run has nothing to do")
    func freshThenUpToDate() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try database.ownerConnection()
        let all = try Migration.load(from: TestPostgres.migrationsFolder)
        #expect(!all.isEmpty)
        let applied = try migrator().migrate(connection: connection)
        #expect(applied.map(\.number) == all.map(\.number))
        #expect(try migrator().migrate(connection: connection).isEmpty)
        #expect(try migrator().pending(connection: connection).isEmpty)
        let recorded = try connection.query("SELECT count(*)::int AS n FROM hotdesk.schema_migrations")
        #expect(try recorded[0].decode("n", as: Int.self) == all.count)
    }

    @Test("the runtime role can tell whether migrations are current, and pending ones show before migrating")
    func runtimeRoleSeesStatus() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let app = try PostgresConnection(connectionString: database.appURL)
        #expect(
            try migrator().pending(connection: app).count == Migration.load(from: TestPostgres.migrationsFolder).count)
        try migrator().migrate(connection: database.ownerConnection())
        #expect(try migrator().pending(connection: app).isEmpty)
    }

    @Test("four runners started at once apply each migration exactly once")
    func concurrentRunnersApplyOnce() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let appliedCounts = Mutex<[Int]>([])
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let applied = try migrator().migrate(connection: database.ownerConnection())
                appliedCounts.withLock { $0.append(applied.count) }
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        let total = try Migration.load(from: TestPostgres.migrationsFolder).count
        #expect(errors.withLock { $0 } == [])
        #expect(appliedCounts.withLock { $0.sorted() } == [0, 0, 0, total])
        let rows = try database.ownerConnection().query("SELECT count(*)::int AS n FROM hotdesk.schema_migrations")
        #expect(try rows[0].decode("n", as: Int.self) == total)
    }

    @Test("an applied file whose content changed is refused with a clear error")
    func editedMigrationIsRefused() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try migrator(folder: folder).migrate(connection: database.ownerConnection())
        let first = try Migration.load(from: folder)[0]
        try (first.sql + "\n-- an innocent-looking edit\n").write(
            toFile: folder + "/" + first.fileName, atomically: true, encoding: .utf8)
        #expect {
            try migrator(folder: folder).migrate(connection: database.ownerConnection())
        } throws: { error in
            guard case .changedAfterApplied(let fileName, _, _) = error as? MigrationError else { return false }
            return fileName == first.fileName && "\(error)".contains("edited after it was applied")
        }
    }

    @Test("a failing migration is rolled back whole and not recorded")
    func failingMigrationRollsBack() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "CREATE TABLE hotdesk.half_done (id int);\nSELECT no_such_function();\n".write(
            toFile: folder + "/9999_broken.sql", atomically: true, encoding: .utf8)
        #expect {
            try migrator(folder: folder).migrate(connection: database.ownerConnection())
        } throws: { error in
            guard case .failed(let fileName, _) = error as? MigrationError else { return false }
            return fileName == "9999_broken.sql"
        }
        let connection = try database.ownerConnection()
        let table = try connection.query("SELECT to_regclass('hotdesk.half_done') IS NULL AS gone")
        #expect(try table[0].decode("gone", as: Bool.self))
        let recorded = try connection.query(
            "SELECT count(*)::int AS n FROM hotdesk.schema_migrations WHERE version = 9999")
        #expect(try recorded[0].decode("n", as: Int.self) == 0)
    }

    @Test("badly named and duplicate-numbered files are refused before anything runs")
    func badFileNamesAreRefused() throws {
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "SELECT 1;".write(toFile: folder + "/02_short.sql", atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.badFileName("02_short.sql")) { try Migration.load(from: folder) }
        try FileManager.default.removeItem(atPath: folder + "/02_short.sql")
        try "SELECT 1;".write(toFile: folder + "/0001_again.sql", atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try Migration.load(from: folder) }
        #expect(throws: MigrationError.folderUnreadable("/no/such/folder")) {
            try Migration.load(from: "/no/such/folder")
        }
    }
}

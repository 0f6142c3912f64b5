import PostgresClient
import TestSupport
import Testing

@Suite("Transactions")
struct TransactionTests {
    private struct Abort: Error {}

    private func makeTable(_ database: TestDatabase) throws {
        try database.ownerConnection().runScript(
            "CREATE TABLE items (name text PRIMARY KEY); GRANT SELECT, INSERT ON items TO hotdesk_portal;")
    }

    private func count(_ pool: PostgresPool) throws -> Int {
        try pool.query("SELECT count(*)::int AS n FROM items")[0].decode("n")
    }

    @Test("a transaction that returns is committed")
    func commitOnReturn() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        try makeTable(database)
        let pool = try database.appPool()
        try pool.withTransaction { connection in
            try connection.query("INSERT INTO items VALUES (\("a"))")
            try connection.query("INSERT INTO items VALUES (\("b"))")
        }
        #expect(try count(pool) == 2)
    }

    @Test("a transaction that throws is rolled back, every statement of it")
    func rollbackOnThrow() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        try makeTable(database)
        let pool = try database.appPool(maximumConnections: 1)
        #expect(throws: Abort.self) {
            try pool.withTransaction { connection in
                try connection.query("INSERT INTO items VALUES (\("a"))")
                throw Abort()
            }
        }
        #expect(throws: PostgresError.self) {
            try pool.withTransaction { connection in
                try connection.query("INSERT INTO items VALUES (\("b"))")
                try connection.query("INSERT INTO items VALUES (\("b"))")
            }
        }
        #expect(try count(pool) == 0)
    }

    @Test("a transaction left open by a caller is rolled back before the connection is lent again")
    func leakedTransactionIsNotInherited() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        try makeTable(database)
        let pool = try database.appPool(maximumConnections: 1)
        try pool.withConnection { connection in
            try connection.query("BEGIN")
            try connection.query("INSERT INTO items VALUES (\("stray"))")
        }
        let inTransaction = try pool.withConnection { $0.isInTransaction }
        #expect(!inTransaction)
        #expect(try count(pool) == 0)
    }
}

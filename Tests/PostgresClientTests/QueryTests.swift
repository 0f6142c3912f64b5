import Foundation
import TestSupport
import Testing

@testable import PostgresClient

@Suite("Queries, parameters and decoding")
struct QueryTests {
    @Test(
        "hostile parameter text round-trips unchanged",
        arguments: [
            "", "plain", "it's", "\"double\"", "back\\slash", "\\x00", "$1", "$2 and $1", "'; DROP TABLE x; --",
            "naïve café", "日本語", "emoji 🎉👍🏽", "\u{202E}bidi", "zero\u{200B}width", "line\nbreak\ttab", "%s %n",
        ])
    func parameterRoundTrips(_ text: String) throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        let rows = try connection.query("SELECT \(text)::text AS echoed, octet_length(\(text)) AS bytes")
        #expect(try rows[0].decode("echoed", as: String.self) == text)
        #expect(try rows[0].decode("bytes", as: Int.self) == text.utf8.count)
    }

    @Test("a shared clause keeps its parameters in order, renumbered after the statement's own")
    func clauseParametersAreRenumbered() throws {
        let clause: PostgresQuery = "x = \(7) AND y = \("$1")"
        let query: PostgresQuery = "SELECT \("a")::text AS first WHERE \(clause) OR \(clause) AND z = \(9)"
        #expect(query.sql == "SELECT $1::text AS first WHERE x = $2 AND y = $3 OR x = $4 AND y = $5 AND z = $6")
        #expect(query.binds == ["a", "7", "$1", "7", "$1", "9"])
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        let matching: PostgresQuery = "n BETWEEN \(2) AND \(4)"
        let rows = try connection.query(
            "SELECT count(*) AS n FROM generate_series(\(1)::int, \(10)::int) AS n WHERE \(matching) OR n = \(10)")
        #expect(try rows[0].decode("n", as: Int.self) == 4)
    }

    @Test("a parameter holding NUL is refused before it is sent")
    func nulParameterIsRefused() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        #expect {
            try connection.query("SELECT \("a\u{0}b")::text")
        } throws: { error in
            (error as? PostgresError)?.kind == .invalidParameter
        }
        // The connection is still usable.
        #expect(try connection.query("SELECT 2 AS two")[0].decode("two", as: Int.self) == 2)
    }

    @Test("columns decode into typed values, NULL only into optionals")
    func typedDecoding() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        let row = try connection.query(
            """
            SELECT 42::int4 AS small, 9000000000::int8 AS big, true AS yes, false AS no, 'text'::text AS word,
                   NULL::text AS nothing, 2.5::float8 AS real,
                   timestamptz '2026-11-27 04:53:44.123456+00' AS moment,
                   timestamptz '2000-02-29 23:59:59+05:30' AS offset_moment,
                   cidr '192.168.1.0/24' AS network, inet '203.0.113.7' AS address,
                   ARRAY['a', 'b"c'] AS list
            """)[0]
        #expect(try row.decode("small", as: Int.self) == 42)
        #expect(try row.decode("big", as: Int64.self) == 9_000_000_000)
        #expect(try row.decode("yes", as: Bool.self))
        #expect(try !row.decode("no", as: Bool.self))
        #expect(try row.decode("word", as: String.self) == "text")
        #expect(try row.decode("nothing", as: String?.self) == nil)
        #expect(try row.decode("word", as: String?.self) == "text")
        #expect(try row.decode("real", as: Double.self) == 2.5)
        #expect(abs(try row.decode("moment", as: Date.self).timeIntervalSince1970 - 1_795_755_224.123456) < 1e-6)
        #expect(try row.decode("offset_moment", as: Date.self).timeIntervalSince1970 == 951_848_999)
        #expect(try row.decode("network", as: String.self) == "192.168.1.0/24")
        #expect(try row.decode("address", as: String.self) == "203.0.113.7")
        #expect(throws: PostgresError.self) { try row.decode("nothing", as: String.self) }
        #expect(throws: PostgresError.self) { try row.decode("word", as: Int.self) }
        #expect(throws: PostgresError.self) { try row.decode("no_such_column", as: Int.self) }
    }

    @Test("values sent as parameters keep their type: dates, booleans, arrays, NULL")
    func typedParameters() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        let moment = Date(timeIntervalSince1970: 1_795_755_224.5)
        let missing: String? = nil
        let row = try connection.query(
            """
            SELECT \(moment)::timestamptz AS moment, \(true)::bool AS flag, \(["x", "y\\\"z"])::text[] AS list,
                   \(missing)::text IS NULL AS was_null, cardinality(\(["a", "b", "c"])::text[]) AS count
            """)[0]
        #expect(try row.decode("moment", as: Date.self) == moment)
        #expect(try row.decode("flag", as: Bool.self))
        #expect(try row.decode("was_null", as: Bool.self))
        #expect(try row.decode("count", as: Int.self) == 3)
    }

    @Test("a unique violation carries SQLSTATE 23505 and the constraint name")
    func uniqueViolationCarriesSQLState() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try database.ownerConnection()
        try connection.runScript("CREATE TABLE t (k text CONSTRAINT t_k_key UNIQUE)")
        try connection.query("INSERT INTO t VALUES (\("a"))")
        #expect {
            try connection.query("INSERT INTO t VALUES (\("a"))")
        } throws: { error in
            guard let error = error as? PostgresError else { return false }
            return error.kind == .server && error.sqlState == .uniqueViolation && error.constraint == "t_k_key"
                && !error.isUnavailable
        }
        #expect {
            try connection.query("SELECT * FROM no_such_table")
        } throws: { error in
            (error as? PostgresError)?.sqlState == .undefinedTable
        }
    }

    @Test("a key=value connection string and a URL both connect; a malformed one is refused up front")
    func connectionStringForms() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let keyValue = "host=\(TestPostgres.host) port=\(TestPostgres.port) dbname=\(database.name) user=hotdesk_app"
        let summary = try PostgresConnection(connectionString: keyValue).summary
        #expect(summary.database == database.name)
        #expect(summary.user == "hotdesk_app")
        #expect(summary.serverVersion >= 150_000)
        #expect(try PostgresConnection(connectionString: database.appURL).summary.database == database.name)
        #expect {
            try PostgresConnection(connectionString: "postgres://host:notaport/db?bogus_option=1")
        } throws: { error in
            (error as? PostgresError)?.kind == .invalidConfiguration
        }
    }

    @Test("TCP connections with a password work")
    func tcpConnectionWithPassword() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let role = "tcp_\(UInt32.random(in: 0...UInt32.max))"
        try TestPostgres.superuserScript("CREATE ROLE \(role) LOGIN PASSWORD 'tcp secret'")
        defer { try? TestPostgres.superuserScript("DROP ROLE IF EXISTS \(role)") }
        let url = "postgres://\(role):tcp%20secret@127.0.0.1:\(TestPostgres.port)/\(database.name)"
        let connection = try PostgresConnection(connectionString: url)
        #expect(connection.summary.host == "127.0.0.1")
        #expect(try connection.query("SELECT current_user AS me")[0].decode("me", as: String.self) == role)
        #expect {
            try PostgresConnection(
                connectionString: "postgres://\(role):wrong@127.0.0.1:\(TestPostgres.port)/\(database.name)")
        } throws: { error in
            (error as? PostgresError)?.kind == .connectionFailed
        }
    }

    @Test("a statement runs prepared after its first use, once per connection, with each run's own values")
    func statementsArePreparedOncePerConnection() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        for value in 1...3 {
            #expect(
                try connection.query("SELECT \(value)::int * 2 AS doubled")[0].decode("doubled", as: Int.self) == value
                    * 2)
        }
        let prepared = try connection.query(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE \("%doubled%")")
        #expect(prepared.count == 1)
        // A failing statement is not kept, and the connection goes on working.
        #expect(throws: PostgresError.self) { try connection.query("SELECT * FROM no_such_table") }
        #expect(try connection.query("SELECT \(5)::int * 2 AS doubled")[0].decode("doubled", as: Int.self) == 10)
    }

    @Test("a prepared statement whose columns a schema change altered is prepared again and answers")
    func preparedStatementSurvivesSchemaChange() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let owner = try database.ownerConnection()
        try owner.runScript("CREATE TABLE t (k int); INSERT INTO t VALUES (1); GRANT SELECT ON t TO hotdesk_app")
        let connection = try PostgresConnection(connectionString: database.appURL)
        #expect(try connection.query("SELECT * FROM t").columns == ["k"])
        try owner.runScript("ALTER TABLE t ADD COLUMN added text DEFAULT 'new'")
        let rows = try connection.query("SELECT * FROM t")
        #expect(rows.columns == ["k", "added"])
        #expect(try rows[0].decode("added", as: String.self) == "new")
        // Inside a transaction the error reaches the caller, and the statement is prepared afresh next time.
        try owner.runScript("ALTER TABLE t DROP COLUMN added")
        #expect {
            try connection.withTransaction { try $0.query("SELECT * FROM t") }
        } throws: { error in
            (error as? PostgresError)?.sqlState == .featureNotSupported
        }
        #expect(try connection.query("SELECT * FROM t").columns == ["k"])
    }

    @Test("statements sent together in one round trip answer in order, each decoded by its own statement")
    func pipelinedStatementsAnswerInOrder() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        let numbers = PostgresStatement("SELECT generate_series(1, \(3)) AS n") { rows in
            try rows.map { try $0.decode("n", as: Int.self) }
        }
        let word = PostgresStatement("SELECT \("naïve")::text AS w") { rows in try rows[0].decode("w", as: String.self)
        }
        let nothing = PostgresStatement("SELECT 1 AS one WHERE false") { rows in rows.count }
        for _ in 1...2 {
            let (n, w, empty) = try connection.run(numbers, word, nothing)
            #expect(n == [1, 2, 3] && w == "naïve" && empty == 0)
        }
    }

    @Test("a failing statement in a pipeline throws its error, undoes the statements before it, skips the rest")
    func pipelineFailureIsAtomic() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let owner = try database.ownerConnection()
        try owner.runScript("CREATE TABLE t (k int); GRANT SELECT, INSERT ON t TO hotdesk_app")
        let connection = try PostgresConnection(connectionString: database.appURL)
        #expect {
            try connection.pipeline([
                "INSERT INTO t VALUES (1)", "SELECT * FROM no_such_table", "INSERT INTO t VALUES (2)",
            ])
        } throws: { error in
            (error as? PostgresError)?.sqlState == .undefinedTable
        }
        #expect(!connection.isBroken && !connection.isInTransaction)
        #expect(try connection.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
        // Inside a transaction block the pipeline is part of it.
        try connection.withTransaction { connection in
            _ = try connection.pipeline(["INSERT INTO t VALUES (\(3))", "INSERT INTO t VALUES (\(4))"])
        }
        #expect(try connection.query("SELECT sum(k) AS n FROM t")[0].decode("n", as: Int.self) == 7)
    }

    @Test("statements sent together are prepared again after a schema change altered their columns")
    func pipelineSurvivesSchemaChange() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let owner = try database.ownerConnection()
        try owner.runScript("CREATE TABLE t (k int); INSERT INTO t VALUES (1); GRANT SELECT ON t TO hotdesk_app")
        let connection = try PostgresConnection(connectionString: database.appURL)
        #expect(try connection.pipeline(["SELECT * FROM t", "SELECT 1 AS one"])[0].columns == ["k"])
        try owner.runScript("ALTER TABLE t ADD COLUMN added text DEFAULT 'new'")
        let rows = try connection.pipeline(["SELECT * FROM t", "SELECT 1 AS one"])
        #expect(rows[0].columns == ["k", "added"])
        #expect(try rows[1][0].decode("one", as: Int.self) == 1)
    }

    @Test("past its limit of prepared statements a connection runs further SQL texts unprepared, with the same answers")
    func preparedStatementLimit() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let connection = try PostgresConnection(connectionString: database.appURL)
        let limit = PostgresConnection.maximumPreparedStatements
        for number in 1...limit + 2 {
            let query = PostgresQuery(stringLiteral: "SELECT \(number) + 1 AS n")
            #expect(try connection.query(query)[0].decode("n", as: Int.self) == number + 1)
        }
        let prepared = try connection.query("SELECT count(*)::int AS n FROM pg_prepared_statements")
        #expect(try prepared[0].decode("n", as: Int.self) == limit, "this count itself ran unprepared")
    }
}

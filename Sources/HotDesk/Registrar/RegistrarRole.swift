import PostgresClient

/// A login role for a SIP registrar: may connect to this database, SELECT the `registrar` views and write its own
/// state in `registrar_state` (registrations, login history, refusals), and nothing else (no `hotdesk` table, no
/// DDL, no temporary tables), with a statement timeout, a connection limit and
/// `search_path = registrar_state, registrar`.
public struct RegistrarRole: Sendable {
    /// The role name: lowercase letters, digits and underscores, starting with a letter, at most 63.
    public let name: String
    /// Most connections the registrar may open.
    public var connectionLimit = 20
    /// Longest a registrar query may run, in milliseconds.
    public var statementTimeoutMilliseconds = 2000

    /// Validates the name; a name that needs quoting is refused rather than quoted.
    public init(name: String) throws(RegistrarRoleError) {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), let first = bytes.first, (97...122).contains(first),
            bytes.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 95 })
        else { throw .invalidName(name) }
        guard !name.hasPrefix("pg_"),
            !["hotdesk_owner", "hotdesk_portal", "hotdesk_app", "hotdesk_registrar"].contains(name)
        else { throw .reservedName(name) }
        self.name = name
    }

    /// Creates the role, or updates an existing registrar role, in one transaction. The password is
    /// turned into a SCRAM verifier on the client. Refuses to touch a role that has other powers
    /// (superuser, CREATEROLE, CREATEDB, replication, or membership in other roles).
    public func apply(password: String, on connection: PostgresConnection) throws {
        try connection.withTransaction { connection in
            let existing = try connection.query(
                """
                SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls AS powerful,
                       EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                               WHERE m.member = r.oid AND g.rolname <> 'hotdesk_registrar') AS other_memberships
                FROM pg_roles r WHERE r.rolname = \(name)
                """)
            if let row = existing.first {
                if try row.decode("powerful", as: Bool.self) || row.decode("other_memberships", as: Bool.self) {
                    throw RegistrarRoleError.roleHasOtherPowers(name)
                }
            } else {
                try execute(connection, "SELECT format('CREATE ROLE %I NOLOGIN', \(name)::text) AS sql")
            }
            let verifier = try connection.passwordVerifier(password, role: name)
            let timeout = "\(statementTimeoutMilliseconds)ms"
            // format() quotes identifiers (%I) and literals (%L) on the server: nothing is concatenated here.
            for statement: PostgresQuery in [
                "SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT %s PASSWORD %L', \(name)::text, \(connectionLimit)::int, \(verifier)::text) AS sql",
                "SELECT format('GRANT hotdesk_registrar TO %I', \(name)::text) AS sql",
                "SELECT format('ALTER ROLE %I SET search_path = registrar_state, registrar', \(name)::text) AS sql",
                "SELECT format('ALTER ROLE %I SET statement_timeout = %L', \(name)::text, \(timeout)::text) AS sql",
                "SELECT format('ALTER ROLE %I RESET default_transaction_read_only', \(name)::text) AS sql",
            ] {
                try execute(connection, statement)
            }
        }
    }

    /// Runs the statement that `query` formats on the server.
    private func execute(_ connection: PostgresConnection, _ query: PostgresQuery) throws {
        let sql: String = try connection.query(query)[0].decode("sql")
        try connection.runScript(sql)
    }
}

/// Why a registrar role could not be made.
public enum RegistrarRoleError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case reservedName(String)
    case roleHasOtherPowers(String)

    /// The sentence for the operator.
    public var description: String {
        switch self {
        case .invalidName(let name):
            return
                "\"\(name)\" is not a usable role name: use lowercase letters, digits and underscores, starting with a letter (at most 63)."
        case .reservedName(let name):
            return "\"\(name)\" is reserved; choose another name such as kamailio."
        case .roleHasOtherPowers(let name):
            return
                "role \(name) already exists with other privileges or memberships; a registrar role must have none. Choose another name."
        }
    }
}

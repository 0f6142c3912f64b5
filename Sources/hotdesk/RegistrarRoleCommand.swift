import ArgumentParser
import HotDesk
import PostgresClient

/// `hotdesk registrar-role`: creates or updates the SIP registrar's read-only login role.
struct RegistrarRoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registrar-role",
        abstract: "Create or update the SIP registrar's login role (SELECT on the registrar views only).",
        discussion: """
            Reads the role's password from standard input (one line; never a flag, so it stays out of shell \
            history and process lists). Needs a connection allowed to create roles (a superuser or a role with \
            CREATEROLE): --database-url, else HOTDESK_ADMIN_DATABASE_URL, else DATABASE_URL. Prints the \
            connection settings for the registrar's operator.
            """)

    @OptionGroup var options: DatabaseOptions

    @Option(help: "The login role's name, e.g. kamailio.")
    var name: String

    @Option(name: .customLong("connection-limit"), help: "Most connections the registrar may open. Default: 20.")
    var connectionLimit: Int = 20

    @Option(name: .customLong("statement-timeout"), help: "Longest registrar query in milliseconds. Default: 2000.")
    var statementTimeout: Int = 2000

    func run() throws {
        _ = try options.resolvedLogging(in: ProcessEnvironment.current).bootstrap()
        var role: RegistrarRole
        do {
            role = try RegistrarRole(name: name)
        } catch {
            throw ValidationError("\(error)")
        }
        guard connectionLimit > 0, statementTimeout > 0 else {
            throw ValidationError("--connection-limit and --statement-timeout must be above 0.")
        }
        role.connectionLimit = connectionLimit
        role.statementTimeoutMilliseconds = statementTimeout
        guard let password = readLine(strippingNewline: true), password.count >= 12 else {
            throw ValidationError("Give the role's password (12 characters or more) on standard input.")
        }
        let url = try options.resolvedDatabaseURL(
            variables: ["HOTDESK_ADMIN_DATABASE_URL", "DATABASE_URL"], in: ProcessEnvironment.current)
        let connection = try PostgresConnection(connectionString: url, applicationName: "hotdesk registrar-role")
        do {
            try role.apply(password: password, on: connection)
        } catch let error as RegistrarRoleError {
            throw ValidationError("\(error)")
        }
        let summary = connection.summary
        let host = summary.host.hasPrefix("/") ? "<database host>" : summary.host
        print(
            """
            Registrar role \(role.name) is ready: SELECT on registrar.subscriber, registrar.address,
            registrar.trusted_networks and registrar.version; nothing else.
              database:           \(summary.database)
              host:               \(host)
              port:               \(summary.port)
              user:               \(role.name)
              search_path:        registrar (set on the role)
              statement_timeout:  \(role.statementTimeoutMilliseconds) ms; connection limit \(role.connectionLimit)
            Kamailio db_url:      postgres://\(role.name):<password>@\(host):\(summary.port)/\(summary.database)
            """)
    }
}

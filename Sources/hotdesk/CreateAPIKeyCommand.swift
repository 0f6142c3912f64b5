import ArgumentParser
import Foundation
import HotDesk
import PostgresClient

/// `hotdesk create-api-key`: an API key for a provisioning system, created on behalf of an administrator (for
/// automation and first set-up; the portal's Accounts → API keys does the same).
struct CreateAPIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-api-key",
        abstract: "Create an API key in an administrator's organization and print its secret once.",
        discussion: """
            The key acts with its role, like an account: an administrator key reaches the whole organization, a \
            manager key (--role manager with one or more --install ids) only those installs. The secret is \
            printed once on standard output; HotDesk keeps only its hash. The audit log records the key as \
            created by the administrator named with --email.
            """)

    @OptionGroup var options: DatabaseOptions

    @Option(help: "The email of an active administrator; the key belongs to their organization.")
    var email: String

    @Option(help: "What the key is for (shown in the key list and the audit log), e.g. \"HR provisioning\".")
    var name: String

    @Option(help: "administrator or manager. Default: administrator.")
    var role: String = "administrator"

    @Option(name: .customLong("install"), help: "An install id a manager key may touch (repeat for several).")
    var installs: [Int] = []

    @Option(help: "The last day the key works, as YYYY-MM-DD (UTC). Default: it does not expire.")
    var expires: String?

    func run() throws {
        let environment = ProcessEnvironment.current
        let logger = try options.resolvedLogging(in: environment).bootstrap()
        let address: EmailAddress
        let keyName: APIKeyName
        do {
            address = try EmailAddress(email)
            keyName = try APIKeyName(name)
        } catch {
            throw ValidationError("\(error)")
        }
        let grant: APIKeyOperations.Grant
        switch role {
        case "administrator":
            guard installs.isEmpty else { throw ValidationError("--install is only for --role manager.") }
            grant = .administrator
        case "manager":
            do {
                grant = try .manager(of: Set(installs))
            } catch {
                throw ValidationError("A manager key needs at least one --install id.")
            }
        default:
            throw ValidationError("--role must be administrator or manager.")
        }
        var expiry: Date?
        if let expires {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            guard expires.utf8.count == 10, let day = formatter.date(from: expires) else {
                throw ValidationError("--expires must be a date such as 2027-01-31 (got \(expires)).")
            }
            expiry = day.addingTimeInterval(86_400)
        }
        let url = try options.resolvedDatabaseURL(variables: ["DATABASE_URL"], in: environment)
        let pool = try PostgresPool(
            configuration: .init(
                connectionString: url, maximumConnections: 1, applicationName: "hotdesk create-api-key"),
            logger: logger)
        defer { pool.close() }
        let operations = Operations(
            pool: pool, changes: nil, passwordPolicy: PasswordPolicy(commonPasswords: []), logger: logger)
        let created: CreatedAPIKey
        do {
            created = try operations.apiKeys.createFromCommandLine(
                administrator: address, name: keyName, grant: grant, expiresAt: expiry)
        } catch OperationError.notFound {
            throw ValidationError(
                "\(address.normalized) is not an active administrator, or an --install id is not in their organization."
            )
        } catch OperationError.invalid(let problem) {
            throw ValidationError(problem.message)
        }
        print(created.secret.text)
        FileHandle.standardError.write(
            Data("Created API key \"\(keyName.text)\" (\(created.key.prefix)…); the secret above is shown once.\n".utf8)
        )
    }
}

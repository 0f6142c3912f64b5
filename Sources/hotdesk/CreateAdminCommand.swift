import ArgumentParser
import Crypto
import Foundation
import HotDesk
import Portal
import PostgresClient

/// `hotdesk create-admin`: the first administrator of an organization (creating the organization).
struct CreateAdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an organization's administrator (and the organization, if new).",
        discussion: """
            The password is read from standard input (one line). With --generate-password a random one is \
            generated and printed once. Passwords need 12 to 128 characters and must not be on the \
            common-password list in Resources/common-passwords.txt.
            """)

    @OptionGroup var options: DatabaseOptions

    @Option(help: "The organization's name; created when it does not exist.")
    var organization: String

    @Option(help: "The administrator's email address (used to sign in).")
    var email: String

    @Option(name: .customLong("name"), help: "The administrator's display name. Default: the email address.")
    var displayName: String?

    @Option(help: "manager or administrator. Default: administrator.")
    var role: String = "administrator"

    @Option(help: CommonSettings.resources.help)
    var resources: String?

    @Flag(help: "Generate a random password and print it once instead of reading one from standard input.")
    var generatePassword = false

    func run() throws {
        let environment = ProcessEnvironment.current
        let logger = try options.resolvedLogging(in: environment).bootstrap()
        guard let accountRole = AccountRole(rawValue: role) else {
            throw ValidationError("--role must be administrator or manager.")
        }
        let address: EmailAddress
        let name: DisplayName
        do {
            address = try EmailAddress(email)
            name = try DisplayName(displayName ?? email)
        } catch {
            throw ValidationError("\(error)")
        }
        let folder = try CommonSettings.resources.resolved(flag: resources, in: environment)
        let policy: PasswordPolicy
        do {
            policy = try Portal.passwordPolicy(resourcesFolder: folder)
        } catch {
            throw ValidationError("\(error)")
        }
        let plaintext = generatePassword ? Secrets.randomToken(byteCount: 15) : (readLine(strippingNewline: true) ?? "")
        let password: Password
        do {
            password = try Password(plaintext, policy: policy)
        } catch {
            throw ValidationError("\(error)")
        }
        let url = try options.resolvedDatabaseURL(variables: ["DATABASE_URL"], in: environment)
        let pool = try PostgresPool(
            configuration: .init(connectionString: url, maximumConnections: 1, applicationName: "hotdesk create-admin"),
            logger: logger)
        defer { pool.close() }
        let operations = Operations(pool: pool, changes: nil, passwordPolicy: policy, logger: logger)
        do {
            try operations.accounts.createFromCommandLine(
                organization: organization, email: address, displayName: name, role: accountRole, password: password)
        } catch OperationError.invalid(let problem) {
            throw ValidationError("\(problem.message) (\(address.normalized))")
        }
        print("Created \(accountRole.rawValue) \(address.normalized) in organization \"\(organization)\".")
        if generatePassword { print("Password (shown once): \(password.plaintext)") }
    }
}

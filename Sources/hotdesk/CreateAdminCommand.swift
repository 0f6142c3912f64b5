import ArgumentParser
import Foundation
import HotDesk
import PostgresClient
import WebServer

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

    @Option(help: ArgumentHelp(
        "Folder holding common-passwords.txt. Env: HOTDESK_RESOURCES. Default: ./Resources.", valueName: "folder"))
    var resources: String?

    @Flag(help: "Generate a random password and print it once instead of reading one from standard input.")
    var generatePassword = false

    func run() throws {
        let logger = LogSetup.bootstrap(level: try options.resolvedLogLevel())
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
        let folder = Setting.value(resources, environment: "HOTDESK_RESOURCES") ?? "Resources"
        guard let list = FileManager.default.contents(atPath: folder + "/common-passwords.txt") else {
            throw ValidationError("\(folder)/common-passwords.txt is missing: pass --resources.")
        }
        let policy = PasswordPolicy(
            commonPasswords: Set(String(decoding: list, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.lowercased() }.filter { !$0.hasPrefix("#") }))
        let plaintext = generatePassword ? Secrets.randomToken(byteCount: 15) : (readLine(strippingNewline: true) ?? "")
        let password: Password
        do {
            password = try Password(plaintext, policy: policy)
        } catch {
            throw ValidationError("\(error)")
        }
        let hash = try PasswordHasher(maximumConcurrent: 1).hash(password.plaintext)
        let url = try options.resolvedDatabaseURL(environment: ["DATABASE_URL"])
        let pool = try PostgresPool(configuration: .init(connectionString: url, maximumConnections: 1), logger: logger)
        defer { pool.close() }
        try pool.withTransaction { connection in
            let organizationID = try OrganizationStore().findOrCreate(name: organization, on: connection)
            let accounts = AccountStore(sessions: SessionStore())
            do {
                _ = try accounts.create(
                    NewAccount(email: address, displayName: name, role: accountRole, passwordHash: hash, installIDs: []),
                    organizationID: organizationID,
                    context: AuditContext(requestID: "create-admin", actor: nil, sourceAddress: nil), on: connection)
            } catch AccountError.emailTaken {
                throw ValidationError("An account with the address \(address.normalized) already exists.")
            }
        }
        print("Created \(accountRole.rawValue) \(address.normalized) in organization \"\(organization)\".")
        if generatePassword { print("Password (shown once): \(password.plaintext)") }
    }
}

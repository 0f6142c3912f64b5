import ArgumentParser

/// The `hotdesk` executable: one binary for the portal and its maintenance tasks.
@main
struct HotDeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotdesk",
        abstract: "HotDesk: PBX hot desking portal (Telephony Settings, users, PINs, trusted IPs).",
        discussion: """
            Every option can also be set in the environment (named in each option's help); a flag wins over \
            the environment, which wins over the default. `hotdesk serve` connects as the portal's runtime \
            role; `hotdesk migrate` connects as the role that owns the schema.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, CreateAdminCommand.self, CreateAPIKeyCommand.self,
            RegistrarRoleCommand.self,
        ]
    )
}

import ArgumentParser
import Foundation
import Logging

/// Options shared by every subcommand that talks to the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL to use: a postgres:// URL or a libpq key=value string. Env: DATABASE_URL.",
            valueName: "url"))
    var databaseURL: String?

    @Option(
        name: .customLong("migrations"),
        help: ArgumentHelp(
            "Folder of numbered SQL migrations. Env: HOTDESK_MIGRATIONS. Default: ./migrations.", valueName: "folder"))
    var migrationsFolder: String?

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical. Env: HOTDESK_LOG_LEVEL. Default: info.",
            valueName: "level"))
    var logLevel: String?

    /// The database URL, from the flag or the environment; a clear error when neither is set.
    func resolvedDatabaseURL(environment names: [String]) throws -> String {
        var value = databaseURL
        for name in names where value == nil { value = Setting.value(nil, environment: name) }
        guard let value else {
            throw ValidationError(
                "No database given: pass --database-url or set \(names.joined(separator: " or ")). "
                    + "`make run` starts a private PostgreSQL and sets it for you.")
        }
        return value
    }

    func resolvedMigrationsFolder() -> String {
        Setting.value(migrationsFolder, environment: "HOTDESK_MIGRATIONS") ?? "migrations"
    }

    func resolvedLogLevel() throws -> Logger.Level {
        let text = Setting.value(logLevel, environment: "HOTDESK_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("Unknown log level \(text): use trace, debug, info, notice, warning, error or critical.")
        }
        return level
    }
}

/// Sets up swift-log once, for the whole process: lines on standard error at the chosen level.
enum LogSetup {
    static func bootstrap(level: Logger.Level) -> Logger {
        // Each log line's timestamp goes through localtime(), which, with TZ unset, checks /etc/localtime
        // with a stat() every time: a system call per access-log line. Naming the same zone explicitly keeps
        // local time and reads the file once.
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 1) }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "hotdesk")
        logger.logLevel = level
        return logger
    }
}

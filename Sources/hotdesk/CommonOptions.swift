import ArgumentParser
import Foundation
import Logging

/// The settings every subcommand that talks to the database shares.
enum CommonSettings {
    /// Where PostgreSQL is. Each command names the variables it reads (`hotdesk migrate` prefers the owner's).
    static func databaseURL(variables: [String] = ["DATABASE_URL"]) -> Setting<String> {
        .text(
            "database-url", variables, valueName: "url",
            summary: "PostgreSQL to use: a postgres:// URL or a libpq key=value string.", default: nil)
    }

    /// The numbered SQL files.
    static let migrations = Setting<String>.text(
        "migrations", ["HOTDESK_MIGRATIONS"], valueName: "folder", summary: "Folder of numbered SQL migrations.",
        default: "./migrations")

    /// The folder with the templates, static files and the common-password list.
    static let resources = Setting<String>.text(
        "resources", ["HOTDESK_RESOURCES"], valueName: "folder",
        summary: "Folder holding templates/, static/ and common-passwords.txt.", default: "./Resources")

    /// The lowest level logged.
    static let logLevel = Setting<Logger.Level>(
        flag: "log-level", variables: ["HOTDESK_LOG_LEVEL"], valueName: "level",
        summary: "trace, debug, info, notice, warning, error or critical.", default: .info,
        expectation: "one of trace, debug, info, notice, warning, error or critical"
    ) { Logger.Level(rawValue: $0.lowercased()) }

    /// How log lines are written.
    static let logFormat = Setting<LogFormat>(
        flag: "log-format", variables: ["HOTDESK_LOG_FORMAT"], valueName: "format",
        summary: "text (for people) or json (one JSON object per line: timestamp, level, message, request_id, "
            + "metadata; for log shippers).", default: .text, expectation: "text or json"
    ) { LogFormat(rawValue: $0.lowercased()) }
}

/// Options shared by every subcommand that talks to the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: CommonSettings.databaseURL().help)
    var databaseURL: String?

    @Option(name: .customLong("migrations"), help: CommonSettings.migrations.help)
    var migrationsFolder: String?

    @Option(name: .customLong("log-level"), help: CommonSettings.logLevel.help)
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: CommonSettings.logFormat.help)
    var logFormat: String?

    /// The database URL, from the flag or the first of `variables` set; a clear error when none is.
    func resolvedDatabaseURL(variables: [String], in environment: [String: String]) throws -> String {
        guard let url = try CommonSettings.databaseURL(variables: variables).value(flag: databaseURL, in: environment)
        else {
            throw ValidationError(
                "No database given: pass --database-url or set \(variables.joined(separator: " or ")). "
                    + "`make run` starts a private PostgreSQL and sets it for you.")
        }
        return url
    }

    /// The migrations folder.
    func resolvedMigrationsFolder(in environment: [String: String]) throws -> String {
        try CommonSettings.migrations.resolved(flag: migrationsFolder, in: environment)
    }

    /// The log level and format.
    func resolvedLogging(in environment: [String: String]) throws -> LogSetup {
        LogSetup(
            level: try CommonSettings.logLevel.resolved(flag: logLevel, in: environment),
            format: try CommonSettings.logFormat.resolved(flag: logFormat, in: environment))
    }
}

/// How the process logs, and the one place that sets up swift-log: lines on standard error at the chosen level,
/// as text or as JSON.
struct LogSetup: Sendable, Equatable {
    var level: Logger.Level
    var format: LogFormat

    /// Bootstraps swift-log (once per process) and returns the program's logger.
    func bootstrap() -> Logger {
        // Each log line's timestamp goes through localtime(), which, with TZ unset, checks /etc/localtime
        // with a stat() every time: a system call per access-log line. Naming the same zone explicitly keeps
        // local time and reads the file once.
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 1) }
        let level = level
        switch format {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: "hotdesk")
        logger.logLevel = level
        return logger
    }
}

/// The process's environment, read in one place and handed to the settings.
enum ProcessEnvironment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }
}

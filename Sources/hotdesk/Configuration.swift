import Foundation
import Logging
import Portal

/// Everything the executable reads from flags and the environment, read once and handed down.
///
/// Nothing else in the program reads the environment: libraries receive the values they need.
struct Configuration: Sendable {
    /// Where PostgreSQL is: a `postgres://` URL or a libpq `key=value` string.
    var databaseURL: String
    /// The folder with `templates/` and `static/`.
    var resourcesFolder: String
    /// The folder with the numbered SQL files.
    var migrationsFolder: String
    /// Address and port the portal listens on.
    var listen: ListenAddress
    /// HTTP worker threads.
    var threads: Int
    /// Most database connections open at once.
    var poolSize: Int
    /// Longest wait for a free database connection before answering 503.
    var poolTimeout: Duration
    /// Longest a statement may run or wait for a lock before it is cancelled (and the request answered 503).
    var statementTimeout: Duration
    /// Seconds a connection may stay idle or trickle a request before it is closed.
    var connectionTimeoutSeconds: Int
    /// The lowest level logged.
    var logLevel: Logger.Level
    /// Public URL, session timeouts and sign-in limits.
    var portal: PortalSettings
}

/// A host and port to listen on, parsed from `HOST:PORT` (IPv6 as `[::1]:8080`).
struct ListenAddress: Sendable, CustomStringConvertible {
    let host: String
    let port: UInt16

    init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, portPart.allSatisfy(\.isASCII), let port = UInt16(portPart) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Where a configuration value came from, so that an error can name the flag or variable to fix.
enum Setting {
    /// The flag's value, else the environment variable's, else `nil`.
    static func value(_ flag: String?, environment name: String) -> String? {
        if let flag { return flag }
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

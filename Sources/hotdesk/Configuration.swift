import ArgumentParser
import Foundation
import HotDesk
import Logging
import Portal
import PostgresClient
import WebServer

/// Everything `hotdesk serve` reads from flags and the environment, read once and handed down.
///
/// Nothing else in the program reads the environment: libraries receive the values they need.
struct Configuration: Sendable {
    /// Where PostgreSQL is: a `postgres://` URL or a libpq `key=value` string.
    var databaseURL: String
    /// The folder with `templates/`, `static/` and `common-passwords.txt`.
    var resourcesFolder: String
    /// The folder with the numbered SQL files.
    var migrationsFolder: String
    /// Address and port the portal listens on.
    var listen: ListenAddress
    /// HTTP handler threads.
    var threads: Int
    /// Most database connections open at once.
    var poolSize: Int
    /// Longest wait for a free database connection before answering 503.
    var poolTimeout: Duration
    /// Longest a statement may run or wait for a lock before it is cancelled (and the request answered 503).
    var statementTimeout: Duration
    /// Seconds a connection may stay idle or trickle a request before it is closed.
    var connectionTimeoutSeconds: Int
    /// Recent reads kept in memory; 0 keeps none.
    var readCacheEntries: Int
    /// The lowest level logged, and text or JSON lines.
    var logging: LogSetup
    /// The reverse proxies whose forwarding headers name the client.
    var trustedProxies: TrustedProxies
    /// The PEM certificate and key files to serve HTTPS with; nil serves plain HTTP.
    var tls: (certificateFile: String, keyFile: String)?
    /// Where `/metrics` is served, if anywhere.
    var metricsListener: MetricsListener
    /// A file holding the bearer token `/metrics` requires; nil requires none.
    var metricsTokenFile: String?
    /// The public URL, which sets the cookies' names and the expected origin.
    var portal: PortalSettings
    /// Session timeouts and sign-in limits.
    var operations: OperationSettings
}

/// The settings of `hotdesk serve`, each declared once with its default (taken from the library that uses it,
/// where that library has one).
enum ServeSettings {
    private static let server = HTTPServer.Configuration()
    private static let pool = PostgresPool.Configuration(connectionString: "")
    private static let domain = OperationSettings()

    /// Database connections per handler thread, by default.
    static let connectionsPerThread = 2
    /// The most connections the default pool size asks for.
    static let defaultPoolCeiling = 20

    static let listen = Setting<ListenAddress>(
        flag: "listen", variables: ["HOTDESK_LISTEN"], valueName: "host:port",
        summary: "Address and port to listen on, HOST:PORT ([::1]:8080 for IPv6).",
        default: ListenAddress(host: server.host, port: server.port), expectation: "HOST:PORT, e.g. 127.0.0.1:8080",
        parse: ListenAddress.init)
    static let threads = Setting<Int>.positive(
        "threads", "HOTDESK_THREADS", summary: "HTTP handler threads.", default: nil,
        defaultText: "\(HTTPServer.Configuration.threadsPerCore) per CPU core")
    static let poolSize = Setting<Int>.positive(
        "pool-size", "HOTDESK_DB_POOL_SIZE", summary: "Most database connections open at once.", default: nil,
        defaultText: "\(connectionsPerThread) per HTTP thread, at most \(defaultPoolCeiling)")
    static let poolTimeout = Setting<Duration>.seconds(
        "pool-timeout", "HOTDESK_DB_POOL_TIMEOUT",
        summary:
            "Seconds a request waits for a free database connection, or for a handler thread, before it gets a 503.",
        default: pool.acquireTimeout)
    static let statementTimeout = Setting<Duration>.seconds(
        "statement-timeout", "HOTDESK_DB_STATEMENT_TIMEOUT",
        summary: "Seconds a database statement may run (or wait for a lock) before it is cancelled and the request "
            + "gets a 503.",
        default: .seconds(10))
    static let connectionTimeout = Setting<Int>.positive(
        "connection-timeout", "HOTDESK_CONNECTION_TIMEOUT",
        summary: "Seconds an HTTP connection may sit idle or trickle its request before it is closed.",
        default: server.connectionTimeoutSeconds)
    static let publicURL = Setting<String>(
        flag: "public-url", variables: ["HOTDESK_PUBLIC_URL"], valueName: "url",
        summary: "The portal's public URL, e.g. https://hotdesk.example.com. Requests that change data must come "
            + "from this origin; an https URL makes cookies Secure with the __Host- prefix.",
        default: nil, defaultText: "none (the request's Host over http, for development)",
        expectation: "a URL starting with http:// or https://"
    ) { text in text.hasPrefix("http://") || text.hasPrefix("https://") ? text : nil }
    static let apiRateLimit = Setting<Int>.positive(
        "api-rate-limit", "HOTDESK_API_RATE_LIMIT",
        summary: "Requests one API key may make per minute on this instance; more are answered 429 with Retry-After.",
        default: PortalSettings().apiRequestsPerMinute)
    static let sessionIdleTimeout = Setting<Duration>.whole(
        "session-idle-timeout", "HOTDESK_SESSION_IDLE_MINUTES", unit: .seconds(60), unitName: "minutes",
        summary: "Minutes without a request before a session ends.", default: domain.sessionIdleTimeout)
    static let sessionAbsoluteTimeout = Setting<Duration>.whole(
        "session-absolute-timeout", "HOTDESK_SESSION_ABSOLUTE_HOURS", unit: .seconds(3600), unitName: "hours",
        summary: "Hours after sign-in before a session ends however active.", default: domain.sessionAbsoluteTimeout)
    static let trustedProxies = Setting<TrustedProxies>(
        flag: "trusted-proxies", variables: ["HOTDESK_TRUSTED_PROXIES"], valueName: "ranges",
        summary: "Reverse proxies in front of the portal (nginx, HAProxy), as IPv4/IPv6 CIDR ranges separated by "
            + "commas. Only from these peers are Forwarded and X-Forwarded-For/-Proto believed: the client is the "
            + "right-most address that is not a trusted proxy.",
        default: TrustedProxies(), defaultText: "none (the forwarding headers are ignored)",
        expectation: "IPv4/IPv6 CIDR ranges separated by commas, e.g. 127.0.0.1/32,10.0.0.0/8 (host bits zero)",
        parse: TrustedProxies.init(parsing:))
    static let tlsCertificate = Setting<String>.text(
        "tls-certificate", ["HOTDESK_TLS_CERTIFICATE"], valueName: "file",
        summary: "PEM certificate (chain) to serve HTTPS with, read at start-up; needs --tls-key. TLS 1.2 or newer "
            + "only; responses carry Strict-Transport-Security.", default: nil)
    static let tlsKey = Setting<String>.text(
        "tls-key", ["HOTDESK_TLS_KEY"], valueName: "file",
        summary: "PEM private key (unencrypted) of --tls-certificate.", default: nil)
    static let metricsListen = Setting<MetricsListener>(
        flag: "metrics-listen", variables: ["HOTDESK_METRICS_LISTEN"], valueName: "host:port",
        summary: "Where Prometheus scrapes /metrics, HOST:PORT (a listener of its own, not the portal's), or off.",
        default: .on(ListenAddress(host: "127.0.0.1", port: 9464)), expectation: "HOST:PORT or off",
        parse: MetricsListener.init)
    static let metricsTokenFile = Setting<String>.text(
        "metrics-token-file", ["HOTDESK_METRICS_TOKEN_FILE"], valueName: "file",
        summary: "A file holding a token that /metrics then requires as Authorization: Bearer (for a metrics "
            + "listener off loopback).", default: nil)
    static let readCacheEntries = Setting<Int>(
        flag: "read-cache-entries", variables: ["HOTDESK_READ_CACHE_ENTRIES"], valueName: "count",
        summary: "Recent reads (sessions, Users and Trusted IPs tab pages) kept in memory; a change drops the reads "
            + "of what it touched, whether it came from this portal or from elsewhere (heard through PostgreSQL "
            + "notifications). 0 turns the cache off. A Users tab page takes about 20 KB.",
        default: 2000, expectation: "a whole number, 0 or more"
    ) { text in Int(text).flatMap { $0 >= 0 ? $0 : nil } }

    /// The configuration the flags (`command`) and `environment` give, with the defaults for the rest.
    ///
    /// - Throws: a `ValidationError` naming the flag or variable whose value cannot be used.
    static func resolve(_ command: ServeCommand, environment: [String: String]) throws -> Configuration {
        let threads = try threads.value(flag: command.threads, in: environment) ?? server.threadCount
        var portal = PortalSettings()
        portal.publicURL = try publicURL.value(flag: command.publicURL, in: environment)
        portal.apiRequestsPerMinute = try apiRateLimit.resolved(flag: command.apiRateLimit, in: environment)
        var operations = OperationSettings()
        operations.sessionIdleTimeout = try sessionIdleTimeout.resolved(
            flag: command.sessionIdleMinutes, in: environment)
        operations.sessionAbsoluteTimeout = try sessionAbsoluteTimeout.resolved(
            flag: command.sessionAbsoluteHours, in: environment)
        operations.concurrentPasswordHashes = HTTPServer.Configuration.activeCoreCount
        let options = command.options
        let certificate = try tlsCertificate.value(flag: command.tlsCertificate, in: environment)
        let key = try tlsKey.value(flag: command.tlsKey, in: environment)
        guard (certificate == nil) == (key == nil) else {
            throw ValidationError(
                "--tls-certificate/HOTDESK_TLS_CERTIFICATE and --tls-key/HOTDESK_TLS_KEY go together: give both "
                    + "to serve HTTPS, or neither.")
        }
        if certificate != nil, let url = portal.publicURL, !url.lowercased().hasPrefix("https://") {
            throw ValidationError(
                "The portal serves HTTPS (--tls-certificate), so --public-url/HOTDESK_PUBLIC_URL must start with "
                    + "https:// (got \(url)).")
        }
        return Configuration(
            databaseURL: try options.resolvedDatabaseURL(variables: ["DATABASE_URL"], in: environment),
            resourcesFolder: try CommonSettings.resources.resolved(flag: command.resources, in: environment),
            migrationsFolder: try options.resolvedMigrationsFolder(in: environment),
            listen: try listen.resolved(flag: command.listen, in: environment),
            threads: threads,
            poolSize: try poolSize.value(flag: command.poolSize, in: environment)
                ?? min(defaultPoolCeiling, connectionsPerThread * threads),
            poolTimeout: try poolTimeout.resolved(flag: command.poolTimeout, in: environment),
            statementTimeout: try statementTimeout.resolved(flag: command.statementTimeout, in: environment),
            connectionTimeoutSeconds: try connectionTimeout.resolved(flag: command.connectionTimeout, in: environment),
            readCacheEntries: try readCacheEntries.resolved(flag: command.readCacheEntries, in: environment),
            logging: try options.resolvedLogging(in: environment),
            trustedProxies: try trustedProxies.resolved(flag: command.trustedProxies, in: environment),
            tls: certificate.flatMap { certificate in key.map { (certificate, $0) } },
            metricsListener: try metricsListen.resolved(flag: command.metricsListen, in: environment),
            metricsTokenFile: try metricsTokenFile.value(flag: command.metricsTokenFile, in: environment),
            portal: portal,
            operations: operations)
    }
}

/// A host and port to listen on, parsed from `HOST:PORT` (IPv6 as `[::1]:8080`).
struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    let host: String
    let port: UInt16

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

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

/// Where `/metrics` is served: on its own listener, or not at all.
enum MetricsListener: Sendable, Equatable, CustomStringConvertible {
    case off
    case on(ListenAddress)

    init?(_ text: String) {
        if text.lowercased() == "off" {
            self = .off
        } else if let address = ListenAddress(text) {
            self = .on(address)
        } else {
            return nil
        }
    }

    var description: String {
        switch self {
        case .off: "off"
        case .on(let address): address.description
        }
    }
}

import ArgumentParser
import Testing

@testable import hotdesk

@Suite("hotdesk serve's configuration: flag over environment over default, each default written once")
struct ServeConfigurationTests {
    private let database = ["DATABASE_URL": "postgres://hotdesk@localhost/hotdesk"]

    private func resolve(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Configuration {
        try ServeSettings.resolve(ServeCommand.parse(arguments), environment: database.merging(environment) { $1 })
    }

    /// The message a refused configuration gives.
    private func refusal(_ arguments: [String], _ environment: [String: String] = [:]) -> String? {
        do {
            _ = try resolve(arguments, environment)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("with nothing set, every setting has its documented default")
    func defaults() throws {
        let configuration = try resolve([])
        #expect(configuration.listen == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(configuration.resourcesFolder == "./Resources")
        #expect(configuration.migrationsFolder == "./migrations")
        #expect(configuration.poolTimeout == .seconds(5))
        #expect(configuration.statementTimeout == .seconds(10))
        #expect(configuration.connectionTimeoutSeconds == 15)
        #expect(configuration.readCacheEntries == 2000)
        #expect(configuration.logging == LogSetup(level: .info, format: .text))
        #expect(configuration.trustedProxies.ranges.isEmpty)
        #expect(configuration.tls == nil)
        #expect(configuration.metricsListener == .on(ListenAddress(host: "127.0.0.1", port: 9464)))
        #expect(configuration.metricsTokenFile == nil)
        #expect(configuration.portal.publicURL == nil)
        #expect(configuration.portal.apiRequestsPerMinute == 600)
        #expect(configuration.operations.sessionIdleTimeout == .seconds(30 * 60))
        #expect(configuration.operations.sessionAbsoluteTimeout == .seconds(12 * 3600))
        #expect(configuration.poolSize == min(20, 2 * configuration.threads))
    }

    @Test("a flag wins over the environment, which wins over the default")
    func precedence() throws {
        let environment = [
            "HOTDESK_DB_POOL_SIZE": "7", "HOTDESK_THREADS": "5", "HOTDESK_DB_POOL_TIMEOUT": "2.5",
            "HOTDESK_SESSION_IDLE_MINUTES": "45", "HOTDESK_LOG_LEVEL": "DEBUG", "HOTDESK_LISTEN": "[::1]:9000",
        ]
        let fromEnvironment = try resolve([], environment)
        #expect(fromEnvironment.poolSize == 7)
        #expect(fromEnvironment.threads == 5)
        #expect(fromEnvironment.poolTimeout == .milliseconds(2500))
        #expect(fromEnvironment.operations.sessionIdleTimeout == .seconds(45 * 60))
        #expect(fromEnvironment.logging.level == .debug)
        #expect(fromEnvironment.listen == ListenAddress(host: "::1", port: 9000))
        let fromFlags = try resolve(
            ["--pool-size", "3", "--pool-timeout", "1", "--log-level", "warning", "--listen", "0.0.0.0:8081"],
            environment)
        #expect(fromFlags.poolSize == 3)
        #expect(fromFlags.threads == 5, "the environment still sets what no flag does")
        #expect(fromFlags.poolTimeout == .seconds(1))
        #expect(fromFlags.logging.level == .warning)
        #expect(fromFlags.listen == ListenAddress(host: "0.0.0.0", port: 8081))
        let production = try resolve(
            ["--metrics-listen", "off", "--log-format", "JSON"],
            ["HOTDESK_TRUSTED_PROXIES": "127.0.0.1/32, ::1", "HOTDESK_TLS_CERTIFICATE": "/c", "HOTDESK_TLS_KEY": "/k"])
        #expect(production.trustedProxies.ranges.map(\.description) == ["127.0.0.1/32", "::1/128"])
        #expect(production.tls?.certificateFile == "/c" && production.tls?.keyFile == "/k")
        #expect(production.metricsListener == .off)
        #expect(production.logging.format == .json)
        #expect(try resolve([], ["HOTDESK_THREADS": "3"]).poolSize == 6, "the default pool follows the threads")
        let unset = try resolve([], ["HOTDESK_DB_POOL_SIZE": ""])
        #expect(unset.poolSize == min(20, 2 * unset.threads), "an empty variable counts as not set")
    }

    @Test("a value that cannot be used is refused with a message naming the flag, the variable and what was given")
    func refusals() {
        #expect(
            refusal(["--pool-size", "0"]) == "--pool-size/HOTDESK_DB_POOL_SIZE must be a whole number above 0 (got 0).")
        #expect(
            refusal([], ["HOTDESK_DB_POOL_TIMEOUT": "soon"])
                == "--pool-timeout/HOTDESK_DB_POOL_TIMEOUT must be a number of seconds above 0 (got soon).")
        #expect(refusal(["--statement-timeout=-1"])?.contains("must be a number of seconds above 0") == true)
        #expect(refusal(["--listen", "8080"])?.contains("must be HOST:PORT") == true)
        #expect(
            refusal(["--public-url", "ftp://x"])?.contains("must be a URL starting with http:// or https://") == true)
        #expect(
            refusal(["--read-cache-entries=-1"])
                == "--read-cache-entries/HOTDESK_READ_CACHE_ENTRIES must be a whole number, 0 or more (got -1).")
        #expect(
            refusal(["--log-level", "loud"])?.contains("--log-level/HOTDESK_LOG_LEVEL must be one of trace") == true)
        #expect(
            refusal([], ["HOTDESK_SESSION_ABSOLUTE_HOURS": "1.5"])?.contains("a whole number of hours above 0") == true)
        #expect(
            refusal(["--trusted-proxies", "10.0.0.1/8"])?.hasPrefix(
                "--trusted-proxies/HOTDESK_TRUSTED_PROXIES must be IPv4/IPv6 CIDR ranges") == true)
        #expect(refusal(["--tls-key", "/k.pem"])?.contains("go together") == true)
        #expect(refusal(["--metrics-listen", "9464"])?.contains("must be HOST:PORT or off") == true)
        #expect(refusal(["--log-format", "xml"])?.contains("must be text or json") == true)
        do {
            _ = try ServeSettings.resolve(ServeCommand.parse([]), environment: [:])
            Issue.record("no database URL was accepted")
        } catch {
            #expect("\(error)".hasPrefix("No database given: pass --database-url or set DATABASE_URL."))
        }
    }

    @Test("--help states each default from the setting it documents")
    func helpStatesTheDefaults() {
        let help = ServeCommand.helpMessage(columns: 1000)
        #expect(help.contains("Env: HOTDESK_DB_POOL_TIMEOUT. Default: 5."))
        #expect(help.contains("Env: HOTDESK_DB_STATEMENT_TIMEOUT. Default: 10."))
        #expect(help.contains("Env: HOTDESK_SESSION_IDLE_MINUTES. Default: 30."))
        #expect(help.contains("Env: HOTDESK_SESSION_ABSOLUTE_HOURS. Default: 12."))
        #expect(help.contains("Env: HOTDESK_READ_CACHE_ENTRIES. Default: 2000."))
        #expect(help.contains("Env: HOTDESK_LISTEN. Default: 127.0.0.1:8080."))
        #expect(help.contains("Env: HOTDESK_THREADS. Default: 4 per CPU core."))
        #expect(help.contains("Default: 2 per HTTP thread, at most 20."))
    }
}

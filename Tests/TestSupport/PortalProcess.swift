import Foundation
import Glibc

/// A real `hotdesk serve` process (the binary `swift build` made) on a free port of 127.0.0.1, connected
/// to a private cluster; its log goes to a file. Killed (whole process group) on deinit.
public final class PortalProcess {
    /// The portal's port on 127.0.0.1.
    public let port: UInt16
    /// Where its output goes.
    public let logPath: String
    private let arguments: [String]
    private var process: ChildProcess

    /// The `hotdesk` executable beside the test bundle (both are build products of `swift build --build-tests`).
    public static let executable: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("hotdesk").path
        return FileManager.default.isExecutableFile(atPath: beside)
            ? beside : TestPostgres.repositoryRoot + "/.build/debug/hotdesk"
    }()

    /// Its `/metrics` listener's port on 127.0.0.1 (a free port of its own, so portals never collide).
    public let metricsPort: UInt16
    /// True when `options` make it serve HTTPS.
    private let servesTLS: Bool

    /// Starts the portal on `cluster` (through `databaseURL` when given, such as a pooler's) with `options` added to
    /// the fixed ones (which give it a port and a metrics port of its own), and waits until `/healthz` answers 200
    /// (over TLS: until it logs that it listens).
    public init(cluster: PrivateCluster, databaseURL: String? = nil, options: [String] = []) throws {
        port = try FreePort.tcp()
        metricsPort = try FreePort.tcp()
        logPath = cluster.folder + "/portal-\(port).log"
        servesTLS = options.contains("--tls-certificate")
        arguments =
            Self.fixedArguments(
                cluster: cluster, databaseURL: databaseURL, port: port, metricsPort: metricsPort) + options
        process = try ChildProcess(Self.executable, arguments, outputPath: logPath)
        try waitUntilHealthy()
    }

    /// Runs `hotdesk serve` with `options` (through `databaseURL` when given) expecting it to refuse to start;
    /// returns its exit status and output.
    public static func startupFailure(
        cluster: PrivateCluster, databaseURL: String? = nil, options: [String]
    ) throws -> (status: Int32, log: String) {
        let port = try FreePort.tcp()
        let logPath = cluster.folder + "/refused-\(port).log"
        let arguments = fixedArguments(
            cluster: cluster, databaseURL: databaseURL, port: port, metricsPort: try FreePort.tcp())
        let child = try ChildProcess(executable, arguments + options, outputPath: logPath)
        let deadline = Date(timeIntervalSinceNow: 30)
        while child.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if child.isRunning { child.stop() }
        return (child.wait(), (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    private static func fixedArguments(
        cluster: PrivateCluster, databaseURL: String?, port: UInt16, metricsPort: UInt16
    ) -> [String] {
        let root = TestPostgres.repositoryRoot
        return [
            "serve", "--database-url", databaseURL ?? cluster.url(role: "hotdesk_app"), "--listen", "127.0.0.1:\(port)",
            "--resources", root + "/Resources", "--migrations", root + "/migrations", "--log-level", "info",
            "--metrics-listen", "127.0.0.1:\(metricsPort)",
        ]
    }

    deinit {
        process.stop()
    }

    /// Kills the portal with SIGKILL, as a crash or the OOM killer would: no shutdown code runs.
    public func kill() {
        process.stop()
    }

    /// Starts the portal again, on the same port and with the same options, after ``kill()``.
    public func restart() throws {
        process.stop()
        process = try ChildProcess(Self.executable, arguments, outputPath: logPath)
        try waitUntilHealthy()
    }

    /// True while the process runs (it has not crashed).
    public var isRunning: Bool { process.isRunning }

    /// What the portal logged so far.
    public func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    private func waitUntilHealthy() throws {
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            guard process.isRunning else { throw ProcessTestError.portalDidNotStart(log()) }
            // Over TLS the raw client cannot ask /healthz; the line the portal logs once it listens says enough.
            if servesTLS {
                if log().contains("HotDesk listening on https://") { return }
            } else if let response = try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/healthz")),
                response.statusCode == 200
            {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ProcessTestError.portalDidNotStart(log())
    }
}

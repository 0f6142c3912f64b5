import Foundation
import Glibc
import TestSupport

/// A real `hotdesk serve` process (the binary `swift build` made) on a free port of 127.0.0.1, connected
/// to a private cluster; its log goes to a file. Killed (whole process group) on deinit.
final class PortalProcess {
    let port: UInt16
    let logPath: String
    private let arguments: [String]
    private var process: ChildProcess

    /// The `hotdesk` executable beside the test bundle (both are build products of `swift build --build-tests`).
    static let executable: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("hotdesk").path
        return FileManager.default.isExecutableFile(atPath: beside)
            ? beside : TestPostgres.repositoryRoot + "/.build/debug/hotdesk"
    }()

    /// Starts the portal with `options` (e.g. `--pool-size 2`) added to the fixed ones, and waits until
    /// `/healthz` answers 200.
    init(cluster: PrivateCluster, options: [String] = []) throws {
        port = try FreePort.tcp()
        logPath = cluster.folder + "/portal-\(port).log"
        let root = TestPostgres.repositoryRoot
        arguments =
            [
                "serve", "--database-url", cluster.url(role: "hotdesk_app"), "--listen", "127.0.0.1:\(port)",
                "--resources", root + "/Resources", "--migrations", root + "/migrations", "--log-level", "info",
            ] + options
        process = try ChildProcess(Self.executable, arguments, outputPath: logPath)
        try waitUntilHealthy()
    }

    deinit {
        process.stop()
    }

    /// Kills the portal with SIGKILL, as a crash or the OOM killer would: no shutdown code runs.
    func kill() {
        process.stop()
    }

    /// Starts the portal again, on the same port and with the same options, after ``kill()``.
    func restart() throws {
        process.stop()
        process = try ChildProcess(Self.executable, arguments, outputPath: logPath)
        try waitUntilHealthy()
    }

    /// True while the process runs (it has not crashed).
    var isRunning: Bool { process.isRunning }

    /// What the portal logged so far.
    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    private func waitUntilHealthy() throws {
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            guard process.isRunning else { throw ResilienceTestError.portalDidNotStart(log()) }
            if let response = try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/healthz")),
                response.statusCode == 200
            {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ResilienceTestError.portalDidNotStart(log())
    }
}

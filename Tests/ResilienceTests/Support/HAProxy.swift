import Foundation
import TestSupport

/// A real HAProxy (Debian's package) on 127.0.0.1 balancing over portals, with the configuration the README
/// shows (`docs/haproxy-hotdesk.cfg`), its address and servers filled in.
final class HAProxy {
    let port: UInt16
    private let statisticsPort: UInt16
    private let process: ChildProcess
    private let folder: String

    /// Starts HAProxy on a free port over the portals on `portalPorts` (its statistics, which say what each health
    /// check found, on a second one), and waits until it has found every portal up.
    init(folder: String, portalPorts: [UInt16]) throws {
        let port = try FreePort.tcp()
        self.port = port
        statisticsPort = try FreePort.tcp()
        self.folder = folder
        let example = try String(
            contentsOfFile: TestPostgres.repositoryRoot + "/docs/haproxy-hotdesk.cfg", encoding: .utf8)
        let servers = portalPorts.enumerated().map { "    server portal-\($0.offset) 127.0.0.1:\($0.element) check" }
        let configuration =
            example.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("    server portal-") }
            .map { $0.hasPrefix("    bind ") ? "    bind 127.0.0.1:\(port)" : $0 }
            .joined(separator: "\n")
            + servers.joined(separator: "\n")
            + "\n\nlisten statistics\n    bind 127.0.0.1:\(statisticsPort)\n    stats enable\n    stats uri /stats\n"
        let path = folder + "/haproxy-\(port).cfg"
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        process = try ChildProcess(
            "/usr/sbin/haproxy", ["-db", "-f", path], outputPath: folder + "/haproxy-\(port).out")
        let deadline = Date(timeIntervalSinceNow: 15)
        while Date() < deadline {
            guard process.isRunning else { break }
            if serversUp() == portalPorts.count { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ProcessTestError.commandFailed("HAProxy did not find its portals up: \(output())")
    }

    deinit {
        process.stop()
    }

    /// How many portals HAProxy counts as up, from its statistics (CSV: one line per server, `status` UP or DOWN).
    func serversUp() -> Int {
        guard
            let response = try? RawHTTPClient.exchange(
                port: statisticsPort, RawHTTPClient.request("GET", "/stats;csv")),
            response.statusCode == 200
        else { return 0 }
        let lines = response.bodyText.split(separator: "\n")
        guard let header = lines.first?.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false),
            let status = header.firstIndex(of: "status")
        else { return 0 }
        var up = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > status, fields[0] == "portals", fields[1].hasPrefix("portal-") else { continue }
            if fields[status] == "UP" { up += 1 }
        }
        return up
    }

    /// What HAProxy printed so far (its warnings and alerts).
    func output() -> String {
        (try? String(contentsOfFile: folder + "/haproxy-\(port).out", encoding: .utf8)) ?? ""
    }
}

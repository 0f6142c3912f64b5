import Foundation
import TestSupport

/// A real nginx (Debian's package) on 127.0.0.1 in front of a portal: a reverse proxy as operators run it,
/// with the configuration the README shows (`docs/nginx-hotdesk.conf`), its address and upstream filled in.
final class Nginx {
    let port: UInt16
    private let process: ChildProcess
    private let prefix: String

    /// Starts nginx on a free port, proxying to the portal on `upstreamPort`.
    init(folder: String, upstreamPort: UInt16) throws {
        port = try FreePort.tcp()
        prefix = folder + "/nginx-\(port)"
        for sub in ["logs", "temp"] {
            try FileManager.default.createDirectory(atPath: prefix + "/" + sub, withIntermediateDirectories: true)
        }
        let example = try String(
            contentsOfFile: TestPostgres.repositoryRoot + "/docs/nginx-hotdesk.conf", encoding: .utf8)
        let site =
            example
            .replacingOccurrences(of: "server 127.0.0.1:8080;", with: "server 127.0.0.1:\(upstreamPort);")
            .replacingOccurrences(of: "listen 443 ssl;", with: "listen 127.0.0.1:\(port);")
            .split(separator: "\n").filter { !$0.contains("ssl_certificate") }.joined(separator: "\n")
        let configuration = """
            daemon off;
            master_process off;
            worker_processes 1;
            error_log \(prefix)/logs/error.log warn;
            pid \(prefix)/nginx.pid;
            events { worker_connections 256; }
            http {
                access_log \(prefix)/logs/access.log;
                client_body_temp_path \(prefix)/temp/body;
                proxy_temp_path \(prefix)/temp/proxy;
                fastcgi_temp_path \(prefix)/temp/fastcgi;
                uwsgi_temp_path \(prefix)/temp/uwsgi;
                scgi_temp_path \(prefix)/temp/scgi;
            \(site)
            }
            """
        try configuration.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
        process = try ChildProcess(
            "/usr/sbin/nginx", ["-p", prefix, "-c", prefix + "/nginx.conf"], outputPath: prefix + "/nginx.out")
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            if (try? RawHTTPClient.exchange(port: port, RawHTTPClient.request("GET", "/healthz"))) != nil { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ProcessTestError.commandFailed(
            "nginx did not start: "
                + ((try? String(contentsOfFile: prefix + "/nginx.out", encoding: .utf8)) ?? "")
                + ((try? String(contentsOfFile: prefix + "/logs/error.log", encoding: .utf8)) ?? ""))
    }

    deinit {
        process.stop()
    }
}

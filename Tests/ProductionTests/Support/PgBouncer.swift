import Foundation
import Glibc
import TestSupport

/// A real PgBouncer (Debian's package) on 127.0.0.1 in front of a private cluster's socket, in one pool mode. It
/// refuses to run as root, so as root it runs as the `postgres` user, in a folder of that user's.
final class PgBouncer {
    let port: UInt16
    /// The portal's connection string through it (PgBouncer logs in to PostgreSQL as `hotdesk_app`).
    let url: String
    private let folder: String
    private let process: ChildProcess

    /// Starts PgBouncer with `pool_mode = mode` ("session" or "transaction") and waits until it accepts
    /// connections.
    init(cluster: PrivateCluster, mode: String) throws {
        port = try FreePort.tcp()
        url = "postgresql://hotdesk_app@127.0.0.1:\(port)/hotdesk"
        folder = NSTemporaryDirectory() + "hotdesk-pgbouncer-\(port)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let configuration = """
            [databases]
            hotdesk = host=\(cluster.socketFolder) port=\(cluster.port) dbname=hotdesk user=hotdesk_app
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = any
            pool_mode = \(mode)
            default_pool_size = 4
            max_client_conn = 100
            logfile = \(folder)/pgbouncer.log
            """
        try configuration.write(toFile: folder + "/pgbouncer.ini", atomically: true, encoding: .utf8)
        var command = ["/usr/sbin/pgbouncer", folder + "/pgbouncer.ini"]
        if getuid() == 0, let postgres = getpwnam("postgres") {
            for path in [folder, folder + "/pgbouncer.ini"] {
                _ = chown(path, postgres.pointee.pw_uid, postgres.pointee.pw_gid)
            }
            command = ["/usr/sbin/runuser", "-u", "postgres", "--"] + command
        }
        process = try ChildProcess(command[0], Array(command.dropFirst()), outputPath: folder + ".out")
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline, process.isRunning {
            if (try? String(contentsOfFile: folder + "/pgbouncer.log", encoding: .utf8))?.contains("process up") == true
            {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ProcessTestError.commandFailed(
            "PgBouncer did not start: " + ((try? String(contentsOfFile: folder + ".out", encoding: .utf8)) ?? "")
                + ((try? String(contentsOfFile: folder + "/pgbouncer.log", encoding: .utf8)) ?? ""))
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.removeItem(atPath: folder + ".out")
    }
}

import Foundation
import PostgresClient

/// A PostgreSQL cluster of a test's own (started with `scripts/postgres-cluster.sh`), so that the fault and
/// production tests can stop and restart it, or run a real `hotdesk serve` on it, without disturbing the shared
/// cluster every other suite uses. It listens on a Unix socket only, lives in `.hotdesk/<purpose>-<id>` (as root in a folder the `postgres` user cannot enter,
/// that folder points to the cluster's home under `/var/lib/postgresql/hotdesk-clusters/`), and is removed on
/// deinit.
public final class PrivateCluster {
    /// The cluster's folder in the checkout.
    public let folder: String
    /// Its Unix socket's folder.
    public let socketFolder: String
    /// Its port: the socket's number, and on 127.0.0.1 too when it listens on TCP.
    public let port: UInt16
    private let startOptions: [String]
    private let script = TestPostgres.repositoryRoot + "/scripts/postgres-cluster.sh"

    /// Creates and starts a cluster in `.hotdesk/<purpose>-<random>` (`scripts/test.sh` removes what a dead test
    /// process left of the `resilience` and `production` ones): listening on 127.0.0.1:`tcpPort` too when given
    /// (password logins, for Kamailio), and as a streaming hot standby of `primary` when given.
    public init(purpose: String = "resilience", tcpPort: UInt16? = nil, standbyOf primary: PrivateCluster? = nil) throws
    {
        folder = TestPostgres.repositoryRoot + "/.hotdesk/\(purpose)-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        socketFolder = try Self.run(script, ["socket", folder], log: folder + "/script.log")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        port = tcpPort ?? 5432
        startOptions =
            ["--throwaway"] + (tcpPort.map { ["--tcp-port", String($0)] } ?? [])
            + (primary.map { ["--standby-of", $0.folder] } ?? [])
        try start()
    }

    /// Stops the cluster and deletes it with the script's `remove`: the folder, the cluster's home when it is
    /// elsewhere, and its socket folder (the removals after it only matter if the script could not run).
    deinit {
        _ = try? Self.run(script, ["remove", folder], log: folder + "/script.log")
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.removeItem(atPath: socketFolder)
    }

    /// Starts the cluster (creating it the first time) and waits until it accepts connections.
    public func start() throws {
        _ = try Self.run(script, ["start", folder] + startOptions, log: folder + "/script.log")
    }

    /// Makes a standby the primary (`pg_ctl promote`), and waits until it accepts writes.
    public func promote() throws {
        _ = try Self.run(script, ["promote", folder], log: folder + "/script.log")
    }

    /// Stops the cluster with a fast shutdown: sessions are terminated, open transactions roll back.
    public func stop() {
        _ = try? Self.run(script, ["stop", folder], log: folder + "/script.log")
    }

    /// A URL for `role` on the `hotdesk` database over the cluster's socket.
    public func url(role: String) -> String {
        "postgresql:///hotdesk?host=\(socketFolder)&port=\(port)&user=\(role)"
    }

    /// A URL for `role` on the `hotdesk` database over the sockets of `clusters`, in that order, connecting to
    /// the first whose server matches `target` (libpq's `target_session_attrs`: `read-write`, `prefer-standby`).
    public static func url(role: String, over clusters: [PrivateCluster], target: String) -> String {
        "postgresql:///hotdesk?host=\(clusters.map(\.socketFolder).joined(separator: ","))"
            + "&port=\(clusters.map { String($0.port) }.joined(separator: ","))&user=\(role)"
            + "&target_session_attrs=\(target)"
    }

    /// A new connection as the superuser, for settings and for reading replication's state.
    public func superuserConnection() throws -> PostgresConnection {
        try PostgresConnection(connectionString: url(role: "postgres"), applicationName: "resilience test")
    }

    /// A new connection as the schema owner, for seeding and for checking what was written.
    public func ownerConnection() throws -> PostgresConnection {
        try PostgresConnection(connectionString: url(role: "hotdesk_owner"), applicationName: "resilience test")
    }

    /// Runs a program to its end and returns its output; a non-zero exit throws with that output.
    @discardableResult
    public static func run(_ path: String, _ arguments: [String], log: String) throws -> String {
        let output = log + ".\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let child = try ChildProcess(path, arguments, outputPath: output)
        let status = child.wait()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        if let handle = FileHandle(forWritingAtPath: log)
            ?? (FileManager.default.createFile(atPath: log, contents: nil)
                ? FileHandle(forWritingAtPath: log) : nil)
        {
            handle.seekToEndOfFile()
            handle.write(Data("$ \(path) \(arguments.joined(separator: " "))\n\(text)".utf8))
            try? handle.close()
        }
        guard status == 0 else { throw ProcessTestError.commandFailed("\(path) \(arguments): \(text)") }
        return text
    }
}

/// Why a test's processes could not be set up.
public enum ProcessTestError: Error {
    /// A command exited non-zero; its output.
    case commandFailed(String)
    /// `hotdesk serve` exited or never became healthy; its log.
    case portalDidNotStart(String)
}

extension PrivateCluster {
    /// Migrates the cluster's database with the real `hotdesk migrate` and creates an organization's first
    /// administrator with `hotdesk create-admin --generate-password`, as an operator would; returns the password.
    public func migrateAndCreateAdministrator(organization: String, email: String) throws -> String {
        let root = TestPostgres.repositoryRoot
        let log = folder + "/seed.log"
        let owner = url(role: "hotdesk_owner")
        try Self.run(
            PortalProcess.executable, ["migrate", "--database-url", owner, "--migrations", root + "/migrations"],
            log: log)
        let created = try Self.run(
            PortalProcess.executable,
            [
                "create-admin", "--database-url", owner, "--resources", root + "/Resources", "--organization",
                organization, "--email", email, "--generate-password",
            ],
            log: log)
        guard let line = created.split(separator: "\n").first(where: { $0.hasPrefix("Password (shown once): ") }) else {
            throw ProcessTestError.commandFailed("create-admin printed no password: \(created)")
        }
        return String(line.dropFirst("Password (shown once): ".count))
    }
}

import Foundation
import PostgresClient
import TestSupport

/// A PostgreSQL cluster of the fault tests' own (started with `scripts/postgres-cluster.sh`), so that they
/// can stop and restart it without disturbing the shared cluster every other suite uses. It listens on a
/// Unix socket only, lives in `.hotdesk/resilience-<id>`, and is stopped and deleted on deinit.
final class PrivateCluster {
    let folder: String
    let socketFolder: String
    private let script = TestPostgres.repositoryRoot + "/scripts/postgres-cluster.sh"

    init() throws {
        folder = TestPostgres.repositoryRoot + "/.hotdesk/resilience-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        socketFolder = try Self.run(script, ["socket", folder], log: folder + "/script.log")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.removeItem(atPath: socketFolder)
    }

    /// Starts the cluster (creating it the first time) and waits until it accepts connections.
    func start() throws {
        _ = try Self.run(script, ["start", folder, "--throwaway"], log: folder + "/script.log")
    }

    /// Stops the cluster with a fast shutdown: sessions are terminated, open transactions roll back.
    func stop() {
        _ = try? Self.run(script, ["stop", folder], log: folder + "/script.log")
    }

    /// A URL for `role` on the `hotdesk` database over the cluster's socket.
    func url(role: String) -> String {
        "postgresql:///hotdesk?host=\(socketFolder)&port=5432&user=\(role)"
    }

    /// A new connection as the schema owner, for seeding and for checking what was written.
    func ownerConnection() throws -> PostgresConnection {
        try PostgresConnection(connectionString: url(role: "hotdesk_owner"), applicationName: "resilience test")
    }

    /// Runs a program to its end and returns its output; a non-zero exit throws with that output.
    @discardableResult
    static func run(_ path: String, _ arguments: [String], log: String) throws -> String {
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
        guard status == 0 else { throw ResilienceTestError.commandFailed("\(path) \(arguments): \(text)") }
        return text
    }
}

/// Why a fault test's set-up failed.
enum ResilienceTestError: Error {
    case commandFailed(String)
    case portalDidNotStart(String)
    case unexpectedPage(String)
}

import Foundation
import Glibc

/// A program the tests start and stop: spawned with `posix_spawn` in a process group of its own, with an
/// empty signal mask (the test runner's threads block some signals, which children would inherit),
/// standard input from /dev/null and output to a file.
///
/// Foundation's `Process` is not used for these: on Linux it reaps children from one thread that waits
/// for a specific child, so a long-running server (Kamailio) keeps a short-lived client's (sipp) exit
/// from ever being noticed.
public final class ChildProcess: @unchecked Sendable {
    /// The child's process id, also its process group id.
    public let pid: pid_t
    private var exitStatus: Int32?

    /// Starts `path` with `arguments`, its output (stdout and stderr) appended to `outputPath`.
    public init(_ path: String, _ arguments: [String], outputPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGCHLD, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        guard status == 0 else { throw ChildProcessError.spawnFailed(path, status) }
        pid = child
    }

    deinit {
        stop()
    }

    /// Waits for the child to exit and returns its exit code (128 + signal when killed).
    @discardableResult
    public func wait() -> Int32 {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus = code
        return code
    }

    /// True while the child has not exited.
    public var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            return false
        }
        return true
    }

    /// Kills the child's whole process group and reaps the child.
    public func stop() {
        guard exitStatus == nil else { return }
        kill(-pid, SIGKILL)
        wait()
    }
}

/// Why a child could not be started.
public enum ChildProcessError: Error {
    case spawnFailed(String, Int32)
}

import Crypto
import Dispatch
import PostgresClient

/// Hashes and verifies portal passwords with argon2id, at most `maximumConcurrent` at a time.
///
/// Each hash takes tens of milliseconds of CPU and `memoryLimit` bytes of memory on purpose; the bound
/// keeps a flood of sign-ins from taking every server thread and all memory, so pages keep loading.
/// A caller that cannot start within `queueTimeout` gets `PasswordHasher.Busy`.
public final class PasswordHasher: Sendable {
    /// Thrown when too many password checks are already running; answer "try again" and let the user retry.
    public struct Busy: Error {}

    /// argon2id iterations (libsodium's `opslimit`).
    public let operations: UInt64
    /// argon2id memory in bytes (libsodium's `memlimit`).
    public let memoryLimit: Int
    private let slots: DispatchSemaphore
    private let queueTimeout: Duration
    /// A real hash of a random password: an unknown email costs the same one verification as a known one.
    private let dummyHash: String

    /// OWASP's argon2id baseline: 2 iterations over 19 MiB (about 20 ms here), one hash per core at a time.
    public init(
        operations: UInt64 = 2, memoryLimit: Int = 19 * 1024 * 1024, maximumConcurrent: Int,
        queueTimeout: Duration = .seconds(10)
    ) {
        self.operations = operations
        self.memoryLimit = memoryLimit
        self.slots = DispatchSemaphore(value: max(1, maximumConcurrent))
        self.queueTimeout = queueTimeout
        self.dummyHash = Argon2id.hash(Secrets.randomToken(), operations: operations, memoryLimit: memoryLimit)
    }

    /// An argon2id hash string (`$argon2id$v=19$m=…`) that embeds its own salt and parameters.
    public func hash(_ password: String) throws(Busy) -> String {
        try withSlot { Argon2id.hash(password, operations: operations, memoryLimit: memoryLimit) }
    }

    /// True when `password` matches `storedHash`; with `storedHash` nil (unknown account) it verifies
    /// against a dummy hash and returns false, taking the same time.
    public func verify(_ password: String, against storedHash: String?) throws(Busy) -> Bool {
        try withSlot {
            let matches = Argon2id.verify(password, hash: storedHash ?? dummyHash)
            return storedHash != nil && matches
        }
    }

    private func withSlot<Result>(_ body: () -> Result) throws(Busy) -> Result {
        guard slots.wait(timeout: .now() + queueTimeout.seconds) == .success else { throw Busy() }
        defer { slots.signal() }
        return body()
    }
}

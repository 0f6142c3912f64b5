import Foundation
import HotDesk
import Testing

@Suite("Password hasher: argon2id with an unknown account costing the same, at most a few at a time")
struct PasswordHasherTests {
    @Test("argon2id hashes verify their own password only, and an unknown account never verifies")
    func passwordHashing() throws {
        let hasher = PasswordHasher(operations: 1, memoryLimit: 8 * 1024 * 1024, maximumConcurrent: 2)
        let hash = try hasher.hash("correct horse battery staple ✓")
        #expect(hash.hasPrefix("$argon2id$"))
        #expect(try hasher.hash("correct horse battery staple ✓") != hash)
        #expect(try hasher.verify("correct horse battery staple ✓", against: hash))
        #expect(try !hasher.verify("correct horse battery staple", against: hash))
        #expect(try !hasher.verify("anything", against: nil))
    }

    @Test("a hash that cannot start within the queue timeout is refused as busy, not queued forever")
    func concurrencyIsBounded() throws {
        let hasher = PasswordHasher(
            operations: 4, memoryLimit: 64 * 1024 * 1024, maximumConcurrent: 1, queueTimeout: .milliseconds(1))
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            started.signal()
            _ = try? hasher.hash("holds the only slot for a while")
            finished.signal()
        }.start()
        started.wait()
        Thread.sleep(forTimeInterval: 0.02)
        #expect(throws: PasswordHasher.Busy.self) { try hasher.hash("a long enough password") }
        finished.wait()
        #expect(try hasher.hash("a long enough password").hasPrefix("$argon2id$"))
    }
}

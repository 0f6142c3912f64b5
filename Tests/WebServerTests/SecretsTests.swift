import Foundation
import Testing
import WebServer

@Suite("Secrets and password hashing")
struct SecretsTests {
    @Test("random tokens are 256-bit, URL-safe and never repeat")
    func randomTokens() {
        let tokens = (0..<1000).map { _ in Secrets.randomToken() }
        #expect(Set(tokens).count == 1000)
        for token in tokens {
            #expect(token.count == 43)
            #expect(token.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            })
        }
    }

    @Test("SHA-256 matches the published test vectors")
    func sha256Vectors() {
        #expect(Secrets.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Secrets.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("constant-time comparison tells equal from unequal, whatever the lengths")
    func constantTimeComparison() {
        #expect(Secrets.constantTimeEquals("token", "token"))
        #expect(!Secrets.constantTimeEquals("token", "tokem"))
        #expect(!Secrets.constantTimeEquals("token", "token2"))
        #expect(!Secrets.constantTimeEquals("", "x"))
        #expect(Secrets.constantTimeEquals("", ""))
    }

    @Test("uniform draws stay below the bound and cover it")
    func uniformDraws() {
        var seen = Set<UInt32>()
        for _ in 0..<2000 {
            let value = Secrets.uniform(below: 10)
            #expect(value < 10)
            seen.insert(value)
        }
        #expect(seen.count == 10)
    }

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

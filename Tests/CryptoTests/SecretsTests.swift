import Crypto
import Foundation
import Testing

@Suite("Secrets: random tokens, digests, comparisons and argon2id from libsodium")
struct SecretsTests {
    @Test("random tokens are 256-bit, URL-safe and never repeat")
    func randomTokens() {
        let tokens = (0..<1000).map { _ in Secrets.randomToken() }
        #expect(Set(tokens).count == 1000)
        for token in tokens {
            #expect(token.count == 43)
            #expect(
                token.utf8.allSatisfy { byte in
                    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                        || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                        || byte == UInt8(ascii: "_")
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

    @Test("argon2id hashes embed a fresh salt and verify their own password only")
    func argon2idHashes() {
        let hash = Argon2id.hash("correct horse battery staple ✓", operations: 1, memoryLimit: 8 * 1024 * 1024)
        #expect(hash.hasPrefix("$argon2id$v=19$m=8192,t=1"))
        #expect(Argon2id.hash("correct horse battery staple ✓", operations: 1, memoryLimit: 8 * 1024 * 1024) != hash)
        #expect(Argon2id.verify("correct horse battery staple ✓", hash: hash))
        #expect(!Argon2id.verify("correct horse battery staple", hash: hash))
        #expect(!Argon2id.verify("correct horse battery staple ✓", hash: "not a hash"))
    }
}

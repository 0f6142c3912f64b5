import HotDesk
import Testing

extension Values {
    @Suite("Portal passwords: 12–128 characters, not common, never shown")
    struct PasswordPolicyTests {
        static let policy = PasswordPolicy(commonPasswords: ["password1234", "Qwertyuiop123", "iloveyou1234567"])

        @Test(
            "any 12 to 128 characters are accepted, without composition rules or trimming",
            arguments: [
                "correct horse battery staple", "aaaaaaaaaaaa", "            ", "  spaced pw  ",
                String(repeating: "x", count: 128),
                String(repeating: "👍", count: 12), String(repeating: "e\u{301}", count: 6), "пароль-пароль",
                "password12345",
            ])
        func acceptsPasswords(_ text: String) throws {
            #expect(Self.policy.check(text) == nil)
            #expect(try Password(text, policy: Self.policy).plaintext == text)
        }

        @Test(
            "fewer than 12 Unicode scalars are refused",
            arguments: [
                "", "short", "elevenchars", String(repeating: "👍", count: 11), String(repeating: "é", count: 11),
            ])
        func refusesShort(_ text: String) {
            #expect(Self.policy.check(text) == .tooShort)
            #expect(throws: PasswordProblem.tooShort) { try Password(text, policy: Self.policy) }
        }

        @Test("more than 128 Unicode scalars are refused", arguments: [129, 1_000, 100_000])
        func refusesLong(_ count: Int) {
            #expect(Self.policy.check(String(repeating: "x", count: count)) == .tooLong)
            #expect(Self.policy.check(String(repeating: "e\u{301}", count: 65)) == .tooLong)
        }

        @Test(
            "passwords on the common list are refused whatever their case",
            arguments: [
                "password1234", "PASSWORD1234", "Password1234", "qwertyuiop123", "QWERTYUIOP123", "iloveyou1234567",
            ])
        func refusesCommon(_ text: String) {
            #expect(Self.policy.check(text) == .common)
            #expect(throws: PasswordProblem.common) { try Password(text, policy: Self.policy) }
        }

        @Test("a policy with an empty list refuses only by length")
        func emptyList() {
            let policy = PasswordPolicy(commonPasswords: [])
            #expect(policy.check("password1234") == nil)
            #expect(policy.check("password123") == .tooShort)
        }

        @Test("printing, interpolating, debugging or dumping a password never shows it or its length")
        func neverRevealed() throws {
            let password = try Password("correct horse battery staple", policy: Self.policy)
            let shorter = try Password("twelve chars", policy: Self.policy)
            #expect("\(password)" == "\(shorter)")
            #expect(!String(reflecting: password).contains("horse"))
            #expect(!String(describing: [password]).contains("horse"))
            var dumped = ""
            dump(password, to: &dumped)
            #expect(!dumped.contains("horse"))
        }

        @Test("every message is a distinct sentence")
        func messages() {
            let problems: [PasswordProblem] = [.tooShort, .tooLong, .common]
            #expect(Set(problems.map(\.message)).count == problems.count)
            #expect(problems.allSatisfy { $0.message.hasSuffix(".") })
        }
    }
}

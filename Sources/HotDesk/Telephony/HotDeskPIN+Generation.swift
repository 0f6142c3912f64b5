import Crypto

extension HotDeskPIN {
    /// A random PIN for the user with `userExtension`, drawn from libsodium's generator (see
    /// `generate(for:using:)` for the rule).
    public static func generate(for userExtension: Extension?) -> HotDeskPIN {
        var generator = SecureRandomNumberGenerator()
        return generate(for: userExtension, using: &generator)
    }
}

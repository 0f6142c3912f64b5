import CSodium

/// A `RandomNumberGenerator` drawing from libsodium's CSPRNG, for the standard library's `random(in:using:)` where
/// a secret is drawn (generated PINs): the program's randomness then has one source.
public struct SecureRandomNumberGenerator: RandomNumberGenerator {
    /// A generator; it holds no state.
    public init() {
        Secrets.ensureInitialised()
    }

    /// Eight random bytes. The corresponding C function is `randombytes_buf`.
    public mutating func next() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { buffer in randombytes_buf(buffer.baseAddress!, buffer.count) }
        return value
    }
}

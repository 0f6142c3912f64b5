import CSodium

/// The random numbers, digests and comparisons that sessions, CSRF tokens and PIN generation rest on,
/// from libsodium (so no other module touches C).
public enum Secrets {
    /// libsodium must be initialised once before use; `sodium_init` is safe to call repeatedly.
    private static let initialised: Bool = sodium_init() >= 0

    static func ensureInitialised() {
        precondition(initialised, "libsodium failed to initialise")
    }

    /// `count` bytes from the operating system's CSPRNG.
    /// The corresponding C function is `randombytes_buf`.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialised()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
        }
        return bytes
    }

    /// A random token of `byteCount` bytes as unpadded base64url text (43 characters for 32 bytes),
    /// safe in cookies, URLs and form fields.
    public static func randomToken(byteCount: Int = 32) -> String {
        base64URL(randomBytes(byteCount))
    }

    /// A uniformly drawn number in `0..<upperBound`, without modulo bias.
    /// The corresponding C function is `randombytes_uniform`.
    public static func uniform(below upperBound: UInt32) -> UInt32 {
        ensureInitialised()
        return randombytes_uniform(upperBound)
    }

    /// The SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex digits.
    public static func sha256Hex(_ text: String) -> String {
        sha256Hex(bytes: Array(text.utf8))
    }

    /// The SHA-256 of `bytes`, as 64 lowercase hex digits.
    /// The corresponding C function is `crypto_hash_sha256`.
    public static func sha256Hex(bytes input: [UInt8]) -> String {
        ensureInitialised()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        digest.withUnsafeMutableBufferPointer { output in
            _ = crypto_hash_sha256(output.baseAddress!, input, UInt64(input.count))
        }
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Compares two secrets in time that depends only on their length, so an attacker cannot learn how
    /// many leading characters of a guessed token were right.
    /// The corresponding C function is `sodium_memcmp`.
    public static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        ensureInitialised()
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in sodium_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 }
        }
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * UInt32(offset)) }
            for position in 0...chunk.count {
                output.append(alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}

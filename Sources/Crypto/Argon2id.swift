import CSodium

/// argon2id password hashes, as libsodium computes them: a slow, memory-hard hash whose text embeds its own
/// salt and parameters, so verification needs nothing else.
public enum Argon2id {
    /// An argon2id hash string (`$argon2id$v=19$m=…`) of `password` with `operations` iterations over
    /// `memoryLimit` bytes. The corresponding C function is `crypto_pwhash_str`.
    public static func hash(_ password: String, operations: UInt64, memoryLimit: Int) -> String {
        Secrets.ensureInitialised()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let bytes = Array(password.utf8CString.dropLast())
        let status = crypto_pwhash_str(&output, bytes, UInt64(bytes.count), operations, memoryLimit)
        precondition(status == 0, "argon2id ran out of memory")
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `password` matches `hash`, with the parameters the hash names.
    /// The corresponding C function is `crypto_pwhash_str_verify`.
    public static func verify(_ password: String, hash: String) -> Bool {
        Secrets.ensureInitialised()
        let bytes = Array(password.utf8CString.dropLast())
        return hash.withCString { crypto_pwhash_str_verify($0, bytes, UInt64(bytes.count)) == 0 }
    }
}

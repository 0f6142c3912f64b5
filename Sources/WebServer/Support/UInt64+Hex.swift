extension UInt64 {
    /// The value as exactly 16 lower-case hexadecimal digits, zero-padded.
    var paddedHexDigits: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Byte-level helpers for the value types whose syntax is plain ASCII (extensions, PINs, IPv4 ranges,
/// host names).
///
/// They exist because the obvious standard-library tools are too generous for validation:
/// `Character.isNumber`, `isWholeNumber`, `wholeNumberValue` and regex `\d` accept Arabic-Indic,
/// fullwidth and superscript digits, and `Int("0123")` silently drops the leading zero. Here a digit is
/// the byte `0x30`...`0x39` and nothing else.
enum ASCIIText {
    /// True for the bytes `0`...`9`.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// True for space, tab, line feed, vertical tab, form feed and carriage return.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
    }

    /// True for the bytes `a`...`z`.
    static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    /// The ASCII lowercase form of a byte; other bytes pass through unchanged.
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }

    /// `text` without leading and trailing ASCII whitespace. Other Unicode spaces are kept, so they
    /// reach the caller's checks and are refused there.
    static func trimmingWhitespace(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        let isKept: (Unicode.Scalar) -> Bool = { !($0.isASCII && isWhitespace(UInt8($0.value))) }
        guard let first = scalars.firstIndex(where: isKept), let last = scalars.lastIndex(where: isKept) else {
            return ""
        }
        return Substring(scalars[first...last])
    }

    /// True when the text holds a digit from outside ASCII — Arabic-Indic `١`, fullwidth `１`,
    /// superscript `¹` and the like. Used only to choose a clearer message for input already refused.
    static func containsNonASCIIDigit(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains { scalar in
            guard !scalar.isASCII else { return false }
            let kind = scalar.properties.numericType
            return kind == .decimal || kind == .digit
        }
    }

    /// The number of Unicode scalars in UTF-8 bytes: every byte that is not a continuation byte.
    static func scalarCount(_ bytes: some Sequence<UInt8>) -> Int {
        bytes.reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }

    /// A string made of ASCII bytes (the caller has checked that they are ASCII).
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: Array(bytes), as: UTF8.self)
    }

    /// Digits grouped by commas in threes, whatever the locale: `16777216` → `16,777,216`.
    static func groupingThousands(_ value: UInt64) -> String {
        let digits = Array(String(value).utf8)
        var grouped: [UInt8] = []
        grouped.reserveCapacity(digits.count + digits.count / 3)
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 {
                grouped.append(UInt8(ascii: ","))
            }
            grouped.append(digit)
        }
        return string(grouped)
    }
}

/// The syntax that extensions and hot desk PINs share: exactly four ASCII digits, leading zeros kept.
///
/// One parser for both, so the two fields can never drift apart; each maps `Problem` to its own
/// user-facing error.
struct FourDigits: Sendable, Hashable {
    /// Why text is not four ASCII digits.
    enum Problem: Error, Hashable {
        /// Nothing but whitespace.
        case empty
        /// ASCII digits only, but not four of them.
        case wrongLength(Int)
        /// A digit from another script or a fullwidth keyboard (`١٢٣٤`, `１２３４`, `¹²³⁴`).
        case nonASCIIDigits
        /// Letters, punctuation, inner spaces or other characters.
        case notDigits
    }

    /// The four digit values, each 0...9, most significant first.
    let values: [UInt8]

    /// Parses `text` after trimming surrounding ASCII whitespace.
    init(_ text: String) throws(Problem) {
        let trimmed = ASCIIText.trimmingWhitespace(text)
        guard !trimmed.isEmpty else { throw .empty }
        guard !ASCIIText.containsNonASCIIDigit(trimmed) else { throw .nonASCIIDigits }
        guard trimmed.utf8.allSatisfy(ASCIIText.isDigit) else { throw .notDigits }
        guard trimmed.utf8.count == 4 else { throw .wrongLength(trimmed.utf8.count) }
        values = trimmed.utf8.map { $0 - UInt8(ascii: "0") }
    }

    /// The four digits of `number`, which must be in 0..<10_000 (`42` → 0, 0, 4, 2).
    init(number: Int) {
        precondition((0..<10_000).contains(number), "four digits hold 0...9999")
        values = [number / 1000, number / 100 % 10, number / 10 % 10, number % 10].map { UInt8($0) }
    }

    private init(values: [UInt8]) {
        self.values = values
    }

    /// The same digits in the opposite order (`0042` → `2400`).
    var reversed: FourDigits { FourDigits(values: values.reversed()) }

    /// The digits as text, leading zeros kept (`0042`).
    var text: String { ASCIIText.string(values.map { $0 + UInt8(ascii: "0") }) }
}

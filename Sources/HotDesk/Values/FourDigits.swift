/// The syntax that extensions and hot desk PINs share: exactly four ASCII digits, leading zeros kept.
///
/// One parser for both, so the two fields can never drift apart; each field's error type names the same four
/// refusals (`FourDigitsRefusal`), with its own sentences.
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

    /// Parses `text` after trimming surrounding ASCII whitespace, refusing it with `Refusal`'s case for the
    /// problem found.
    init<Refusal: FourDigitsRefusal>(_ text: String, refusing _: Refusal.Type) throws(Refusal) {
        do {
            try self.init(text)
        } catch {
            switch error {
            case .empty: throw .empty
            case .wrongLength(let count): throw .wrongLength(count)
            case .nonASCIIDigits: throw .nonASCIIDigits
            case .notDigits: throw .notDigits
            }
        }
    }

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

/// A field error that refuses text that is not four ASCII digits with the same four cases as `FourDigits.Problem`
/// (enum cases of these names satisfy it), so that one switch maps them for every such field.
protocol FourDigitsRefusal: Error {
    /// The field was empty or held only whitespace.
    static var empty: Self { get }
    /// Only ASCII digits, but not four of them.
    static func wrongLength(_ count: Int) -> Self
    /// Digits from another script or a fullwidth keyboard.
    static var nonASCIIDigits: Self { get }
    /// Letters, punctuation, inner spaces or other characters.
    static var notDigits: Self { get }
}

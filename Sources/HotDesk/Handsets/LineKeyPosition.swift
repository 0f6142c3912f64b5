/// The line key that becomes the Hot Desking key, such as `3` for `linekey.3.type = 34`.
///
/// It exists so that only a key the chosen handsets have reaches the generated file: a whole number from
/// 1 to the family's `lineKeyCount`, typed in ASCII digits.
public struct LineKeyPosition: Sendable, Hashable, CustomStringConvertible {
    /// The article's example and the form's default.
    public static let standard = LineKeyPosition(checked: 3)

    /// The key number, 1-based as Yealink counts.
    public let number: Int

    init(checked number: Int) {
        self.number = number
    }

    /// Parses the typed key number for handsets of `family`.
    public init(_ text: String, family: HandsetFamily) throws(LineKeyPositionError) {
        let trimmed = ASCIIText.trimmingWhitespace(text)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.utf8.allSatisfy(ASCIIText.isDigit), trimmed.utf8.count <= 6, let number = Int(trimmed) else {
            throw .notNumber
        }
        guard (1...family.lineKeyCount).contains(number) else { throw .outOfRange(family) }
        self.number = number
    }

    /// True when handsets of `family` have this key.
    public func fits(_ family: HandsetFamily) -> Bool { number <= family.lineKeyCount }

    /// The number, e.g. `3`.
    public var description: String { String(number) }
}

/// Why the typed line key cannot be the Hot Desking key.
public enum LineKeyPositionError: FieldError, Hashable {
    /// Nothing typed.
    case empty
    /// Not a whole number in digits 0–9.
    case notNumber
    /// Zero, or more keys than the family has; carries the family.
    case outOfRange(HandsetFamily)

    /// The sentence shown next to the line key field.
    public var message: String {
        switch self {
        case .empty:
            return "Enter the number of the line key to use for Hot Desking, for example 3."
        case .notNumber:
            return "Enter the line key as a whole number in digits, for example 3."
        case .outOfRange(let family):
            return "\(family.title) handsets have line keys 1 to \(family.lineKeyCount); choose one of those."
        }
    }
}

/// A user's four-digit extension within a phone system install, such as `0042`.
///
/// It exists so that nothing past the form can hold an extension that is not exactly four ASCII digits:
/// the handset's Hot Desking key, the registrar (username = extension) and the database's
/// `users_extension_four_ascii_digits` check all expect that. Leading zeros are part of the extension
/// (`0042` stays `0042`), so it is kept as text, never as a number.
public struct Extension: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The four ASCII digits, leading zeros kept: what the store writes and the handset sends.
    public let digits: String

    let fourDigits: FourDigits

    /// Parses what the administrator typed: surrounding ASCII whitespace is trimmed, then exactly four
    /// ASCII digits `0`–`9` must remain.
    public init(_ text: String) throws(ExtensionError) {
        fourDigits = try FourDigits(text, refusing: ExtensionError.self)
        digits = fourDigits.text
    }

    /// The four digits, e.g. `0042`.
    public var description: String { digits }

    /// Extensions sort as the numbers they look like; with four digits each, text order is that order.
    public static func < (lhs: Extension, rhs: Extension) -> Bool {
        lhs.digits < rhs.digits
    }
}

/// Why text typed into an extension field is not an extension.
public enum ExtensionError: FieldError, FourDigitsRefusal, Hashable {
    /// The field was empty or held only whitespace.
    case empty
    /// Only ASCII digits, but not four of them; carries how many were typed.
    case wrongLength(Int)
    /// Digits from another script or a fullwidth keyboard, such as `١٢٣٤` or `１２３４`.
    case nonASCIIDigits
    /// Letters, punctuation, inner spaces or other characters that are not digits.
    case notDigits

    /// The sentence shown next to the extension field.
    public var message: String {
        switch self {
        case .empty:
            return "Enter the user's four-digit extension, for example 0042."
        case .wrongLength(let count):
            let typed = count == 1 ? "1 digit" : "\(count) digits"
            return "An extension has exactly four digits (you typed \(typed)); for example 0042."
        case .nonASCIIDigits:
            return "Use the digits 0–9 on a standard keyboard; the extension contains digits from another script."
        case .notDigits:
            return "An extension is four digits 0–9 only, with no letters, spaces or symbols; for example 0042."
        }
    }
}

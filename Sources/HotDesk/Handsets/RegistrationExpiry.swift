/// How long, in seconds, a hot desking handset's registration lasts before it must register again
/// (T4x "Server Expires", T38G "Login Expire").
///
/// It exists because the article requires re-registration at least every ten minutes so that calls
/// reach the operator's current desk: 60 to 600 seconds, 500 by default (the registrar also caps
/// registrations at 600 s).
public struct RegistrationExpiry: Sendable, Hashable, CustomStringConvertible {
    /// The shortest expiry accepted: a handset re-registering more often only loads the registrar.
    public static let minimum = 60
    /// The longest: ten minutes.
    public static let maximum = 600
    /// The article's value.
    public static let standard = RegistrationExpiry(checked: 500)

    /// The seconds.
    public let seconds: Int

    init(checked seconds: Int) {
        self.seconds = seconds
    }

    /// Parses typed seconds.
    public init(_ text: String) throws(RegistrationExpiryError) {
        let trimmed = ASCIIText.trimmingWhitespace(text)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.utf8.allSatisfy(ASCIIText.isDigit), trimmed.utf8.count <= 9, let seconds = Int(trimmed) else {
            throw .notNumber
        }
        guard seconds >= Self.minimum else { throw .tooShort }
        guard seconds <= Self.maximum else { throw .tooLong }
        self.seconds = seconds
    }

    /// The seconds, e.g. `500`.
    public var description: String { String(seconds) }
}

/// Why the typed registration expiry cannot be used.
public enum RegistrationExpiryError: FieldError, Hashable {
    /// Nothing typed.
    case empty
    /// Not a whole number of seconds in digits 0–9.
    case notNumber
    /// Under 60 seconds.
    case tooShort
    /// Over 600 seconds.
    case tooLong

    /// The sentence shown next to the expiry field.
    public var message: String {
        switch self {
        case .empty:
            return "Enter the registration expiry in seconds, for example 500."
        case .notNumber:
            return "Enter the registration expiry as a whole number of seconds, for example 500."
        case .tooShort:
            return "Use at least 60 seconds; shorter registrations only add load. 500 is recommended."
        case .tooLong:
            return "Use at most 600 seconds: handsets must re-register at least every ten minutes. 500 is recommended."
        }
    }
}

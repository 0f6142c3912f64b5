/// An error that a form shows next to the field whose text could not become a value.
///
/// Every value type in this folder (`Extension`, `HotDeskPIN`, `IPv4Network`, `SIPDomain`, `EmailAddress`,
/// the bounded texts, `Password`) refuses bad input with an error conforming to this protocol, so a
/// handler can catch any of them the same way and put `message` beside the field. The message is one
/// sentence telling the user what to type instead; it never repeats a PIN or a password.
public protocol FieldError: Error, Sendable, CustomStringConvertible {
    /// The sentence shown next to the form field.
    var message: String { get }
}

extension FieldError {
    /// The same sentence as `message`, so logs and test failures read naturally.
    public var description: String { message }
}

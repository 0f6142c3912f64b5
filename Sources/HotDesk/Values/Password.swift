/// A new password for a portal account that follows a `PasswordPolicy`.
///
/// It exists so that a password that is too short, too long or common cannot reach the code that hashes
/// and stores it, and so that the password never shows itself: `description`, `debugDescription` and
/// reflection (`dump`, `print`, string interpolation) give bullets of a fixed length, never the text or
/// its length. Read the text only through the explicitly named `plaintext`, to hash it. Signing in
/// does not need this type: a stored password is checked as typed, whatever today's policy says.
public struct Password: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The password exactly as typed (not trimmed), for hashing only. Never log or render it.
    public let plaintext: String

    /// Accepts `candidate` when `policy` finds no problem with it.
    public init(_ candidate: String, policy: PasswordPolicy) throws(PasswordProblem) {
        if let problem = policy.check(candidate) { throw problem }
        plaintext = candidate
    }

    /// Eight bullets, whatever the password.
    public var description: String { "••••••••" }

    /// The type name and eight bullets, never the password.
    public var debugDescription: String { "Password(••••••••)" }

    /// No children, so `dump` and debuggers do not print the password.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

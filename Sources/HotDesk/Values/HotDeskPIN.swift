/// A user's four-digit Hot Desk PIN that is known not to be weak.
///
/// It exists so that a PIN that is malformed or easy to guess cannot reach the store: the only ways to
/// get one are parsing typed text (which applies every rule in `HotDeskPINWeakness`) or `generate`,
/// which draws uniformly from the PINs that pass. The PIN is a credential, so the value never shows
/// itself: `description`, `debugDescription` and reflection (`dump`, `print`) give `••••`; the digits
/// are read only through the explicitly named `digits`, for the store.
public struct HotDeskPIN: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The four ASCII digits of the PIN, for the store only. Never log or render them.
    public let digits: String

    private init(_ fourDigits: FourDigits) {
        digits = fourDigits.text
    }

    /// Parses a PIN typed for the user with `userExtension` (nil when the user does not exist yet):
    /// surrounding ASCII whitespace is trimmed, exactly four ASCII digits must remain, and the PIN must
    /// not be weak (see `HotDeskPINWeakness`).
    public init(_ text: String, for userExtension: Extension?) throws(HotDeskPINError) {
        try self.init(try TypedPIN(text), for: userExtension)
    }

    /// The typed PIN, if it is not weak for the user with `userExtension` (see `HotDeskPINWeakness`).
    public init(_ typed: TypedPIN, for userExtension: Extension?) throws(HotDeskPINError) {
        if let weakness = HotDeskPINWeakness.of(typed.fourDigits, for: userExtension) {
            throw .weak(weakness)
        }
        self.init(typed.fourDigits)
    }

    /// A PIN drawn uniformly from all PINs that are not weak for `userExtension`, by rejection
    /// sampling: draw one of the 10,000 four-digit PINs uniformly and draw again while it is weak. It is
    /// therefore never weak and never the extension or its reverse. Pass a seeded generator only in tests.
    public static func generate(
        for userExtension: Extension?, using generator: inout some RandomNumberGenerator
    ) -> HotDeskPIN {
        while true {
            let candidate = FourDigits(number: Int.random(in: 0..<10_000, using: &generator))
            if HotDeskPINWeakness.of(candidate, for: userExtension) == nil {
                return HotDeskPIN(candidate)
            }
        }
    }

    /// Four bullets: the PIN is never revealed by printing or interpolating it.
    public var description: String { "••••" }

    /// The type name and four bullets, never the digits.
    public var debugDescription: String { "HotDeskPIN(••••)" }

    /// No children, so `dump` and debuggers do not print the digits.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Four ASCII digits typed into a PIN field: well-formed, not yet judged. Whether they may become a user's PIN
/// depends on that user's extension, so a form parses the text into this at the edge, and the operation that
/// knows the user makes it a `HotDeskPIN` (`HotDeskPIN(_:for:)`), with the rules in one place. Like the PIN, it
/// never shows its digits.
public struct TypedPIN: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let fourDigits: FourDigits

    /// Parses what was typed: surrounding ASCII whitespace is trimmed, then exactly four ASCII digits must remain.
    public init(_ text: String) throws(HotDeskPINError) {
        fourDigits = try FourDigits(text, refusing: HotDeskPINError.self)
    }

    /// Four bullets.
    public var description: String { "••••" }

    /// The type name and four bullets, never the digits.
    public var debugDescription: String { "TypedPIN(••••)" }

    /// No children, so `dump` and debuggers do not print the digits.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Why text typed into a PIN field is not an acceptable hot desk PIN.
public enum HotDeskPINError: FieldError, FourDigitsRefusal, Hashable {
    /// The field was empty or held only whitespace.
    case empty
    /// Only ASCII digits, but not four of them; carries how many were typed.
    case wrongLength(Int)
    /// Digits from another script or a fullwidth keyboard, such as `١٢٣٤` or `１２３４`.
    case nonASCIIDigits
    /// Letters, punctuation, inner spaces or other characters that are not digits.
    case notDigits
    /// Four digits, but easy to guess; carries the reason.
    case weak(HotDeskPINWeakness)

    /// The sentence shown next to the PIN field; it never repeats the PIN.
    public var message: String {
        switch self {
        case .empty:
            return "Enter a four-digit PIN, or press Generate for a random one."
        case .wrongLength(let count):
            let typed = count == 1 ? "1 digit" : "\(count) digits"
            return "A hot desk PIN has exactly four digits (you typed \(typed))."
        case .nonASCIIDigits:
            return "Use the digits 0–9 on a standard keyboard; the PIN contains digits from another script."
        case .notDigits:
            return "A hot desk PIN is four digits 0–9 only, with no letters, spaces or symbols."
        case .weak(let weakness):
            return weakness.message
        }
    }
}

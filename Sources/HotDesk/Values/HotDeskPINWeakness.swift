/// Why a four-digit PIN is too easy to guess, each reason with its own explanation.
///
/// A hot desk PIN is the whole password of a SIP registration (username = the extension, which is
/// printed on the desk), and an attacker on a trusted network can try guesses at the registrar. These
/// rules remove the PINs people pick first and attackers therefore try first. The rules live in one
/// place, `HotDeskPINWeakness.of(_:for:)`, used both to refuse typed PINs and to generate new ones.
public enum HotDeskPINWeakness: Sendable, Hashable, CaseIterable {
    /// The PIN is the user's own extension.
    case matchesExtension
    /// The PIN is the user's own extension backwards.
    case reversedExtension
    /// The same digit three or more times in a row: `0007`, `1000`, `1111`.
    case repeatedDigit
    /// Four consecutive digits up or down: `0123`…`6789`, `9876`…`3210`. Runs do not wrap around,
    /// so `7890` and `8901` are not runs (and not refused by this rule).
    case consecutiveRun
    /// A straight column of the phone keypad, either way: `1470`, `2580`, `3690` and their reverses.
    case keypadColumn
    /// One of the twenty most common four-digit PINs (see `commonPINs`).
    case commonPIN

    /// The sentence shown next to the PIN field.
    public var message: String {
        switch self {
        case .matchesExtension:
            return "The PIN cannot be the user's own extension; choose four other digits."
        case .reversedExtension:
            return "The PIN cannot be the user's extension backwards; choose four other digits."
        case .repeatedDigit:
            return "Avoid the same digit three times in a row (like 0007 or 1000); mix different digits."
        case .consecutiveRun:
            return "Avoid runs of consecutive digits like 1234 or 9876; choose digits that do not follow each other."
        case .keypadColumn:
            return "Avoid a straight column of the keypad like 2580 or 1470; choose digits from different columns."
        case .commonPIN:
            return "This is one of the twenty most common PINs and is guessed first; choose a less predictable one."
        }
    }

    /// The twenty most frequent four-digit PINs in DataGenetics' analysis of 3.4 million leaked PINs
    /// ("PIN number analysis", Nick Berry, DataGenetics, 2012), most common first. Several are also
    /// caught by the structural rules; they are listed anyway so the list reads as published.
    static let commonPINs: Set<String> = [
        "1234", "1111", "0000", "1212", "7777", "1004", "2000", "4444", "2222", "6969",
        "9999", "3333", "5555", "6666", "1122", "1313", "8888", "4321", "2001", "1010",
    ]

    /// The straight keypad columns (1-4-7, 2-5-8-0, 3-6-9) and their reverses.
    ///
    ///     1 2 3
    ///     4 5 6
    ///     7 8 9
    ///       0
    static let keypadColumns: Set<String> = ["1470", "0741", "2580", "0852", "3690", "0963"]

    /// The first reason `digits` is weak for a user with `userExtension` (nil when there is no user
    /// yet), or nil when the PIN is acceptable. The extension rules come first because they are the
    /// most personal explanation; then the structural rules, then the published list.
    static func of(_ digits: FourDigits, for userExtension: Extension?) -> HotDeskPINWeakness? {
        if let userExtension {
            if digits == userExtension.fourDigits { return .matchesExtension }
            if digits == userExtension.fourDigits.reversed { return .reversedExtension }
        }
        let values = digits.values
        if hasThreeInARow(values) { return .repeatedDigit }
        if isConsecutiveRun(values) { return .consecutiveRun }
        let text = digits.text
        if keypadColumns.contains(text) { return .keypadColumn }
        if commonPINs.contains(text) { return .commonPIN }
        return nil
    }

    private static func hasThreeInARow(_ values: [UInt8]) -> Bool {
        (values[0] == values[1] && values[1] == values[2]) || (values[1] == values[2] && values[2] == values[3])
    }

    /// Each digit one more than the one before (ascending) or one less (descending), without wrapping
    /// from 9 to 0.
    private static func isConsecutiveRun(_ values: [UInt8]) -> Bool {
        let steps = zip(values, values.dropFirst()).map { Int($1) - Int($0) }
        return steps.allSatisfy { $0 == 1 } || steps.allSatisfy { $0 == -1 }
    }
}

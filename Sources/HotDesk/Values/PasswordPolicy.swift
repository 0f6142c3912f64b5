import Foundation

/// The rule for the passwords of portal accounts: 12–128 characters, any characters, no composition
/// rules, and not on a list of common passwords.
///
/// It exists because the list of common passwords is data loaded at start-up (from `Resources/`, by the
/// executable), so the rule is a value built from that list and handed to whoever sets passwords. It
/// follows NIST SP 800-63B: length counts Unicode scalars (code points), so `é` typed as one code point
/// or as `e` plus a combining accent may count differently, as NIST specifies; nothing is trimmed,
/// because spaces are legitimate password characters.
public struct PasswordPolicy: Sendable {
    /// The fewest Unicode scalars a password may have.
    public static let minimumLength = 12
    /// The most Unicode scalars a password may have.
    public static let maximumLength = 128

    private let commonPasswords: Set<String>

    /// A policy that refuses `commonPasswords`, compared case-insensitively.
    public init(commonPasswords: Set<String>) {
        self.commonPasswords = Set(commonPasswords.map { $0.lowercased() })
    }

    /// The policy of the common-password list in the file at `path` (one password a line; blank lines and lines
    /// starting with `#` are skipped), or nil when the file cannot be read.
    public static func load(fromFile path: String) -> PasswordPolicy? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return PasswordPolicy(
            commonPasswords: Set(
                String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && !$0.hasPrefix("#") }))
    }

    /// The first problem with `candidate`, or nil when it is an acceptable password.
    public func check(_ candidate: String) -> PasswordProblem? {
        let length = candidate.unicodeScalars.prefix(Self.maximumLength + 1).count
        if length < Self.minimumLength { return .tooShort }
        if length > Self.maximumLength { return .tooLong }
        if commonPasswords.contains(candidate.lowercased()) { return .common }
        return nil
    }
}

/// Why a new password was refused. The message never repeats the password.
public enum PasswordProblem: FieldError, Hashable {
    /// Fewer than 12 characters.
    case tooShort
    /// More than 128 characters.
    case tooLong
    /// On the list of common passwords (compared case-insensitively).
    case common

    /// The sentence shown next to the password field.
    public var message: String {
        switch self {
        case .tooShort:
            return "Use at least 12 characters; a few unrelated words make a long password that is easy to remember."
        case .tooLong:
            return "Use at most 128 characters."
        case .common:
            return "This password is on a list of common passwords that attackers try first; choose another."
        }
    }
}

/// An install's rules for how long an operator stays logged in and what a second login does, enforced by the
/// registrar from the database alone (`registrar.login_policy`), so they hold while the portal is down.
public struct LoginPolicy: Sendable, Equatable {
    /// Operators are logged out this long after their login; nil: never for this reason.
    public var maximumLoginTime: MaximumLoginTime?
    /// Every operator is logged out at this time of day in `timeZone`; nil: no daily logout.
    public var dailyLogout: TimeOfDay?
    /// The install's time zone, in which `dailyLogout` is read.
    public var timeZone: TimeZoneName
    /// What a login by an operator already logged in on another handset does.
    public var secondLogin: SecondLoginRule

    /// Creates a policy.
    public init(
        maximumLoginTime: MaximumLoginTime?, dailyLogout: TimeOfDay?, timeZone: TimeZoneName,
        secondLogin: SecondLoginRule
    ) {
        self.maximumLoginTime = maximumLoginTime
        self.dailyLogout = dailyLogout
        self.timeZone = timeZone
        self.secondLogin = secondLogin
    }
}

/// A policy as read, with the version its edit form carries.
public struct SavedLoginPolicy: Sendable, Equatable {
    /// The rules.
    public let policy: LoginPolicy
    /// Optimistic locking: the version the Settings form read.
    public let version: Int
}

/// What a second login by the same operator on another handset does.
public enum SecondLoginRule: String, Sendable, CaseIterable {
    /// The new handset takes over; the earlier one is logged out (usrloc's replace flag).
    case replace
    /// Refused while the operator is logged in elsewhere.
    case refuse
}

/// A maximum login time: 1 to 168 hours (a week), as Cisco Extension Mobility allows.
public struct MaximumLoginTime: Sendable, Equatable, CustomStringConvertible {
    /// Whole hours, 1 to 168.
    public let hours: Int

    /// The hours given, or nil when outside 1…168.
    public init?(hours: Int) {
        guard (1...168).contains(hours) else { return nil }
        self.hours = hours
    }

    /// Form text: digits only, 1 to 168.
    public init(_ text: String) throws(LoginPolicyError) {
        let trimmed = ASCIIText.trimmingWhitespace(text)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 3, trimmed.utf8.allSatisfy(ASCIIText.isDigit),
            let hours = Int(trimmed), let time = MaximumLoginTime(hours: hours)
        else { throw .maximumLoginTime }
        self = time
    }

    /// "8 hours".
    public var description: String { hours == 1 ? "1 hour" : "\(hours) hours" }
}

/// A time of day to the minute, 00:00 to 23:59.
public struct TimeOfDay: Sendable, Equatable, CustomStringConvertible {
    /// 0…23.
    public let hour: Int
    /// 0…59.
    public let minute: Int

    /// `HH:MM` (24-hour clock), as an HTML time input sends it; `HH:MM:SS` as PostgreSQL prints it, seconds zero.
    public init(_ text: String) throws(LoginPolicyError) {
        let parts = ASCIIText.trimmingWhitespace(text).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 3 && parts[2] == "00"),
            parts[0].utf8.count == 2, parts[1].utf8.count == 2,
            parts[0].utf8.allSatisfy(ASCIIText.isDigit), parts[1].utf8.allSatisfy(ASCIIText.isDigit),
            let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
        else { throw .timeOfDay }
        self.hour = hour
        self.minute = minute
    }

    /// "18:30".
    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

/// An IANA time zone name such as `Europe/London`, in the shape PostgreSQL's names have; that PostgreSQL knows it
/// is checked when a policy is saved (`pg_timezone_names`).
public struct TimeZoneName: Sendable, Equatable, CustomStringConvertible {
    /// The name.
    public let name: String

    /// Letters, digits, `_`, `+`, `-`, in parts separated by `/`, at most 64 characters.
    public init(_ text: String) throws(LoginPolicyError) {
        let trimmed = String(ASCIIText.trimmingWhitespace(text))
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...64).contains(trimmed.utf8.count), let first = trimmed.utf8.first,
            (65...90).contains(first) || (97...122).contains(first),
            parts.allSatisfy({ part in
                !part.isEmpty
                    && part.utf8.allSatisfy {
                        (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0)
                            || $0 == 95 || $0 == 43 || $0 == 45
                    }
            })
        else { throw .timeZone }
        name = trimmed
    }

    /// The name.
    public var description: String { name }
}

/// Why a policy field was refused.
public enum LoginPolicyError: FieldError, Equatable {
    case maximumLoginTime
    case timeOfDay
    case timeZone

    /// The sentence for the form.
    public var message: String {
        switch self {
        case .maximumLoginTime: return "Enter a whole number of hours from 1 to 168, or choose no maximum."
        case .timeOfDay: return "Enter a time of day as hours and minutes, such as 18:30."
        case .timeZone: return "Enter a time zone name such as Europe/London, America/New_York or UTC."
        }
    }
}

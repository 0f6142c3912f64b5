import Foundation

/// One line of the login history the registrar writes (`registrar_state.login_events`): a login, or how one
/// ended.
public struct LoginEvent: Sendable, Equatable {
    /// The row id; the history pages by it, newest first.
    public let id: Int
    /// The operator's extension.
    public let `extension`: Extension
    /// What happened.
    public let kind: LoginEventKind
    /// When.
    public let at: Date
    /// When the registration it concerns began.
    public let loggedInAt: Date
    /// Where the handset registered from.
    public let source: SourceEndpoint?
    /// The handset.
    public let handset: HandsetIdentity
}

/// What a login history line records.
public enum LoginEventKind: Sendable, Equatable {
    /// A REGISTER with a new Call-ID: an operator logged in on a handset.
    case login
    /// The handset logged out itself (a REGISTER with `Expires: 0`).
    case handsetLogout
    /// No refresh came before the registration's expiry.
    case expired
    /// Logged out from the portal, by this account (its email address).
    case forcedLogout(by: String)
    /// Logged out by one of the install's rules.
    case automaticLogout(AutomaticLogoutRule)
    /// The operator logged in on another handset, which took over.
    case replaced

    /// Reads the registrar's `event` and `detail` columns.
    init?(event: String, detail: String?) {
        switch event {
        case "login": self = .login
        case "handset_logout": self = .handsetLogout
        case "expired": self = .expired
        case "forced_logout": self = .forcedLogout(by: detail ?? "")
        case "automatic_logout":
            guard let rule = detail.flatMap(AutomaticLogoutRule.init(rawValue:)) else { return nil }
            self = .automaticLogout(rule)
        case "replaced": self = .replaced
        default: return nil
        }
    }

    /// The history page's wording.
    public var description: String {
        switch self {
        case .login: return "Logged in"
        case .handsetLogout: return "Logged out on the handset"
        case .expired: return "Expired without a refresh"
        case .forcedLogout(let by): return by.isEmpty ? "Logged out from the portal" : "Logged out by \(by)"
        case .automaticLogout(.maximumLoginTime): return "Logged out automatically: maximum login time reached"
        case .automaticLogout(.dailyLogout): return "Logged out automatically: daily logout"
        case .replaced: return "Replaced by a login on another handset"
        }
    }
}

/// The install rule that ended a registration automatically.
public enum AutomaticLogoutRule: String, Sendable, Equatable {
    case maximumLoginTime = "max_login_time"
    case dailyLogout = "daily_logout"
}

/// Refused hot desk logins of one extension from one address for one reason, counted: the registrar keeps one
/// row for each (`registrar_state.refusals`), so a brute-force run grows a count and not the table.
public struct Refusal: Sendable, Equatable {
    /// The extension tried; nil when the user part was not four digits.
    public let `extension`: Extension?
    /// Where the attempts came from.
    public let sourceAddress: String
    /// Why they were refused.
    public let reason: RefusalReason
    /// How many.
    public let attempts: Int
    /// The first attempt.
    public let firstAt: Date
    /// The latest attempt.
    public let lastAt: Date
}

/// Why the registrar refused a REGISTER.
public enum RefusalReason: String, Sendable, CaseIterable {
    case untrustedSource = "untrusted_source"
    case wrongPIN = "wrong_pin"
    case noAccess = "no_access"
    case noPIN = "no_pin"
    case unknownExtension = "unknown_extension"
    case banned
    case loggedInElsewhere = "logged_in_elsewhere"
    case loggedOut = "logged_out"

    /// What User Settings says, with the source address where it matters.
    public func sentence(from address: String) -> String {
        switch self {
        case .untrustedSource:
            return "The handset's address \(address) is not in any of the install's Trusted IPs."
        case .wrongPIN: return "The PIN entered on the handset was wrong."
        case .noAccess: return "The user does not have Hot Desk Access."
        case .noPIN: return "The user has no Hot Desk PIN yet."
        case .unknownExtension: return "No user of this install has that extension."
        case .banned:
            return "Too many failed attempts from \(address) or for this extension: refused for a while."
        case .loggedInElsewhere:
            return "The operator was logged in on another handset, and this install refuses a second login."
        case .loggedOut:
            return "The handset refreshed a registration that had been logged out; log in again on the handset."
        }
    }
}

/// One page of login history, newest first; the pages start at an event id.
public typealias LoginHistoryPage = KeysetPage<LoginEvent, Int>

/// What User Settings shows of the registrar's view of one user.
public struct UserActivity: Sendable, Equatable {
    /// The user's registrations now (one, unless a second login is being replaced).
    public let registrations: [Registration]
    /// The latest refused attempt for the extension.
    public let lastRefusal: Refusal?
    /// The latest history lines.
    public let recentEvents: [LoginEvent]
}

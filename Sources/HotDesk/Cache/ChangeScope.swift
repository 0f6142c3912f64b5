/// What a change touched, as far as the read cache cares. Each kept read names the scopes it was read from, and a
/// change drops only the reads of the scopes it names: a PIN reset in one install leaves every other install's
/// pages in memory.
///
/// The same scopes travel as the payload of the `hotdesk_changes` notifications that the tables' triggers send
/// (migration 0011), so another portal instance, or a change made with psql, drops the same reads.
public enum ChangeScope: Hashable, Sendable, CustomStringConvertible {
    /// An install: its name and SIP domain, its users and their PINs, its trusted ranges and handset settings.
    case install(Int)
    /// A portal account: its role, status, manager assignments and sessions.
    case account(Int)
    /// An API key: whether it still authenticates (revoked, expired).
    case apiKey(Int)
    /// Anything at all: a change nobody described (a `TRUNCATE`, a notification that names no scope, a write
    /// that no operation declared), or a time when notifications may have been missed.
    case everything

    /// The scope a notification's payload names: `install:12`, `account:3`, `api_key:5`; anything else is
    /// `.everything`.
    init(payload: String) {
        let parts = payload.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[1].utf8.count <= 18, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let id = Int(parts[1])
        else {
            self = .everything
            return
        }
        switch parts[0] {
        case "install": self = .install(id)
        case "account": self = .account(id)
        case "api_key": self = .apiKey(id)
        default: self = .everything
        }
    }

    /// The payload form: `install:12`, `account:3`, `everything`.
    public var description: String {
        switch self {
        case .install(let id): return "install:\(id)"
        case .account(let id): return "account:\(id)"
        case .apiKey(let id): return "api_key:\(id)"
        case .everything: return "everything"
        }
    }

    /// True when a change of `self` may change a read of `scope`.
    func covers(_ scope: ChangeScope) -> Bool {
        self == .everything || self == scope
    }
}

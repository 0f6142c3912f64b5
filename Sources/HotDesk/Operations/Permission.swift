/// What a role may do: the one place that says which role may use which operation. Operations check it inside
/// their transaction; front ends ask it too, to hide what a role cannot use.
public enum Permission: Sendable, CaseIterable {
    /// See Telephony Settings and the Users tab of the installs the account may see.
    case viewTelephony
    /// Reset the Hot Desk PIN of a user of an install the account may see.
    case resetPINs
    /// Log an operator out of a handset, on an install the account may see (a forgotten logout is the same
    /// errand as a forgotten PIN).
    case logOutOperators
    /// Create and change installs, users, Hot Desk Access, trusted ranges and handset settings.
    case manageTelephony
    /// Create and change portal accounts and reset their passwords.
    case manageAccounts
    /// Read the audit log.
    case readAudit

    /// True when `role` has this permission.
    public func isGranted(to role: AccountRole) -> Bool {
        switch self {
        case .viewTelephony, .resetPINs, .logOutOperators: return true
        case .manageTelephony, .manageAccounts, .readAudit: return role == .administrator
        }
    }
}

extension Actor {
    /// True when the actor's role has `permission` (its installs scope what it reaches).
    public func may(_ permission: Permission) -> Bool {
        permission.isGranted(to: role)
    }
}

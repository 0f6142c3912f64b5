import Foundation

/// A user of an install as the Users tab and User Settings show it: never the PIN, only whether one
/// is set.
public struct HotDeskUser: Sendable, Equatable {
    /// The user's id.
    public let id: Int
    /// The install the user belongs to.
    public let installID: Int
    /// The four-digit extension (the handset's username).
    public let `extension`: Extension
    /// The user's name.
    public let displayName: String
    /// Whether the user may hot desk.
    public let hasAccess: Bool
    /// Whether a Hot Desk PIN is set.
    public let hasPIN: Bool
    /// When the user was last changed.
    public let updatedAt: Date
    /// Optimistic locking: the version the edit form read.
    public let version: Int
}

/// What a User Settings save asks for; `pin` nil keeps the current PIN.
public struct UserChange: Sendable {
    /// The user being changed.
    public let userID: Int
    /// The version the form read.
    public let version: Int
    /// The new name.
    public let displayName: DisplayName
    /// The new Hot Desk Access flag.
    public let hasAccess: Bool
    /// A new PIN, or nil to keep the current one.
    public let pin: HotDeskPIN?

    /// Creates a change.
    public init(userID: Int, version: Int, displayName: DisplayName, hasAccess: Bool, pin: HotDeskPIN?) {
        self.userID = userID
        self.version = version
        self.displayName = displayName
        self.hasAccess = hasAccess
        self.pin = pin
    }
}

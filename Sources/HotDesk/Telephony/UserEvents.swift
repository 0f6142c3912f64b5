/// The audit events of changes to users, built in one place for every way a user changes (a form, an import):
/// `user.created`, `user.changed`, `hot_desk_access.granted`/`revoked`, `pin.set`/`reset`/`cleared`,
/// `user.deleted`. A PIN is recorded only as "set" or "not set", never its digits.
enum UserEvents {
    /// What the events compare of a user, before and after a change.
    struct State: Equatable {
        let displayName: String
        let hasAccess: Bool
        let hasPIN: Bool
    }

    /// `user.created`, for a user added with no access and no PIN.
    static func created(id: Int, installID: Int, extension number: Extension, displayName: String) -> AuditEvent {
        event(
            "user.created", id: id, installID: installID, label: "\(number) \(displayName)",
            changes: [
                AuditChange("extension", from: nil, to: number.digits),
                AuditChange("display_name", from: nil, to: displayName),
            ])
    }

    /// The events of a change from `before` to `after`, one for each thing that changed; `setsPIN` says a new
    /// PIN was given (`pin.set`, whatever the old one was).
    static func changed(
        id: Int, installID: Int, extension number: Extension, from before: State, to after: State, setsPIN: Bool
    ) -> [AuditEvent] {
        let label = "\(number) \(after.displayName)"
        var events: [AuditEvent] = []
        if before.displayName != after.displayName {
            events.append(
                event(
                    "user.changed", id: id, installID: installID, label: label,
                    changes: [AuditChange("display_name", from: before.displayName, to: after.displayName)]))
        }
        if before.hasAccess != after.hasAccess {
            events.append(access(after.hasAccess, id: id, installID: installID, label: label))
        }
        if setsPIN {
            events.append(
                event(
                    "pin.set", id: id, installID: installID, label: label,
                    changes: [pinChange(from: before.hasPIN, to: true)]))
        }
        return events
    }

    /// `hot_desk_access.granted` or `hot_desk_access.revoked`.
    static func access(_ granted: Bool, id: Int, installID: Int, label: String) -> AuditEvent {
        event(
            granted ? "hot_desk_access.granted" : "hot_desk_access.revoked", id: id, installID: installID, label: label,
            changes: [AuditChange("hot_desk_access", from: String(!granted), to: String(granted))])
    }

    /// `pin.reset` (a new PIN) or `pin.cleared` (`isCleared`) for `user`.
    static func pinReplaced(of user: HotDeskUser, isCleared: Bool) -> AuditEvent {
        event(
            isCleared ? "pin.cleared" : "pin.reset", id: user.id, installID: user.installID,
            label: "\(user.extension) \(user.displayName)", changes: [pinChange(from: user.hasPIN, to: !isCleared)])
    }

    /// `user.deleted`.
    static func deleted(id: Int, installID: Int, extension number: Extension, displayName: String) -> AuditEvent {
        event(
            "user.deleted", id: id, installID: installID, label: "\(number) \(displayName)",
            changes: [
                AuditChange("extension", from: number.digits, to: nil),
                AuditChange("display_name", from: displayName, to: nil),
            ])
    }

    private static func event(
        _ action: String, id: Int, installID: Int, label: String, changes: [AuditChange]
    )
        -> AuditEvent
    {
        AuditEvent(
            action: action, installID: installID, targetType: "user", targetID: id, targetLabel: label,
            changes: changes)
    }

    /// The PIN as the audit log may show it: set or not, never the digits.
    private static func pinChange(from before: Bool, to after: Bool) -> AuditChange {
        AuditChange("pin", from: before ? "set" : "not set", to: after ? "set" : "not set")
    }
}

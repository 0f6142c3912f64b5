import Foundation
import PostgresClient

/// Who did something, from where, in which request: the part of an audit event every change shares.
public struct AuditContext: Sendable {
    /// The request id, also in the access log and on error pages.
    public let requestID: String?
    /// The signed-in account or the API key, or nil (a failed sign-in, the command line).
    public let actor: Actor?
    /// The client address.
    public let sourceAddress: String?

    /// Creates a context.
    public init(requestID: String?, actor: Actor?, sourceAddress: String?) {
        self.requestID = requestID
        self.actor = actor
        self.sourceAddress = sourceAddress
    }
}

/// One field's value before and after a change, as audit text. Never a PIN, password or token: callers
/// record "set"/"cleared" for those.
public struct AuditChange: Sendable, Equatable {
    /// The field, as the audit page names it (`display_name`).
    public let field: String
    /// The value before the change; nil when there was none.
    public let before: String?
    /// The value after the change; nil when there is none.
    public let after: String?

    /// Creates a change record.
    public init(_ field: String, from before: String?, to after: String?) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// The outcome an event records.
public enum AuditResult: String, Sendable {
    case success, failure, refused
}

/// One audit event, written in the same transaction as the change it describes.
public struct AuditEvent: Sendable {
    /// What happened: `pin.reset`, `account.created`…
    public let action: String
    /// Whether it succeeded, failed or was refused.
    public let result: AuditResult
    /// The organization; nil takes the actor's.
    public let organizationID: Int?
    /// The install it concerns, if any.
    public let installID: Int?
    /// The kind of thing changed: `user`, `install`, `account`…
    public let targetType: String?
    /// The id of the thing changed.
    public let targetID: Int?
    /// A readable name for it, kept even after it is deleted.
    public let targetLabel: String?
    /// The fields that changed.
    public let changes: [AuditChange]

    /// Creates an event; `organizationID` defaults to the actor's.
    public init(
        action: String, result: AuditResult = .success, organizationID: Int? = nil, installID: Int? = nil,
        targetType: String? = nil, targetID: Int? = nil, targetLabel: String? = nil, changes: [AuditChange] = []
    ) {
        self.action = action
        self.result = result
        self.organizationID = organizationID
        self.installID = installID
        self.targetType = targetType
        self.targetID = targetID
        self.targetLabel = targetLabel
        self.changes = changes
    }
}

/// Appends audit events; the portal's database role can only INSERT and SELECT them.
public enum AuditLog {
    /// Writes `event` on `connection`, which should be inside the transaction making the change.
    public static func record(_ event: AuditEvent, context: AuditContext, on connection: PostgresConnection) throws {
        try record([event], context: context, on: connection)
    }

    /// Writes `events` in one statement, whatever their number (a bulk import's thousands of changes), on
    /// `connection`, which should be inside the transaction making them.
    public static func record(_ events: [AuditEvent], context: AuditContext, on connection: PostgresConnection) throws {
        guard !events.isEmpty else { return }
        let actorOrganization = context.actor?.organizationID
        try connection.query(
            """
            INSERT INTO hotdesk.audit_events
                (request_id, organization_id, account_id, api_key_id, account_email, account_role, source_address,
                 action, install_id, target_type, target_id, target_label, result, changes)
            SELECT \(context.requestID), NULLIF(e.organization_id, '')::bigint, \(context.actor?.accountID),
                   \(context.actor?.apiKeyID),
                   \(context.actor?.email), \(context.actor?.role.rawValue), \(context.sourceAddress)::inet, e.action,
                   NULLIF(e.install_id, '')::bigint, NULLIF(e.target_type, ''), NULLIF(e.target_id, '')::bigint,
                   NULLIF(e.target_label, ''), e.result, e.changes::jsonb
            FROM unnest(\(events.map { ($0.organizationID ?? actorOrganization).map(String.init) ?? "" })::text[],
                        \(events.map(\.action))::text[],
                        \(events.map { $0.installID.map(String.init) ?? "" })::text[],
                        \(events.map { $0.targetType ?? "" })::text[],
                        \(events.map { $0.targetID.map(String.init) ?? "" })::text[],
                        \(events.map { $0.targetLabel ?? "" })::text[],
                        \(events.map(\.result.rawValue))::text[],
                        \(events.map { changesJSON($0.changes) })::text[])
                 WITH ORDINALITY AS e(organization_id, action, install_id, target_type, target_id, target_label, result,
                                      changes, position)
            ORDER BY e.position
            """)
    }

    /// `{"field": {"before": …, "after": …}}`; JSON escapes control characters.
    static func changesJSON(_ changes: [AuditChange]) -> String {
        var object: [String: [String: Any]] = [:]
        for change in changes {
            object[change.field] = ["before": change.before ?? NSNull(), "after": change.after ?? NSNull()]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

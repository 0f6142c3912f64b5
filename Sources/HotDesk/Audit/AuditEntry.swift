import Foundation
import PostgresClient

/// One audit event as the Audit page reads it back: who, from where, what, on which target, with what
/// result and which changes.
///
/// Text fields are exactly as recorded; they may hold anything a client typed (a failed sign-in's
/// address, say), so screens pass them through `AuditText.visible` before showing them.
public struct AuditEntry: Sendable, Equatable {
    /// The event's id: newer events have larger ids (the page's keyset cursor).
    public let id: Int
    /// When it happened.
    public let occurredAt: Date
    /// The request that caused it, also in the access log.
    public let requestID: String?
    /// The acting account, or nil (a failed sign-in, the command line).
    public let accountID: Int?
    /// The acting account's address at the time.
    public let accountEmail: String?
    /// The acting account's role at the time (`administrator`, `manager`).
    public let accountRole: String?
    /// The client address.
    public let sourceAddress: String?
    /// What happened, such as `account.created`.
    public let action: String
    /// The install the event concerns, if any.
    public let installID: Int?
    /// That install's current name, while it exists.
    public let installName: String?
    /// The kind of thing acted on, such as `account` or `user`.
    public let targetType: String?
    /// The id of the thing acted on.
    public let targetID: Int?
    /// A readable name for the thing acted on (an email address, an extension).
    public let targetLabel: String?
    /// Success, failure or refusal.
    public let result: AuditResult
    /// What changed, by field name.
    public let changes: [AuditChange]

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        occurredAt = try row.decode("occurred_at")
        requestID = try row.decode("request_id")
        accountID = try row.decode("account_id")
        accountEmail = try row.decode("account_email")
        accountRole = try row.decode("account_role")
        sourceAddress = try row.decode("source_address")
        action = try row.decode("action")
        installID = try row.decode("install_id")
        installName = try row.decode("install_name")
        targetType = try row.decode("target_type")
        targetID = try row.decode("target_id")
        targetLabel = try row.decode("target_label")
        result = try row.decode("result")
        changes = Self.changes(fromJSON: try row.decode("changes"))
    }

    /// The changes from their stored JSON (`{"field": {"before": …, "after": …}}`), by field name.
    static func changes(fromJSON json: String) -> [AuditChange] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [] }
        return object.keys.sorted().map { field in
            let values = object[field] as? [String: Any] ?? [:]
            return AuditChange(field, from: text(values["before"]), to: text(values["after"]))
        }
    }

    private static func text(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let string as String: return string
        case let other?: return "\(other)"
        }
    }
}

extension AuditResult: PostgresDecodable {
    /// Reads the `result` column (`success`, `failure`, `refused`; the table's check allows no other).
    public init(postgresText text: String?) throws(PostgresDecodingError) {
        guard let text, let result = AuditResult(rawValue: text) else {
            throw PostgresDecodingError("not an audit result")
        }
        self = result
    }
}

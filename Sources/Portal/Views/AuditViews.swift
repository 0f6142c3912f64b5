import Foundation
import HotDesk
import Templates

/// One choice of an Audit page filter.
struct AuditFilterOptionView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let value: String
    let label: String
    let selected: Bool
}

/// One change of an audit row: a field's value before and after, hidden characters spelled out; "—"
/// for no value and "(none)" for an empty one (a manager without installs).
struct AuditChangeView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let field: String
    let before: String
    let after: String

    init(_ change: AuditChange) {
        field = AuditText.visible(change.field)
        before = Self.shown(change.before)
        after = Self.shown(change.after)
    }

    private static func shown(_ value: String?) -> String {
        guard let value else { return "—" }
        return value.isEmpty ? "(none)" : AuditText.visible(value)
    }
}

/// One row of the Audit page. Every recorded text passes through `AuditText.visible`, so a control
/// character shows as `\u0007` rather than acting on the page.
struct AuditRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let time: String
    /// The request id, also in the access log and on error pages.
    let requestID: String?
    let account: String
    let role: String?
    let source: String
    let action: String
    let target: String
    let install: String?
    let result: String
    let isSuccess: Bool
    let changes: [AuditChangeView]
    let hasChanges: Bool

    init(_ entry: AuditEntry) {
        time = entry.occurredAt.formatted(.iso8601)
        requestID = entry.requestID.map(AuditText.visible)
        account = entry.accountEmail.map(AuditText.visible) ?? "—"
        role = entry.accountRole.map(AuditText.visible)
        source = entry.sourceAddress ?? "—"
        action = AuditText.visible(entry.action)
        let parts = [entry.targetType, entry.targetLabel, entry.targetID.map { "#\($0)" }].compactMap { $0 }
        target = parts.isEmpty ? "—" : AuditText.visible(parts.joined(separator: " "))
        install = entry.installID.map { id in
            AuditText.visible(entry.installName.map { "\($0) (#\(id))" } ?? "#\(id)")
        }
        result = entry.result.rawValue
        isSuccess = entry.result == .success
        changes = entry.changes.map(AuditChangeView.init)
        hasChanges = !changes.isEmpty
    }
}

/// The Audit page: its filters, one page of events, and the links to older and newest events.
struct AuditPageView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let installOptions: [AuditFilterOptionView]
    let accountOptions: [AuditFilterOptionView]
    let actionOptions: [AuditFilterOptionView]
    let rows: [AuditRowView]
    let hasRows: Bool
    let isFiltered: Bool
    /// Back to the newest events with the same filters; nil on the first page.
    let newestLink: String?
    /// The next older page with the same filters; nil when these are the oldest.
    let olderLink: String?
    /// True when there is a link to another page.
    let isPaged: Bool

    init(query: AuditQuery, page: AuditPage, installs: [InstallOption], accounts: [AccountSummary], actions: [String]) {
        installOptions = installs.map {
            AuditFilterOptionView(value: String($0.id), label: $0.name, selected: $0.id == query.installID)
        }
        accountOptions = accounts.map {
            AuditFilterOptionView(value: String($0.id), label: $0.email, selected: $0.id == query.accountID)
        }
        actionOptions = actions.map { AuditFilterOptionView(value: $0, label: $0, selected: $0 == query.action) }
        rows = page.entries.map(AuditRowView.init)
        hasRows = !rows.isEmpty
        isFiltered = query.installID != nil || query.accountID != nil || query.action != nil
        newestLink = query.before == nil ? nil : Self.link(query, before: nil)
        olderLink = page.olderBefore.map { Self.link(query, before: $0) }
        isPaged = newestLink != nil || olderLink != nil
    }

    /// `/audit?…` with the query's filters and `before`; every value is digits or an action name, so
    /// nothing needs percent-encoding.
    private static func link(_ query: AuditQuery, before: Int?) -> String {
        let pairs = [
            ("install", query.installID.map(String.init)), ("account", query.accountID.map(String.init)),
            ("action", query.action), ("before", before.map(String.init)),
        ]
        let parameters = pairs.compactMap { name, value in value.map { "\(name)=\($0)" } }
        return parameters.isEmpty ? "/audit" : "/audit?" + parameters.joined(separator: "&")
    }
}

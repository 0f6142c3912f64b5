import HotDesk
import Templates

/// One row of the API key list.
struct APIKeyRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: Int
    let name: String
    let prefix: String
    let roleTitle: String
    let isManager: Bool
    let installNames: String
    let created: String
    let createdBy: String
    let expires: String
    let lastUsed: String
    let isActive: Bool
    let status: String

    init(_ key: APIKey, installNames names: [Int: String]) {
        id = key.id
        name = key.name
        prefix = key.prefix
        roleTitle = key.role.title
        isManager = key.role == .manager
        installNames = key.installIDs.compactMap { names[$0] }.joined(separator: ", ")
        created = DisplayTime.minute(key.createdAt)
        createdBy = key.createdBy ?? "—"
        expires = key.expiresAt.map(DisplayTime.minute) ?? "never"
        lastUsed = key.lastUsedAt.map { DisplayTime.minute($0) + " from " + (key.lastUsedAddress ?? "?") } ?? "never"
        isActive = key.isActive()
        status =
            key.revokedAt.map { "Revoked " + DisplayTime.minute($0) } ?? (key.isActive() ? "Active" : "Expired")
    }
}

/// Accounts → API keys.
struct APIKeyListView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let keys: [APIKeyRowView]
    let hasKeys: Bool

    init(keys: [APIKey], installs: [InstallOption]) {
        let names = Dictionary(installs.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        self.keys = keys.map { APIKeyRowView($0, installNames: names) }
        hasKeys = !keys.isEmpty
    }
}

/// The New API key form, with what was typed and the problems found.
struct APIKeyNewView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let csrfToken: String
    let name: String
    let access: AccountAccessView
    let expiry: String
    let summary: ErrorSummaryView
    let nameError: String?
    let expiryError: String?
    let installsError: String?

    init(csrfToken: String, name: String, access: AccountAccessView, expiry: String, errors: FormErrors) {
        self.csrfToken = csrfToken
        self.name = name
        self.access = access
        self.expiry = expiry
        summary = ErrorSummaryView(errors)
        nameError = errors["name"]
        expiryError = errors["expires_on"]
        installsError = errors["installs"]
    }
}

/// The page that shows a new key's secret, the only time it is shown.
struct APIKeyCreatedView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let name: String
    let secret: String
    let roleTitle: String

    init(_ created: CreatedAPIKey) {
        name = created.key.name
        secret = created.secret.text
        roleTitle = created.key.role.title
    }
}

/// The confirmation before revoking a key.
struct APIKeyRevokeView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: Int
    let name: String
    let prefix: String
    let lastUsed: String
    let csrfToken: String

    init(key: APIKey, csrfToken: String) {
        id = key.id
        name = key.name
        prefix = key.prefix
        lastUsed = key.lastUsedAt.map(DisplayTime.minute) ?? "never"
        self.csrfToken = csrfToken
    }
}

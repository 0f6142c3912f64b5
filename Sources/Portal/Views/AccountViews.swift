import HotDesk
import Templates

/// One row of the accounts list.
struct AccountRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: Int
    let email: String
    let displayName: String
    let roleTitle: String
    let isDisabled: Bool
    let isManager: Bool
    /// For managers: the names of their installs, comma-separated; "none" when they have none.
    let installNames: String

    init(_ account: AccountSummary, installNames names: [Int: String]) {
        id = account.id
        email = account.email
        displayName = account.displayName
        roleTitle = account.role.title
        isDisabled = account.isDisabled
        isManager = account.role == .manager
        let assigned = account.installIDs.compactMap { names[$0] }.sorted()
        installNames = assigned.isEmpty ? "none" : assigned.joined(separator: ", ")
    }
}

/// The accounts list: one page of the organization's accounts, by email.
struct AccountListView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let accounts: [AccountRowView]
    let hasAccounts: Bool
    let total: Int
    let page: Int
    let pageCount: Int
    let isPaged: Bool
    let previousPage: Int?
    let nextPage: Int?

    /// One page of accounts, with the names of the organization's installs.
    init(_ page: AccountOperations.Page) {
        let names = Dictionary(uniqueKeysWithValues: page.installs.map { ($0.id, $0.name) })
        accounts = page.accounts.map { AccountRowView($0, installNames: names) }
        hasAccounts = !page.accounts.isEmpty
        total = page.total
        self.page = page.number
        pageCount = AccountOperations.Page.count(total: page.total)
        isPaged = pageCount > 1
        previousPage = page.number > 1 ? page.number - 1 : nil
        nextPage = page.number < pageCount ? page.number + 1 : nil
    }
}

/// A role the account forms offer, as a radio button.
struct AccountRoleChoiceView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let value: String
    let title: String
    let explanation: String
    let selected: Bool
}

/// An install a manager can be assigned to, as a checkbox.
struct AccountInstallChoiceView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let installID: Int
    let installName: String
    let checked: Bool
}

/// The role and install fields both account forms share (partial `account-access-fields`).
struct AccountAccessView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let roles: [AccountRoleChoiceView]
    let installChoices: [AccountInstallChoiceView]
    let hasInstallChoices: Bool
    let roleError: String?

    init(role: AccountRole?, installIDs: Set<Int>, options: [InstallOption], roleError: String?) {
        roles = AccountRole.allCases.map { choice in
            AccountRoleChoiceView(
                value: choice.rawValue, title: choice.title,
                explanation: choice == .administrator
                    ? "Everything in the organization: installs, users, PINs, trusted IPs, accounts and the audit log."
                    : "Sees the users of the installs ticked below and resets their hot desk PINs; nothing else.",
                selected: choice == role)
        }
        installChoices = options.map {
            AccountInstallChoiceView(installID: $0.id, installName: $0.name, checked: installIDs.contains($0.id))
        }
        hasInstallChoices = !options.isEmpty
        self.roleError = roleError
    }
}

/// The new-account form, with what was typed (never a password) and the problems found.
struct AccountNewView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let csrfToken: String
    let email: String
    let displayName: String
    let access: AccountAccessView
    let generatesPassword: Bool
    let summary: ErrorSummaryView
    let emailError: String?
    let displayNameError: String?
    let passwordError: String?
    let passwordConfirmationError: String?

    init(
        csrfToken: String, email: String, displayName: String, access: AccountAccessView, generatesPassword: Bool,
        errors: FormErrors
    ) {
        self.csrfToken = csrfToken
        self.email = email
        self.displayName = displayName
        self.access = access
        self.generatesPassword = generatesPassword
        summary = ErrorSummaryView(errors)
        emailError = errors["email"]
        displayNameError = errors["display_name"]
        passwordError = errors["password"]
        passwordConfirmationError = errors["password_confirmation"]
    }
}

/// The account page: role, installs and the disabled flag, plus the password reset button.
struct AccountEditView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let csrfToken: String
    let id: Int
    let email: String
    let displayName: String
    /// The version the form was read at: the stored one, or the one sent with a refused form.
    let version: Int
    /// Whether the account is disabled now (the form's checkbox may say otherwise after a refused save).
    let isDisabled: Bool
    let disabledChecked: Bool
    let isOwnAccount: Bool
    let access: AccountAccessView
    /// Why the form shows other values than the ones sent (someone saved in between), or another note.
    let notice: String?
    let summary: ErrorSummaryView
    let disabledError: String?

    init(
        _ account: AccountSummary, version: Int, csrfToken: String, isOwnAccount: Bool, access: AccountAccessView,
        disabledChecked: Bool, notice: String?, errors: FormErrors
    ) {
        self.csrfToken = csrfToken
        id = account.id
        email = account.email
        displayName = account.displayName
        self.version = version
        isDisabled = account.isDisabled
        self.disabledChecked = disabledChecked
        self.isOwnAccount = isOwnAccount
        self.access = access
        self.notice = notice
        summary = ErrorSummaryView(errors)
        disabledError = errors["disabled"]
    }
}

/// "Are you sure?": the values of an edit that disables an account, to send again with `confirm=yes`.
struct AccountDisableView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let csrfToken: String
    let id: Int
    let email: String
    let displayName: String
    let version: Int
    let role: String
    let installIDs: [Int]
    let isOwnAccount: Bool
}

/// The one page that shows a generated password: after creating an account or resetting its password.
struct AccountPasswordShownView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let heading: String
    let id: Int
    let email: String
    let displayName: String
    let password: String
}

/// The own-password form; passwords are never echoed back.
struct AccountOwnPasswordView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let csrfToken: String
    let summary: ErrorSummaryView
    let currentPasswordError: String?
    let newPasswordError: String?
    let newPasswordConfirmationError: String?

    init(csrfToken: String, errors: FormErrors) {
        self.csrfToken = csrfToken
        summary = ErrorSummaryView(errors)
        currentPasswordError = errors["current_password"]
        newPasswordError = errors["new_password"]
        newPasswordConfirmationError = errors["new_password_confirmation"]
    }
}

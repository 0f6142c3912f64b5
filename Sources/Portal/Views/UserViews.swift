import HotDesk
import Templates

/// One user as the Users tab lists it and as User Settings, Reset PIN and Delete name it, with the
/// version their forms carry; never the PIN, only whether one is set.
struct UserSummaryView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: Int
    let `extension`: String
    let displayName: String
    let hasAccess: Bool
    let hasPIN: Bool
    let updated: String
    let version: Int
    /// Logged in on a handset now: "No", or where from and on what.
    let loggedIn: String

    init(_ user: HotDeskUser, mark: LoginMark? = nil) {
        id = user.id
        `extension` = user.extension.digits
        displayName = user.displayName
        hasAccess = user.hasAccess
        hasPIN = user.hasPIN
        updated = DisplayTime.minute(user.updatedAt)
        version = user.version
        loggedIn = mark.map { "At \($0.source?.description ?? "an unknown address") (\($0.handset.summary))" } ?? "No"
    }
}

/// The Users tab: search, one page of users, page links and, for administrators, bulk access buttons.
struct UserListView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let isAdministrator: Bool
    let search: String
    let isSearching: Bool
    /// The table's rows, rendered once per kept page (`UserRowsView`).
    let userRows: RenderedHTML
    let hasUsers: Bool
    let pager: PagerView?
    let summary: ErrorSummaryView

    init(
        install: Install, context: RequestContext, search: String, page: UserPage, rows: RenderedHTML,
        errors: FormErrors
    ) {
        header = InstallHeaderView(install, tab: .users, actor: context.actor)
        csrfToken = context.session.csrfToken
        isAdministrator = context.actor.isAdministrator
        self.search = search
        isSearching = !search.isEmpty
        userRows = rows
        hasUsers = !page.items.isEmpty
        pager = PagerView(
            page, label: "Pages of users", pageSize: UserOperations.pageSize, path: "/installs/\(install.id)/users",
            query: search.isEmpty ? [] : [("q", search)], start: \.digits)
        summary = ErrorSummaryView(errors)
    }
}

/// The Users tab's table rows (`user-rows` partial): rendered when a page is read and kept with it in the read
/// cache, so a kept page costs only its frame. What they show depends on the install and on whether the account is
/// an administrator, both part of the kept page's key.
struct UserRowsView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let users: TemplateRows
    let isAdministrator: Bool
    let installID: Int
}

/// Add user: extension and name.
struct UserNewView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let summary: ErrorSummaryView
    let `extension`: TelephonyFieldView
    let displayName: TelephonyFieldView

    init(install: Install, context: RequestContext, extension typed: String, displayName: String, errors: FormErrors) {
        header = InstallHeaderView(install, tab: .users, actor: context.actor)
        csrfToken = context.session.csrfToken
        summary = ErrorSummaryView(errors)
        `extension` = TelephonyFieldView(
            "extension", label: "Extension", value: typed, errors: errors, inputMode: "numeric", maxLength: 4,
            hint: "Four digits, unique within this install, such as 0042.")
        self.displayName = TelephonyFieldView(
            "display_name", label: "Name", value: displayName, errors: errors, maxLength: 200)
    }
}

/// User Settings: name, the Hot Desk Access checkbox and the Hot Desk Pin field.
struct UserSettingsView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let user: UserSummaryView
    let summary: ErrorSummaryView
    let displayName: TelephonyFieldView
    let hasAccess: Bool
    let pin: TelephonyFieldView
    /// Someone else saved the user meanwhile; the form shows their values.
    let isStale: Bool
    /// Where the user is logged in, why their latest attempt was refused, their recent logins.
    let activity: UserActivityView

    init(
        install: Install, user: HotDeskUser, context: RequestContext, displayName: String, hasAccess: Bool,
        isStale: Bool, errors: FormErrors, activity: UserActivityView
    ) {
        header = InstallHeaderView(install, tab: .users, actor: context.actor)
        csrfToken = context.session.csrfToken
        self.user = UserSummaryView(user)
        summary = ErrorSummaryView(errors)
        self.displayName = TelephonyFieldView(
            "display_name", label: "Name", value: displayName, errors: errors, maxLength: 200)
        self.hasAccess = hasAccess
        pin = .pin(
            "pin", label: "Hot Desk Pin", errors: errors,
            hint: user.hasPIN
                ? "A PIN is set. Leave this empty to keep it, or type four new digits."
                : "No PIN is set yet. Type four digits; the user enters them on the handset with their extension.")
        self.isStale = isStale
        self.activity = activity
    }
}

/// A page that only names a user and carries its version: delete confirmation, generated PIN.
struct UserConfirmationView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let user: UserSummaryView
    /// The PIN just generated, shown on this one page only.
    let generatedPIN: String?

    init(install: Install, user: HotDeskUser, context: RequestContext, generatedPIN: HotDeskPIN? = nil) {
        header = InstallHeaderView(install, tab: .users, actor: context.actor)
        csrfToken = context.session.csrfToken
        self.user = UserSummaryView(user)
        self.generatedPIN = generatedPIN?.digits
    }
}

/// Reset PIN: a new PIN typed twice, or Generate.
struct UserResetPINView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let user: UserSummaryView
    let summary: ErrorSummaryView
    let pin: TelephonyFieldView
    let confirmation: TelephonyFieldView
    let isStale: Bool

    init(install: Install, user: HotDeskUser, context: RequestContext, isStale: Bool, errors: FormErrors) {
        header = InstallHeaderView(install, tab: .users, actor: context.actor)
        csrfToken = context.session.csrfToken
        self.user = UserSummaryView(user)
        summary = ErrorSummaryView(errors)
        pin = .pin("pin", label: "New PIN", errors: errors, hint: "Four digits that are not easy to guess.")
        confirmation = .pin("pin_confirmation", label: "New PIN again", errors: errors)
        self.isStale = isStale
    }
}

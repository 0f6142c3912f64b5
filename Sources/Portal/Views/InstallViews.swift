import HotDesk
import Templates

/// The heading, breadcrumb and tabs above every screen of one install (`install-header` partial).
struct InstallHeaderView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    /// The tabs of an install.
    enum Tab {
        case users, status, history, trustedIPs, handsets, settings
    }

    let id: Int
    let name: String
    let sipDomain: String
    let showsAdministratorTabs: Bool
    let onUsers: Bool
    let onStatus: Bool
    let onHistory: Bool
    let onTrustedIPs: Bool
    let onHandsets: Bool
    let onSettings: Bool

    init(_ install: Install, tab: Tab, actor: Actor) {
        id = install.id
        name = install.name
        sipDomain = install.sipDomain
        showsAdministratorTabs = actor.isAdministrator
        onUsers = tab == .users
        onStatus = tab == .status
        onHistory = tab == .history
        onTrustedIPs = tab == .trustedIPs
        onHandsets = tab == .handsets
        onSettings = tab == .settings
    }
}

/// One install on Telephony Settings.
struct InstallRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: Int
    let name: String
    let sipDomain: String
    let users: String
    let usersWithAccess: String
    let trustedRanges: String

    init(_ summary: InstallSummary) {
        id = summary.id
        name = summary.name
        sipDomain = summary.sipDomain
        users = TelephonyFormat.count(summary.userCount)
        usersWithAccess = TelephonyFormat.count(summary.accessCount)
        trustedRanges = TelephonyFormat.count(summary.rangeCount)
    }
}

/// Telephony Settings: search, one page of the installs the account may see, page links and, for
/// administrators, the New install form.
struct TelephonyView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let search: String
    let isSearching: Bool
    let installs: [InstallRowView]
    let hasInstalls: Bool
    let pager: PagerView?
    let isAdministrator: Bool
    let csrfToken: String
    let summary: ErrorSummaryView
    let name: TelephonyFieldView
    let sipDomain: TelephonyFieldView

    init(
        page: InstallPage, search: String, context: RequestContext, name: String, sipDomain: String, errors: FormErrors
    ) {
        self.search = search
        isSearching = InstallSearch(search).pattern != nil
        installs = page.items.map(InstallRowView.init)
        hasInstalls = !page.items.isEmpty
        pager = PagerView(
            page, label: "Pages of installs", pageSize: InstallOperations.pageSize, path: "/telephony",
            query: search.isEmpty ? [] : [("q", search)], start: String.init)
        isAdministrator = context.actor.isAdministrator
        csrfToken = context.session.csrfToken
        summary = ErrorSummaryView(errors)
        self.name = TelephonyFieldView("name", label: "Install name", value: name, errors: errors, maxLength: 200)
        self.sipDomain = TelephonyFieldView(
            "sip_domain", label: "SIP domain", value: sipDomain, errors: errors, maxLength: 253,
            hint: "The host name handsets register to, such as pbx.example.com.")
    }
}

/// An install's Settings tab: name and SIP domain, with the version the form read.
struct InstallSettingsView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let version: Int
    let summary: ErrorSummaryView
    let name: TelephonyFieldView
    let sipDomain: TelephonyFieldView
    /// The domain typed differs from the saved one: the form asks to confirm re-pointing handsets.
    let asksDomainConfirmation: Bool
    let currentDomain: String
    /// Someone else saved the install meanwhile; the form shows their values.
    let isStale: Bool
    /// The login policy's form, below.
    let loginPolicy: LoginPolicyFormView

    init(
        install: Install, context: RequestContext, name: String, sipDomain: String, asksDomainConfirmation: Bool,
        isStale: Bool, errors: FormErrors, loginPolicy: LoginPolicyFormView
    ) {
        header = InstallHeaderView(install, tab: .settings, actor: context.actor)
        csrfToken = context.session.csrfToken
        version = install.version
        summary = ErrorSummaryView(errors)
        self.name = TelephonyFieldView("name", label: "Install name", value: name, errors: errors, maxLength: 200)
        self.sipDomain = TelephonyFieldView(
            "sip_domain", label: "SIP domain", value: sipDomain, errors: errors, maxLength: 253,
            hint: "Handsets register to this host name. Changing it means every handset must be set to the new server.")
        self.asksDomainConfirmation = asksDomainConfirmation
        currentDomain = install.sipDomain
        self.isStale = isStale
        self.loginPolicy = loginPolicy
    }
}

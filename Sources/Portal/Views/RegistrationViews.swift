import Foundation
import HotDesk
import Templates
import WebServer

/// One operator logged in on a handset: a row of Hot Desk Status, and User Settings' current registration.
struct RegistrationRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: Int
    let `extension`: String
    let displayName: String
    let userID: Int?
    let loggedInAt: String
    let lastRefresh: String
    let expires: String
    let source: String
    let trustedRange: String
    let handset: String
    let userAgent: String
    let macAddress: String?

    init(_ registration: Registration) {
        id = registration.id
        `extension` = registration.extension.digits
        displayName = registration.user?.displayName ?? "Not a user of this install any more"
        userID = registration.user?.id
        loggedInAt = DisplayTime.second(registration.loggedInAt)
        lastRefresh = DisplayTime.second(registration.lastRefreshAt)
        expires = DisplayTime.second(registration.expiresAt)
        source = registration.source?.description ?? "Unknown"
        trustedRange = registration.trustedRange?.description ?? "None (the range was removed)"
        handset = registration.handset.summary
        userAgent = registration.handset.userAgent
        macAddress = registration.handset.macAddress
    }
}

/// One refused attempt (counted per extension, address and reason).
struct RefusalRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let `extension`: String
    let reason: String
    let attempts: String
    let lastAt: String

    init(_ refusal: Refusal) {
        `extension` = refusal.extension?.digits ?? "(not an extension)"
        reason = refusal.reason.sentence(from: refusal.sourceAddress)
        attempts = TelephonyFormat.count(refusal.attempts) + " from " + refusal.sourceAddress
        lastAt = DisplayTime.second(refusal.lastAt)
    }
}

/// One line of login history.
struct LoginEventRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let `extension`: String
    let what: String
    let at: String
    let loggedInAt: String
    let source: String
    let handset: String

    init(_ event: LoginEvent) {
        `extension` = event.extension.digits
        what = event.kind.description
        at = DisplayTime.second(event.at)
        loggedInAt = DisplayTime.second(event.loggedInAt)
        source = event.source?.description ?? "Unknown"
        handset = event.handset.summary
    }
}

/// An install's Hot Desk Status tab: who is logged in where, searchable, 50 a page, refreshing itself every few
/// seconds through `/static/live-refresh.js` (no inline script), with a forced-logout link per row.
struct HotDeskStatusView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let search: String
    let isSearching: Bool
    let counts: String
    let registrations: TemplateRows
    let hasRegistrations: Bool
    let pager: PagerView?
    let refreshedAt: String
    /// This page's own address, which the refresh script fetches again.
    let selfHref: String
    let refusals: TemplateRows
    let hasRefusals: Bool

    init(_ status: LiveStatus, context: RequestContext, search: String, start: RegistrationStart?, now: Date = Date()) {
        let install = status.install
        let page = status.page
        let counts = status.counts
        header = InstallHeaderView(install, tab: .status, actor: context.actor)
        self.search = search
        isSearching = !search.isEmpty
        var figures =
            "\(TelephonyFormat.count(counts.loggedIn)) logged in, of \(TelephonyFormat.count(counts.ableToLogIn)) "
        figures += counts.ableToLogIn == 1 ? "user with Hot Desk Access." : "users with Hot Desk Access."
        if let matching = counts.matching {
            figures += " \(TelephonyFormat.count(matching)) match “\(search)”."
        }
        self.counts = figures
        registrations = TemplateRows(page.items.map(RegistrationRowView.init))
        hasRegistrations = !page.items.isEmpty
        let query = search.isEmpty ? [] : [("q", search)]
        pager = PagerView(
            page, label: "Pages of logged-in operators", pageSize: RegistrationOperations.pageSize,
            path: "/installs/\(install.id)/status", query: query, start: Self.startText)
        refreshedAt = DisplayTime.second(now)
        let here = query + (start.map { [("from", Self.startText($0))] } ?? [])
        selfHref = "/installs/\(install.id)/status" + (here.isEmpty ? "" : "?" + FormData(here).encoded)
        refusals = TemplateRows(status.latestRefusals.map(RefusalRowView.init))
        hasRefusals = !status.latestRefusals.isEmpty
    }

    /// `1004.17`: the extension and the registration id a page starts at.
    static func startText(_ start: RegistrationStart) -> String {
        "\(start.extension.digits).\(start.id)"
    }

    /// Reads `startText`'s form; nil for anything else.
    static func start(_ text: String?) -> RegistrationStart? {
        guard let text else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = try? Extension(String(parts[0])),
            parts[1].utf8.count <= 10, parts[1].utf8.allSatisfy({ (48...57).contains($0) }),
            let id = Int(parts[1])
        else { return nil }
        return RegistrationStart(extension: number, id: id)
    }
}

/// Asks before logging an operator out.
struct ForcedLogoutView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let registration: RegistrationRowView
    /// Where Cancel and the result lead: Hot Desk Status, or the user's settings.
    let returnTo: String

    init(install: Install, registration: Registration, context: RequestContext, returnTo: String) {
        header = InstallHeaderView(install, tab: .status, actor: context.actor)
        csrfToken = context.session.csrfToken
        self.registration = RegistrationRowView(registration)
        self.returnTo = returnTo
    }
}

/// An install's login history, or one extension's, newest first, 50 a page.
struct LoginHistoryView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let `extension`: String
    let isFiltered: Bool
    let events: TemplateRows
    let hasEvents: Bool
    let pager: PagerView?
    let fieldError: String?

    init(install: Install, context: RequestContext, extension typed: String, page: LoginHistoryPage, error: String?) {
        header = InstallHeaderView(install, tab: .history, actor: context.actor)
        `extension` = typed
        isFiltered = !typed.isEmpty && error == nil
        events = TemplateRows(page.items.map(LoginEventRowView.init))
        hasEvents = !page.items.isEmpty
        pager = PagerView(
            page, label: "Pages of login history", pageSize: RegistrationOperations.historyPageSize,
            path: "/installs/\(install.id)/history", query: isFiltered ? [("extension", typed)] : [],
            start: { String($0) })
        fieldError = error
    }
}

/// User Settings' live part: the current registration with its logout link, the latest refused attempt with
/// its reason, and the latest history lines.
struct UserActivityView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let registrations: TemplateRows
    let isLoggedIn: Bool
    let refusal: String?
    let refusalAt: String?
    let refusalAttempts: String?
    let events: TemplateRows
    let hasEvents: Bool
    let historyHref: String

    init(_ activity: UserActivity, install: Install, user: HotDeskUser) {
        registrations = TemplateRows(activity.registrations.map(RegistrationRowView.init))
        isLoggedIn = !activity.registrations.isEmpty
        refusal = activity.lastRefusal.map { $0.reason.sentence(from: $0.sourceAddress) }
        refusalAt = activity.lastRefusal.map { DisplayTime.second($0.lastAt) }
        refusalAttempts = activity.lastRefusal.map {
            $0.attempts == 1
                ? "1 attempt from \($0.sourceAddress)"
                : "\(TelephonyFormat.count($0.attempts)) attempts from \($0.sourceAddress) since \(DisplayTime.minute($0.firstAt))"
        }
        events = TemplateRows(activity.recentEvents.map(LoginEventRowView.init))
        hasEvents = !activity.recentEvents.isEmpty
        historyHref = "/installs/\(install.id)/history?extension=\(user.extension.digits)"
    }
}

/// The Settings tab's login policy form.
struct LoginPolicyFormView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let csrfToken: String
    let version: Int
    let summary: ErrorSummaryView
    let maximumLoginHours: TelephonyFieldView
    let dailyLogoutAt: TelephonyFieldView
    let timeZone: TelephonyFieldView
    let replacesSecondLogin: Bool
    let isStale: Bool

    init(
        context: RequestContext, version: Int, input: LoginPolicyInput, isStale: Bool, errors: FormErrors
    ) {
        csrfToken = context.session.csrfToken
        self.version = version
        summary = ErrorSummaryView(errors)
        maximumLoginHours = TelephonyFieldView(
            "max_login_hours", label: "Maximum login time, in hours", value: input.maximumLoginHours, errors: errors,
            inputMode: "numeric", maxLength: 3,
            hint: "1 to 168 (a week). Leave empty for no maximum: operators stay logged in until they log out.")
        dailyLogoutAt = TelephonyFieldView(
            "daily_logout_at", label: "Daily logout at", value: input.dailyLogoutAt, errors: errors, type: "time",
            hint:
                "Every operator is logged out at this time each day, in the install's time zone. Leave empty for none."
        )
        timeZone = TelephonyFieldView(
            "time_zone", label: "Time zone", value: input.timeZone, errors: errors, maxLength: 64,
            hint: "An IANA name such as Europe/London or America/New_York.")
        replacesSecondLogin = input.secondLogin != SecondLoginRule.refuse.rawValue
        self.isStale = isStale
    }
}

/// The login policy form's fields as typed (kept on a failed save).
struct LoginPolicyInput {
    var maximumLoginHours: String
    var dailyLogoutAt: String
    var timeZone: String
    var secondLogin: String

    /// The saved policy's values.
    init(_ policy: LoginPolicy) {
        maximumLoginHours = policy.maximumLoginTime.map { String($0.hours) } ?? ""
        dailyLogoutAt = policy.dailyLogout?.description ?? ""
        timeZone = policy.timeZone.name
        secondLogin = policy.secondLogin.rawValue
    }

    /// Values as typed.
    init(maximumLoginHours: String, dailyLogoutAt: String, timeZone: String, secondLogin: String) {
        self.maximumLoginHours = maximumLoginHours
        self.dailyLogoutAt = dailyLogoutAt
        self.timeZone = timeZone
        self.secondLogin = secondLogin
    }

    /// The typed policy, or nil after recording each field's message.
    func parse(errors: inout FormErrors) -> LoginPolicy? {
        let hours =
            maximumLoginHours.allSatisfy(\.isWhitespace)
            ? .some(nil)
            : errors.parse("max_login_hours") { () throws(LoginPolicyError) in try MaximumLoginTime(maximumLoginHours) }
                .map { Optional($0) }
        let daily =
            dailyLogoutAt.allSatisfy(\.isWhitespace)
            ? .some(nil)
            : errors.parse("daily_logout_at") { () throws(LoginPolicyError) in try TimeOfDay(dailyLogoutAt) }
                .map { Optional($0) }
        let zone = errors.parse("time_zone") { () throws(LoginPolicyError) in try TimeZoneName(timeZone) }
        let rule = SecondLoginRule(rawValue: secondLogin)
        if rule == nil { errors.add("second_login", "Choose what a second login does.") }
        guard let hours, let daily, let zone, let rule else { return nil }
        return LoginPolicy(maximumLoginTime: hours, dailyLogout: daily, timeZone: zone, secondLogin: rule)
    }
}

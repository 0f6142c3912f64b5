import HotDesk
import Templates

/// One trusted range on the Trusted IPs tab.
struct TrustedNetworkRowView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: Int
    let network: String
    let description: String
    let added: String
    let addedBy: String
    let widerNetwork: String?
    let widerDescription: String?

    init(_ entry: TrustedNetworkEntry) {
        id = entry.id
        network = entry.network
        description = entry.description
        added = DisplayTime.minute(entry.createdAt)
        addedBy = entry.addedBy ?? "unknown"
        widerNetwork = entry.widerNetwork
        widerDescription = entry.widerDescription
    }
}

/// The explicit confirmation a range shorter than /8 needs: a checkbox whose label says how many
/// addresses it admits, bound to that range so it cannot confirm another.
struct WideRangeConfirmationView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let network: String
    let addressCount: String
    let isWholeInternet: Bool

    init(_ network: IPv4Network) {
        self.network = network.description
        addressCount = network.formattedAddressCount
        isWholeInternet = network.prefixLength == 0
    }
}

/// The Trusted IPs tab: the install's ranges and, below them, the Add IP Range form.
struct TrustedNetworkListView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let entries: TemplateRows
    let hasEntries: Bool
    let summary: ErrorSummaryView
    let network: TelephonyFieldView
    let description: TelephonyFieldView
    let confirmation: WideRangeConfirmationView?

    /// `ranges` is the install's ranges with their rows prepared once (`TrustedNetworkRows`).
    init(
        ranges: TrustedNetworkRows, context: RequestContext, network: String, description: String,
        confirmation: IPv4Network?, errors: FormErrors
    ) {
        header = InstallHeaderView(ranges.install, tab: .trustedIPs, actor: context.actor)
        csrfToken = context.session.csrfToken
        entries = ranges.rows
        hasEntries = ranges.count > 0
        summary = ErrorSummaryView(errors)
        self.network = TelephonyFieldView(
            "network", label: "IP range", value: network, errors: errors, maxLength: 64,
            hint: "An IPv4 range in CIDR form, such as 203.0.113.0/24, or 203.0.113.7/32 for one address.")
        self.description = TelephonyFieldView(
            "description", label: "Description", value: description, errors: errors, maxLength: 200,
            hint: "Which location this is, so that you know later why it is trusted.")
        self.confirmation = confirmation.map(WideRangeConfirmationView.init)
    }
}

/// The Trusted IPs tab's install and ranges as the read cache keeps them: the rows ready for the template.
struct TrustedNetworkRows: Sendable {
    let install: Install
    let rows: TemplateRows
    let count: Int

    init(install: Install, entries: [TrustedNetworkEntry]) {
        self.install = install
        rows = TemplateRows(entries.map(TrustedNetworkRowView.init))
        count = entries.count
    }
}

/// Remove a range: the confirmation page.
struct TrustedNetworkRemoveView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let entry: TrustedNetworkRowView

    init(install: Install, entry: TrustedNetworkEntry, context: RequestContext) {
        header = InstallHeaderView(install, tab: .trustedIPs, actor: context.actor)
        csrfToken = context.session.csrfToken
        self.entry = TrustedNetworkRowView(entry)
    }
}

import HotDesk
import Templates

/// One option of a select on the Handsets tab.
struct HandsetOptionView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let value: String
    let label: String
    let selected: Bool
}

/// What the Handsets form shows: the text as typed (or as saved), never re-derived, so a refused form
/// keeps every value.
struct HandsetFormInput {
    var family: String
    var lineKey: String
    var label: String
    var hidesServerPrompt: Bool
    var expiry: String
    var sipServer: String
    var port: String
    var transport: String
    var promptsAtStartup: Bool
}

extension HandsetFormInput {
    /// The saved settings as form text; the SIP server field is empty when it is the install's domain.
    init(_ settings: HandsetSettings) {
        family = settings.family.rawValue
        lineKey = settings.lineKey.description
        label = settings.label.text
        hidesServerPrompt = settings.hidesServerPrompt
        expiry = settings.expiry.description
        sipServer = settings.sipServer?.name ?? ""
        port = settings.port?.description ?? ""
        transport = settings.transport?.rawValue ?? ""
        promptsAtStartup = settings.promptsAtStartup
    }
}

/// The provisioning section: whether the URL answers, the URLs to enter, and its form.
struct ProvisioningView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let enabled: Bool
    let trustedRangesOnly: Bool
    let hasToken: Bool
    let serverURL: String?
    let commonBootURL: String?
    let handsetBootURL: String?
    let configurationURL: String?
}

/// The Handsets tab: the settings form, the generated file, the web-interface guide and provisioning.
struct HandsetTabView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let version: Int
    let isStale: Bool
    let summary: ErrorSummaryView
    let families: [HandsetOptionView]
    let familyError: String?
    let lineKey: TelephonyFieldView
    let label: TelephonyFieldView
    let hidesServerPrompt: Bool
    let promptsAtStartup: Bool
    let expiry: TelephonyFieldView
    let sipServer: TelephonyFieldView
    let port: TelephonyFieldView
    let transports: [HandsetOptionView]
    let transportError: String?
    /// The saved file, line by line (what the download and the provisioning URL serve).
    let fileText: String
    let downloadName: String
    let guide: [String]
    let provisioning: ProvisioningView

    init(
        install: Install, profile: HandsetProfile, input: HandsetFormInput, provisioningBase: String,
        context: RequestContext, isStale: Bool, errors: FormErrors
    ) {
        header = InstallHeaderView(install, tab: .handsets, actor: context.actor)
        csrfToken = context.session.csrfToken
        version = profile.version
        self.isStale = isStale
        summary = ErrorSummaryView(errors)
        families = HandsetFamily.allCases.map {
            HandsetOptionView(
                value: $0.rawValue, label: "\($0.title) (line keys 1–\($0.lineKeyCount))",
                selected: $0.rawValue == input.family)
        }
        familyError = errors["handset_family"]
        lineKey = TelephonyFieldView(
            "line_key", label: "Line key", value: input.lineKey, errors: errors, inputMode: "numeric", maxLength: 2,
            hint:
                "The DSS line key that becomes the Hot Desking key (linekey.N). With several models, use a key the smallest one has."
        )
        label = TelephonyFieldView(
            "key_label", label: "Key label", value: input.label, errors: errors, maxLength: 32,
            hint: "What the key shows, at most 32 characters, e.g. Hot Desking or Register.")
        hidesServerPrompt = input.hidesServerPrompt
        promptsAtStartup = input.promptsAtStartup
        expiry = TelephonyFieldView(
            "registration_expiry", label: "Registration expiry (seconds)", value: input.expiry, errors: errors,
            inputMode: "numeric", maxLength: 3,
            hint: "60 to 600; handsets must re-register at least every ten minutes. 500 is recommended.")
        sipServer = TelephonyFieldView(
            "sip_server", label: "SIP server", value: input.sipServer, errors: errors, maxLength: 253,
            hint: "Leave empty to use this install's SIP domain, \(install.sipDomain).")
        port = TelephonyFieldView(
            "sip_port", label: "Port (optional)", value: input.port, errors: errors, inputMode: "numeric", maxLength: 5,
            hint: "Empty: the handset's default (5060 for UDP and TCP).")
        transports =
            [HandsetOptionView(value: "", label: "Handset default", selected: input.transport.isEmpty)]
            + SIPTransport.allCases.map {
                HandsetOptionView(value: $0.rawValue, label: $0.title, selected: $0.rawValue == input.transport)
            }
        transportError = errors["sip_transport"]
        let server = profile.settings.server(installDomain: install.sipDomain)
        fileText = YealinkFiles.configuration(profile.settings, server: server)
        downloadName = DownloadName.of("hotdesking", install, fileExtension: "cfg")
        guide = HandsetGuide.steps(profile.settings, server: server)
        let base = profile.token.map { "\(provisioningBase)/provision/\($0.text)/" }
        provisioning = ProvisioningView(
            enabled: profile.provisioningEnabled, trustedRangesOnly: profile.trustedRangesOnly,
            hasToken: profile.token != nil,
            serverURL: base, commonBootURL: base.map { $0 + "y000000000000.boot" },
            handsetBootURL: base.map { $0 + "001565a1b2c3.boot" },
            configurationURL: base.map { $0 + YealinkFiles.configurationFileName })
    }
}

/// The rotate-token confirmation page.
struct HandsetRotateView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String

    init(install: Install, context: RequestContext) {
        header = InstallHeaderView(install, tab: .handsets, actor: context.actor)
        csrfToken = context.session.csrfToken
    }
}

/// The article's web-interface route, filled in with the install's values: for an administrator who
/// sets up one handset by hand.
enum HandsetGuide {
    static func steps(_ settings: HandsetSettings, server: String) -> [String] {
        let key = settings.lineKey.number
        let port = settings.port.map { ", Port \($0)" } ?? ""
        let transport = settings.transport.map { ", Transport \($0.title)" } ?? ""
        var steps = [
            "Open the handset's IP address in a web browser and sign in as its administrator.",
            "Go to DSS Keys, then the Line Keys tab.",
            "On Line Key \(key), set Type to “Hot Desking”. Leave Value empty, and Line and Extension blank if they are not disabled.",
            "Set Label to “\(settings.label.text)”. Click Confirm.",
        ]
        if settings.family.isT38 {
            steps.append("Go to Account (Register): set SIP Server to \(server)\(port)\(transport). Click Confirm.")
            steps.append(
                "Go to Account, then Advanced: set Login Expire (seconds) to \(settings.expiry.seconds). Click Confirm."
            )
        } else {
            steps.append(
                "Go to Account: set SIP Server 1 to \(server)\(port)\(transport), and Server Expires, directly below it, to \(settings.expiry.seconds). Click Confirm."
            )
        }
        steps.append(
            settings.hidesServerPrompt
                ? "The web interface has no switch for the login prompt's Server field: import the downloaded .cfg file (Settings, Configuration) or use auto-provisioning to hide it. Until then operators enter \(server) as the server."
                : "Operators are asked for the server when they log in: they enter \(server).")
        if settings.promptsAtStartup {
            steps.append(
                "The login prompt at start-up (Logon Wizard) is set by the .cfg file or auto-provisioning only: after a restart the handset asks for an extension and PIN."
            )
        }
        steps.append(
            "Press the Hot Desking key on the handset, confirm clearing the account, and log in with an extension and its PIN to test."
        )
        return steps
    }
}

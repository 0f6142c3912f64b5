/// An install's hot desking settings for its Yealink handsets, every field already valid.
///
/// It exists so that the Handsets tab, the generated file and the store pass one typed value around;
/// `standard` holds the article's recommendations (key 3 labelled "Hot Desking", server prompt hidden,
/// 500-second expiry, the install's own SIP domain as server).
public struct HandsetSettings: Sendable, Equatable {
    /// Which handsets the file is for.
    public var family: HandsetFamily
    /// The line key that becomes the Hot Desking key; always one the family has.
    public var lineKey: LineKeyPosition
    /// The key's label.
    public var label: HotDeskKeyLabel
    /// True writes `hotdesking.dsskey_sip_server_enable = 0`: operators type only extension and PIN.
    public var hidesServerPrompt: Bool
    /// The registration expiry.
    public var expiry: RegistrationExpiry
    /// The SIP server handsets register to; nil means the install's SIP domain.
    public var sipServer: SIPDomain?
    /// The server's port; nil leaves the handset's default.
    public var port: SIPPort?
    /// The transport; nil leaves the handset's default.
    public var transport: SIPTransport?
    /// True writes `phone_setting.logon_wizard = 1` with the `hotdesking.startup_*` prompts: a handset that starts
    /// asks for an operator's extension and PIN.
    public var promptsAtStartup: Bool

    /// Creates settings; `lineKey` must fit `family` (see `LineKeyPosition.init(_:family:)`).
    public init(
        family: HandsetFamily, lineKey: LineKeyPosition, label: HotDeskKeyLabel, hidesServerPrompt: Bool,
        expiry: RegistrationExpiry, sipServer: SIPDomain?, port: SIPPort?, transport: SIPTransport?,
        promptsAtStartup: Bool = false
    ) {
        precondition(lineKey.fits(family), "line key \(lineKey) does not fit \(family)")
        self.family = family
        self.lineKey = lineKey
        self.label = label
        self.hidesServerPrompt = hidesServerPrompt
        self.expiry = expiry
        self.sipServer = sipServer
        self.port = port
        self.transport = transport
        self.promptsAtStartup = promptsAtStartup
    }

    /// The article's recommendations.
    public static let standard = HandsetSettings(
        family: .standard, lineKey: .standard, label: .standard, hidesServerPrompt: true, expiry: .standard,
        sipServer: nil, port: nil, transport: nil)

    /// The host name handsets register to, given the install's SIP domain.
    public func server(installDomain: String) -> String { sipServer?.name ?? installDomain }
}

/// An install's handset settings with its auto-provisioning state, as the Handsets tab reads them.
public struct HandsetProfile: Sendable, Equatable {
    /// The install.
    public let installID: Int
    /// The settings.
    public let settings: HandsetSettings
    /// True when the provisioning URL answers.
    public let provisioningEnabled: Bool
    /// The URL's secret, once provisioning was first enabled.
    public let token: ProvisioningToken?
    /// True when only addresses in the install's trusted ranges may fetch the files.
    public let trustedRangesOnly: Bool
    /// Optimistic locking: the version the forms read.
    public let version: Int
}

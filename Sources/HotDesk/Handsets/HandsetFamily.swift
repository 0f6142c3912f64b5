/// The Yealink handsets an install's hot desking file is written for: how many line keys they have and
/// which configuration keys they read.
///
/// It exists because the Hot Desking key must sit on a line key the handset has, and because the older
/// T38G reads the registration expiry and SIP server under other keys than the T4x series. Sources:
/// - line key counts of the T4x series: Yealink, "Administrator's Guide for SIP-T2 Series/T19(P) E2/T4
///   Series IP Phones", `linekey.X.type`: "X ranges from 1 to 29 (for SIP-T48G/S), 1 to 27 (for
///   SIP-T46G/T46S/T29G), 1 to 15 (for SIP-T42G/T42S/T41P/T41S), 1 to 3 (for SIP-T40P/T40G)";
/// - the T38G (firmware 38.70) has 6 line keys `linekey.1`–`linekey.6` beside 10 memory keys
///   `memorykey.1`–`memorykey.10`, as the Wazo/XiVO Yealink v70 provisioning plugin
///   (wazo-platform/wazo-provd-plugins, `plugins/xivo-yealink/v70/entry.py`) configures them.
public enum HandsetFamily: String, Sendable, CaseIterable {
    case t40
    case t41T42 = "t41_t42"
    case t46
    case t48
    case t38

    /// The family the form starts with.
    public static let standard = HandsetFamily.t46

    /// The models, as the form's choices name them.
    public var title: String {
        switch self {
        case .t40: return "Yealink T40P / T40G"
        case .t41T42: return "Yealink T41P / T41S / T42G / T42S"
        case .t46: return "Yealink T46G / T46S"
        case .t48: return "Yealink T48G / T48S"
        case .t38: return "Yealink T38G"
        }
    }

    /// The highest line key number the handsets accept (`linekey.X`, X from 1).
    public var lineKeyCount: Int {
        switch self {
        case .t40: return 3
        case .t41T42: return 15
        case .t46: return 27
        case .t48: return 29
        case .t38: return 6
        }
    }

    /// True for the T38G, whose firmware 70 names the registration expiry "Login Expire" (under
    /// Account → Advanced) and reads the account's server from `account.1.sip_server_host`.
    public var isT38: Bool { self == .t38 }
}

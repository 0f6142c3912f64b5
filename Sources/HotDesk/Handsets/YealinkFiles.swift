/// The text of the files a Yealink handset reads: the hot desking configuration (`.cfg`) and the boot
/// file that includes it.
///
/// It exists so that the download, the Handsets tab and the provisioning URL show the very same lines.
/// Every file starts with the `#!version:1.0.0.1` header Yealink requires on the first line. Keys:
/// - the Hot Desking DSS line key as the article gives it: `linekey.N.line`, `.value`, `.pickup_value`,
///   `.type = 34` (Hot Desking), `.xml_phonebook`, `.label`; and the key's prompts
///   `hotdesking.dsskey_username_enable`, `hotdesking.dsskey_password_enable` (always on: the PIN prompt must not
///   depend on a model's default, which differs between models) and `hotdesking.dsskey_sip_server_enable`
///   (Yealink, "Administrator's Guide for SIP-T2 Series/T19(P) E2/T4 Series IP Phones", Hot Desking);
/// - the login prompt at start-up: `phone_setting.logon_wizard`, and when it is on the same prompts as
///   `hotdesking.startup_username_enable`, `hotdesking.startup_password_enable`,
///   `hotdesking.startup_sip_server_enable` (same guide, "Hot Desking" and "Logon Wizard");
/// - T4x: `account.1.sip_server.1.address`, `.port`, `.transport` (0 UDP, 1 TCP, 2 TLS) and `.expires`,
///   "Account->Register->SIP Server Y->Server Expires" in the same guide;
/// - T38G (firmware 70): `account.1.sip_server_host`, `account.1.sip_server_port`, `account.1.transport`
///   and `account.1.expires`, "Configure the register expiry time (in seconds)" in Yealink's firmware-70
///   common configuration template; its web interface shows it as Account → Advanced → Login Expire.
/// - boot files: `include:config "file.cfg"`, a path relative to the boot file (Yealink, "Auto
///   Provisioning Guide", Boot Files; boot files need firmware 81 or later).
///
/// Values are written after `key = ` on one line. Settings are validated before they get here; as a
/// second defence every control, line-separator, text-direction and zero-width character is dropped
/// from a value, so nothing can start a second line.
public enum YealinkFiles {
    /// The first line of every Yealink provisioning file.
    public static let header = "#!version:1.0.0.1"

    /// The configuration file the boot files include, relative to them.
    public static let configurationFileName = "hotdesking.cfg"

    /// The configuration lines for `settings`, registering to `server`, each without a line break.
    public static func configurationLines(_ settings: HandsetSettings, server: String) -> [String] {
        let key = "linekey.\(settings.lineKey.number)"
        var lines = [
            header,
            "## Hot desking key and registration settings, written by HotDesk.",
            line("\(key).line", "0"),
            line("\(key).value", ""),
            line("\(key).pickup_value", ""),
            line("\(key).type", "34"),
            line("\(key).xml_phonebook", ""),
            line("\(key).label", settings.label.text),
            line("hotdesking.dsskey_username_enable", "1"),
            line("hotdesking.dsskey_password_enable", "1"),
            line("hotdesking.dsskey_sip_server_enable", settings.hidesServerPrompt ? "0" : "1"),
            line("phone_setting.logon_wizard", settings.promptsAtStartup ? "1" : "0"),
        ]
        if settings.promptsAtStartup {
            lines += [
                line("hotdesking.startup_username_enable", "1"),
                line("hotdesking.startup_password_enable", "1"),
                line("hotdesking.startup_sip_server_enable", settings.hidesServerPrompt ? "0" : "1"),
            ]
        }
        let account = settings.family.isT38 ? "account.1" : "account.1.sip_server.1"
        lines.append(line(settings.family.isT38 ? "account.1.sip_server_host" : "\(account).address", server))
        if let port = settings.port {
            lines.append(
                line(settings.family.isT38 ? "account.1.sip_server_port" : "\(account).port", port.description))
        }
        if let transport = settings.transport {
            lines.append(line("\(account).transport", String(transport.yealinkCode)))
        }
        lines.append(line("\(account).expires", settings.expiry.description))
        return lines
    }

    /// The configuration file's text: its lines, each ending in a line feed.
    public static func configuration(_ settings: HandsetSettings, server: String) -> String {
        configurationLines(settings, server: server).map { $0 + "\n" }.joined()
    }

    /// A boot file (common `y000000000000.boot` or per-handset `<mac>.boot`) that includes the hot desking
    /// configuration.
    public static func boot() -> String {
        [
            header,
            "## Boot file written by HotDesk; the line above must stay first.",
            "include:config \"\(configurationFileName)\"",
        ].map { $0 + "\n" }.joined()
    }

    /// `key = value` with every hidden character (see `HiddenScalar`) removed from both.
    static func line(_ key: String, _ value: String) -> String {
        oneLine(key) + " = " + oneLine(value)
    }

    /// `text` without control, line-separator, text-direction and zero-width characters.
    static func oneLine(_ text: String) -> String {
        var output = ""
        output.unicodeScalars.append(contentsOf: text.unicodeScalars.filter { HiddenScalar($0) == nil })
        return output
    }
}

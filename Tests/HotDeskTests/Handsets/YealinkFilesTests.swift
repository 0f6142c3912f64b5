import Foundation
import HotDesk
import TestSupport
import Testing

@Suite("Yealink files: generated text matches the expected files in Tests/HotDeskTests/Fixtures/handsets")
struct YealinkFilesTests {
    private static func expected(_ name: String) throws -> String {
        let path = TestPostgres.repositoryRoot + "/Tests/HotDeskTests/Fixtures/handsets/" + name
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Compares line by line, so a failure names the first differing line.
    private static func expectSameLines(_ actual: String, _ expectedText: String, _ file: String) {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expectedText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(actualLines.count == expectedLines.count, "\(file): line count")
        for (number, (got, want)) in zip(actualLines, expectedLines).enumerated() {
            #expect(got == want, "\(file) line \(number + 1)")
        }
    }

    @Test("the article's defaults: key 3 labelled Hot Desking, prompt hidden, 500 s, the install's domain")
    func defaults() throws {
        let text = YealinkFiles.configuration(.standard, server: "pbx.example.com")
        Self.expectSameLines(text, try Self.expected("default-t46.cfg"), "default-t46.cfg")
        #expect(text.hasPrefix("#!version:1.0.0.1\n"))
    }

    @Test(
        "the login prompt at start-up: logon_wizard on, with the username and PIN prompts and the server's as the key's"
    )
    func promptAtStartup() throws {
        var settings = HandsetSettings.standard
        settings.promptsAtStartup = true
        let text = YealinkFiles.configuration(settings, server: "pbx.example.com")
        Self.expectSameLines(text, try Self.expected("startup-prompt-t46.cfg"), "startup-prompt-t46.cfg")
    }

    @Test("custom T48 settings: last key, own label, prompt shown, own server with port and TLS, 300 s")
    func customT48() throws {
        let settings = HandsetSettings(
            family: .t48, lineKey: try LineKeyPosition("29", family: .t48),
            label: try HotDeskKeyLabel(" Register – Desk 4 "),
            hidesServerPrompt: false, expiry: try RegistrationExpiry("300"),
            sipServer: try SIPDomain("SIP.example.net"),
            port: try SIPPort("5061"), transport: .tls)
        let text = YealinkFiles.configuration(settings, server: settings.server(installDomain: "pbx.example.com"))
        Self.expectSameLines(text, try Self.expected("custom-t48.cfg"), "custom-t48.cfg")
    }

    @Test("the T38G gets its firmware-70 keys: sip_server_host, sip_server_port, transport, expires (Login Expire)")
    func t38() throws {
        let settings = HandsetSettings(
            family: .t38, lineKey: try LineKeyPosition("6", family: .t38), label: try HotDeskKeyLabel("Hot Desk"),
            hidesServerPrompt: true, expiry: .standard, sipServer: nil, port: try SIPPort("5060"), transport: .udp)
        let text = YealinkFiles.configuration(settings, server: settings.server(installDomain: "pbx.example.com"))
        Self.expectSameLines(text, try Self.expected("t38.cfg"), "t38.cfg")
        #expect(!text.contains("account.1.sip_server.1."))
    }

    @Test("the boot file has the version header first and includes the configuration by a relative name")
    func boot() throws {
        Self.expectSameLines(YealinkFiles.boot(), try Self.expected("boot.boot"), "boot.boot")
    }

    @Test("every line is one key = value pair after the header and comment, whatever the settings")
    func oneSettingPerLine() throws {
        for family in HandsetFamily.allCases {
            let settings = HandsetSettings(
                family: family, lineKey: try LineKeyPosition(String(family.lineKeyCount), family: family),
                label: try HotDeskKeyLabel("A = B # C"), hidesServerPrompt: true, expiry: .standard,
                sipServer: nil, port: nil, transport: .tcp)
            let lines = YealinkFiles.configurationLines(settings, server: "pbx.example.com")
            #expect(lines[0] == YealinkFiles.header)
            for line in lines.dropFirst(2) {
                #expect(
                    line.hasPrefix("linekey.") || line.hasPrefix("hotdesking.") || line.hasPrefix("account.1.")
                        || line.hasPrefix("phone_setting."))
                #expect(!line.contains("\n") && !line.contains("\r"))
            }
            #expect(lines.contains("linekey.\(family.lineKeyCount).label = A = B # C"))
        }
    }
}

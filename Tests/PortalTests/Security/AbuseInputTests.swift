import Crypto
import HotDesk
import Testing
import WebServer

/// Abuse of the values inside well-formed requests: session cookies, sign-in redirects, digits from other
/// scripts, and hidden text-direction or zero-width characters.
@Suite("Abuse: session cookies, sign-in redirects, Unicode digits and hidden characters")
struct AbuseInputTests {
    /// Arabic-Indic, extended Arabic-Indic, Devanagari, Bengali, Thai, fullwidth, superscript, subscript,
    /// circled and mathematical bold digits, and one Arabic-Indic digit among ASCII ones.
    private static let foreignDigits = [
        "١٢٣٤", "۱۲۳۴", "१२३४", "১২৩৪", "๑๒๓๔", "１２３４", "¹²³⁴", "₁₂₃₄", "①②③④", "𝟏𝟐𝟑𝟒", "12٣4",
    ]

    /// Bidirectional embeddings, overrides and isolates, and zero-width characters, each inside a name.
    private static let hiddenCharacters: [(String, String)] = [
        ("\u{202A}", "text-direction"), ("\u{202B}", "text-direction"), ("\u{202C}", "text-direction"),
        ("\u{202D}", "text-direction"), ("\u{202E}", "text-direction"), ("\u{2066}", "text-direction"),
        ("\u{2067}", "text-direction"), ("\u{2068}", "text-direction"), ("\u{2069}", "text-direction"),
        ("\u{200B}", "zero-width"), ("\u{200C}", "zero-width"), ("\u{200D}", "zero-width"), ("\u{2060}", "zero-width"),
        ("\u{FEFF}", "zero-width"),
    ]

    @Test(
        "forged, malformed, duplicated and expired session cookies: POST is 403 with nothing changed, GET asks to sign in"
    )
    func badSessionCookies() throws {
        let fixture = try AbuseFixture()
        let harness = fixture.harness
        let valid = fixture.accounts.administrator.token
        let expiredIdle = try harness.signIn(email: "admin@a.example")
        let expiredAbsolute = try harness.signIn(email: "admin@a.example")
        try harness.pool.query(
            """
            UPDATE hotdesk.sessions SET last_seen_at = now() - interval '31 minutes'
            WHERE token_hash = \(Secrets.sha256Hex(expiredIdle.token))
            """)
        try harness.pool.query(
            """
            UPDATE hotdesk.sessions SET created_at = now() - interval '13 hours'
            WHERE token_hash = \(Secrets.sha256Hex(expiredAbsolute.token))
            """)
        let forged = Secrets.randomToken()
        let cookies: [(String, String)] = [
            ("forged", "hotdesk_session=\(forged)"), ("too short", "hotdesk_session=\(valid.dropLast())"),
            ("too long", "hotdesk_session=\(valid)A"), ("empty", "hotdesk_session="),
            ("quoted SQL", "hotdesk_session=\"' OR '1'='1\""),
            ("non-ASCII", "hotdesk_session=\(String(valid.dropLast(2)))é"),
            ("forged then genuine", "hotdesk_session=\(forged); hotdesk_session=\(valid)"),
            ("genuine then forged", "hotdesk_session=\(valid); hotdesk_session=\(forged)"),
            ("genuine in two headers", "hotdesk_session=\(valid)\u{0}hotdesk_session=\(forged)"),
            ("expired by idleness", "hotdesk_session=\(expiredIdle.token)"),
            ("past the absolute limit", "hotdesk_session=\(expiredAbsolute.token)"),
        ]
        for form in try fixture.forms() where form.session != nil {
            let before = try fixture.snapshot()
            for (label, cookie) in cookies {
                let headers = cookie.split(separator: "\u{0}").map { ("Cookie", String($0)) }
                var request = try harness.request(.POST, form.path, fields: form.fields, headers: headers)
                request = Request(
                    method: .POST, path: request.path, headers: request.headers, body: request.body,
                    remoteAddress: request.remoteAddress)
                let response = harness.send(request)
                #expect(
                    response.status == .forbidden, "\(form) with \(label) cookie: \(AbuseFixture.describe(response))")
                #expect(PortalHarness.text(response).contains("Nothing was changed"), "\(form) with \(label) cookie")
            }
            #expect(try fixture.snapshot() == before, "\(form)")
        }
        for (label, cookie) in cookies {
            let headers = HTTPHeaders(
                cookie.split(separator: "\u{0}").map { ("Cookie", String($0)) } + [("Host", "portal.test")])
            let response = harness.send(Request(method: .GET, path: "/telephony", headers: headers))
            #expect(response.status == .seeOther, "GET with \(label) cookie")
            #expect(response.headers["Location"] == "/login?next=/telephony", "GET with \(label) cookie")
        }
        let genuine = harness.send(
            Request(
                method: .GET, path: "/telephony",
                headers: HTTPHeaders([("Host", "portal.test"), ("Cookie", "hotdesk_session=\(valid)")])))
        #expect(genuine.status == .ok)
    }

    /// Values of the sign-in form's `next` field (and of `/login?next=`) that try to leave the portal.
    private static let offsiteNexts = [
        "//evil.example", "https://evil.example", "http://evil.example/", "/\\evil.example", "\\\\evil.example",
        "%2F%2Fevil.example", "%2f%2fevil.example", "/%2F%2Fevil.example/..", "\\/evil.example", "/\t/evil.example",
        "/\n/evil.example", " //evil.example", "///evil.example", "//evil.example@portal.test", "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "/\u{3000}/evil.example", "/\u{FF0F}evil.example",
        "https:evil.example",
        "evil.example", "@evil.example", "/\r\nLocation: https://evil.example",
    ]

    @Test("sign-in never redirects off the portal, whatever next= says, and the form never carries such a next")
    func signInRedirectStaysOnPortal() throws {
        let fixture = try AbuseFixture()
        let harness = fixture.harness
        for next in Self.offsiteNexts {
            let form = try fixture.forms()[0]
            let fields = form.fields.map { $0.0 == "next" ? ("next", next) : $0 }
            let response = try fixture.send(form, fields: fields)
            #expect(response.status == .seeOther, "next=\(next)")
            let location = response.headers["Location"] ?? ""
            #expect(Self.isPathOnThisPortal(location), "next=\(next) → Location: \(location)")
            let query = "/login?" + FormData([("next", next)]).encoded
            let signedIn = harness.send(try harness.request(.GET, query, session: fixture.accounts.administrator))
            let again = signedIn.headers["Location"] ?? ""
            #expect(Self.isPathOnThisPortal(again), "signed-in GET /login?next=\(next) → Location: \(again)")
            let page = PortalHarness.text(harness.send(try harness.request(.GET, query)))
            let hidden = page.components(separatedBy: "name=\"next\" value=\"").dropFirst().first?.prefix { $0 != "\"" }
            #expect(
                hidden.map { Self.isPathOnThisPortal(String($0)) } ?? true,
                "the sign-in form carries next=\(hidden ?? "")")
        }
    }

    /// A path a browser resolves against this portal: one `/`, then no `/` or `\`, only visible ASCII.
    private static func isPathOnThisPortal(_ location: String) -> Bool {
        location.hasPrefix("/") && !location.hasPrefix("//") && !location.hasPrefix("/\\")
            && location.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }

    @Test(
        "digits from other scripts in PIN, extension, IP range and handset number fields → 422 saying so, nothing changed"
    )
    func foreignDigitsInDigitFields() throws {
        let fixture = try AbuseFixture()
        let harness = fixture.harness
        let admin = fixture.accounts.administrator
        let install = "/installs/\(fixture.accounts.install)"
        let userPath = "\(install)/users/\(fixture.user)"
        let before = try fixture.snapshot()
        for digits in Self.foreignDigits {
            let version = try harness.userField(fixture.user, "version") ?? ""
            let handsetVersion = String(try harness.handsetVersion(fixture.accounts.install))
            let foreign = "digits from another script"
            let cases: [(String, TestSession, [(String, String)], String)] = [
                (
                    userPath + "/pin", fixture.accounts.manager,
                    [("version", version), ("pin", digits), ("pin_confirmation", digits)], foreign
                ),
                (
                    userPath, admin,
                    [("version", version), ("display_name", "Ann Smith"), ("hot_desk_access", "yes"), ("pin", digits)],
                    foreign
                ),
                (install + "/users", admin, [("extension", digits), ("display_name", "Bob Jones")], foreign),
                (
                    install + "/trusted-ips", admin,
                    [("network", "10.0.0.0/" + digits.suffix(2)), ("description", "Branch")], foreign
                ),
                (
                    install + "/trusted-ips", admin,
                    [("network", digits.suffix(3) + ".0.0.0/8"), ("description", "Branch")], foreign
                ),
                (
                    install + "/handsets", admin,
                    [("version", handsetVersion)]
                        + PortalHarness.handsetFields(lineKey: String(digits.dropFirst().prefix(2))),
                    "whole number in digits"
                ),
                (
                    install + "/handsets", admin,
                    [("version", handsetVersion)] + PortalHarness.handsetFields(expiry: String(digits.suffix(3))),
                    "whole number of seconds"
                ),
            ]
            for (path, session, fields, message) in cases {
                let response = try harness.post(path, session: session, fields: fields)
                let place = "POST \(path) with \(fields)"
                #expect(response.status == .unprocessableContent, "\(place): \(AbuseFixture.describe(response))")
                #expect(PortalHarness.text(response).contains(message), "\(place)")
            }
            let whole = try harness.post(
                userPath + "/clear-pin", session: admin, fields: [("version", digits)])
            #expect(whole.status == .badRequest, "version=\(digits)")
            #expect(PortalHarness.text(whole).contains("must be a whole number"), "version=\(digits)")
            for target in [
                "/installs/\(digits)/users", "\(install)/users/\(digits)", "\(install)/users?from=\(digits)",
            ] {
                let response = harness.send(try harness.request(.GET, target, session: admin))
                #expect(response.status == .notFound, "GET \(target)")
            }
        }
        #expect(try fixture.snapshot() == before)
    }

    @Test(
        "hidden text-direction and zero-width characters in names, descriptions and emails → 422 saying so, nothing changed"
    )
    func hiddenCharactersInText() throws {
        let fixture = try AbuseFixture()
        let harness = fixture.harness
        let admin = fixture.accounts.administrator
        let install = "/installs/\(fixture.accounts.install)"
        let before = try fixture.snapshot()
        for (character, kind) in Self.hiddenCharacters {
            for text in ["Ann\(character) Smith", "\(character)Ann", "Ann\(character)"] {
                let userVersion = try harness.userField(fixture.user, "version") ?? ""
                let installVersion: Int = try harness.pool.query(
                    "SELECT version FROM hotdesk.installs WHERE id = \(fixture.accounts.install)")[0].decode("version")
                let domain: String = try harness.pool.query(
                    "SELECT sip_domain FROM hotdesk.installs WHERE id = \(fixture.accounts.install)")[0].decode(
                        "sip_domain")
                let cases: [(String, [(String, String)], String)] = [
                    (install + "/users", [("extension", "0043"), ("display_name", text)], kind),
                    (
                        install + "/users/\(fixture.user)",
                        [("version", userVersion), ("display_name", text), ("hot_desk_access", "yes")], kind
                    ),
                    ("/accounts", PortalHarness.newAccountFields(email: "new@a.example", name: text), kind),
                    ("/installs", [("name", text), ("sip_domain", "branch.example.com")], kind),
                    (
                        install + "/settings",
                        [("version", String(installVersion)), ("name", text), ("sip_domain", domain)],
                        kind
                    ),
                    (install + "/trusted-ips", [("network", "198.51.100.0/24"), ("description", text)], kind),
                    (
                        "/accounts", PortalHarness.newAccountFields(email: "a\(character)b@a.example", name: "Ann"),
                        "hidden characters"
                    ),
                    ("/installs", [("name", "Branch"), ("sip_domain", "bra\(character)nch.example.com")], "punycode"),
                ]
                for (path, fields, message) in cases {
                    let response = try harness.post(path, session: admin, fields: fields)
                    let place =
                        "POST \(path) with U+\(String(character.unicodeScalars.first!.value, radix: 16, uppercase: true)) in \(fields)"
                    #expect(response.status == .unprocessableContent, "\(place): \(AbuseFixture.describe(response))")
                    #expect(PortalHarness.text(response).contains(message), "\(place)")
                }
            }
        }
        #expect(try fixture.snapshot() == before)
    }
}

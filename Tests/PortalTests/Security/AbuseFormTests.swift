import HotDesk
import Testing
import WebServer

/// Malformed, duplicated, unexpected and mistyped form input sent to every state-changing form: each is
/// answered with a 4xx page that says what was wrong, nothing in the database changes, and the portal
/// keeps serving.
@Suite("Abuse: malformed form bodies on every mutating form")
struct AbuseFormTests {
    /// Raw bytes appended to one field's (encoded) value or name: invalid UTF-8, overlong encodings of `/`
    /// and NUL, a UTF-16 surrogate, a 5-byte sequence, NUL escaped and raw.
    private static let malformedBytes: [(String, [UInt8])] = [
        ("overlong / %C0%AF", Array("%C0%AF".utf8)), ("overlong NUL %C0%80", Array("%C0%80".utf8)),
        ("lone byte %FF", Array("%FF".utf8)), ("truncated %E2%82", Array("%E2%82".utf8)),
        ("surrogate %ED%A0%80", Array("%ED%A0%80".utf8)), ("5-byte %F8%88%80%80%80", Array("%F8%88%80%80%80".utf8)),
        ("escaped NUL %00", Array("%00".utf8)), ("raw NUL", [0]), ("raw overlong C0 AF", [0xC0, 0xAF]),
        ("raw lone FE", [0xFE]), ("bad escape %zz", Array("%zz".utf8)), ("bare %", Array("%".utf8)),
        ("half escape %4", Array("%4".utf8)), ("escape %G1", Array("%G1".utf8)),
    ]

    /// `fields` encoded, with `suffix` appended raw to the value (or the name) of field number `index`.
    private static func body(
        _ fields: [(String, String)], spoiling index: Int, inName: Bool, with suffix: [UInt8]
    )
        -> [UInt8]
    {
        var body: [UInt8] = []
        for (offset, field) in fields.enumerated() {
            if offset > 0 { body.append(UInt8(ascii: "&")) }
            let pair = Array(FormData([field]).encoded.utf8)
            let equals = pair.firstIndex(of: UInt8(ascii: "="))!
            if offset == index && inName {
                body += pair[..<equals] + suffix + pair[equals...]
            } else {
                body += pair + (offset == index ? suffix : [])
            }
        }
        return body
    }

    private func expectHealthy(_ fixture: AbuseFixture, _ label: String) throws {
        let page = try fixture.harness.get("/telephony", session: fixture.accounts.administrator)
        #expect(page.status == .ok, "portal unhealthy after \(label)")
    }

    @Test("the untouched forms are accepted, so every refusal below is caused by the spoiled input")
    func untouchedFormsAreAccepted() throws {
        let fixture = try AbuseFixture()
        // Versions are read afresh before each form, and the forms that end sessions, reset passwords or
        // delete the user come last, so that no form undoes another's precondition.
        let order = [0, 2, 3, 6, 7, 8, 9, 10, 13, 11, 14, 15, 16, 17, 18, 4, 5, 12, 1]
        #expect(Set(order) == Set(try fixture.forms().indices))
        for index in order {
            let form = try fixture.forms()[index]
            let response = try fixture.send(form, fields: form.fields)
            #expect((200..<400).contains(response.status.code), "\(form): \(AbuseFixture.describe(response))")
        }
    }

    @Test(
        "invalid UTF-8, overlong encodings, NUL and bad %-escapes in any field's name or value → 400, nothing changed")
    func malformedBytesInEveryField() throws {
        let fixture = try AbuseFixture()
        for form in try fixture.forms() {
            let before = try fixture.snapshot()
            for index in form.fields.indices {
                for inName in [false, true] {
                    for (label, suffix) in Self.malformedBytes {
                        let body = Self.body(form.fields, spoiling: index, inName: inName, with: suffix)
                        let response = try fixture.send(form, body: body)
                        let place = "\(form) \(inName ? "name" : "value") of “\(form.fields[index].0)” + \(label)"
                        #expect(response.status == .badRequest, "\(place): \(AbuseFixture.describe(response))")
                        #expect(PortalHarness.text(response).contains("form data is malformed"), "\(place)")
                    }
                }
            }
            #expect(try fixture.snapshot() == before, "\(form)")
        }
        try expectHealthy(fixture, "malformed bodies")
    }

    @Test("a field sent twice, with the same or another value → 400 naming the field, nothing changed")
    func duplicatedFields() throws {
        let fixture = try AbuseFixture()
        for form in try fixture.forms() {
            let before = try fixture.snapshot()
            for (name, value) in form.fields where !MutatingForm.repeatableFields.contains(name) {
                for copy in [value, value + "1"] {
                    let response = try fixture.send(form, fields: form.fields + [(name, copy)])
                    let place = "\(form) with “\(name)” twice"
                    #expect(response.status == .badRequest, "\(place): \(AbuseFixture.describe(response))")
                    #expect(PortalHarness.text(response).contains("“\(name)” was sent more than once"), "\(place)")
                }
            }
            #expect(try fixture.snapshot() == before, "\(form)")
        }
        try expectHealthy(fixture, "duplicated fields")
    }

    @Test("fields the form does not have (organization_id, role, _method, ids) → 400 naming the field, nothing changed")
    func unknownFields() throws {
        let fixture = try AbuseFixture()
        let other = fixture.accounts
        let extras = [
            ("organization_id", String(other.otherOrganization)), ("role", "administrator"), ("_method", "DELETE"),
            ("install_id", String(other.otherInstall)), ("account_id", String(other.otherAdministratorID)),
            ("is_admin", "1"), ("", "empty name"),
        ]
        for form in try fixture.forms() {
            let before = try fixture.snapshot()
            for (name, value) in extras where !form.fields.contains(where: { $0.0 == name }) {
                let response = try fixture.send(form, fields: form.fields + [(name, value)])
                let place = "\(form) with “\(name)”"
                #expect(response.status == .badRequest, "\(place): \(AbuseFixture.describe(response))")
                #expect(PortalHarness.text(response).contains("“\(name)” is not expected here"), "\(place)")
            }
            #expect(try fixture.snapshot() == before, "\(form)")
        }
        try expectHealthy(fixture, "unknown fields")
    }

    @Test(
        "JSON, multipart, text/plain, another charset or no Content-Type → 415 naming the expected type, nothing changed"
    )
    func wrongContentTypes() throws {
        let fixture = try AbuseFixture()
        for form in try fixture.forms() {
            let before = try fixture.snapshot()
            let encoded = Array(FormData(form.fields).encoded.utf8)
            let json = Array(("{" + form.fields.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}").utf8)
            let multipart = Array(
                (form.fields.map { "--b\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }
                    .joined()
                    + "--b--\r\n").utf8)
            let cases: [(String?, [UInt8])] = [
                ("application/json", json), ("multipart/form-data; boundary=b", multipart), ("text/plain", encoded),
                ("application/x-www-form-urlencoded; charset=iso-8859-1", encoded),
                ("application/x-www-form-urlencoded; boundary=x", encoded), ("application/xml", encoded),
                (nil, encoded),
            ]
            for (contentType, body) in cases {
                let response = try fixture.send(form, body: body, contentType: contentType)
                let place = "\(form) as \(contentType ?? "no Content-Type")"
                #expect(response.status == .unsupportedMediaType, "\(place): \(AbuseFixture.describe(response))")
                #expect(PortalHarness.text(response).contains("application/x-www-form-urlencoded"), "\(place)")
            }
            #expect(try fixture.snapshot() == before, "\(form)")
        }
        try expectHealthy(fixture, "wrong content types")
    }

    @Test("GET on a mutating URL, even with the form's fields in the query, changes nothing")
    func getOnMutatingURLs() throws {
        let fixture = try AbuseFixture()
        let before = try fixture.snapshot()
        for form in try fixture.forms() {
            for target in [form.path, form.path + "?" + FormData(form.fields).encoded] {
                let response = fixture.harness.send(
                    try fixture.harness.request(.GET, target, session: form.session, cookies: form.cookies))
                let text = PortalHarness.text(response)
                if response.status == .methodNotAllowed {
                    #expect(response.headers["Allow"] == "POST", "GET \(target)")
                    #expect(text.contains("does not accept GET requests"), "GET \(target)")
                } else {
                    // The page that shows this URL's form or confirmation, a refusal of a query it does not
                    // know, or a 404 where a GET route with a parameter (`/users/:user`) catches the path.
                    #expect(
                        [200, 303, 400, 404].contains(response.status.code),
                        "GET \(target): \(AbuseFixture.describe(response))")
                }
            }
        }
        #expect(try fixture.snapshot() == before)
        try expectHealthy(fixture, "GET on mutating URLs")
    }

    @Test(
        "method overrides (X-HTTP-Method-Override, X-HTTP-Method, X-Method-Override, ?_method=) → 400, nothing changed")
    func methodOverrides() throws {
        let fixture = try AbuseFixture()
        let harness = fixture.harness
        let before = try fixture.snapshot()
        for form in try fixture.forms() {
            for header in ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "x-http-method-override"] {
                for method in ["GET", "DELETE", "PUT"] {
                    let response = try fixture.send(form, fields: form.fields, headers: [(header, method)])
                    #expect(response.status == .badRequest, "\(form) with \(header): \(method)")
                    #expect(PortalHarness.text(response).contains("Method overrides are not accepted"), "\(form)")
                }
                let get = harness.send(
                    try harness.request(.GET, form.path, session: form.session, headers: [(header, "POST")]))
                #expect(get.status == .badRequest, "GET \(form.path) with \(header): POST")
            }
            let query = harness.send(try harness.request(.GET, form.path + "?_method=POST", session: form.session))
            #expect(query.status == .badRequest, "GET \(form.path)?_method=POST")
            let postQuery = harness.send(
                try harness.request(
                    .POST, form.path + "?_method=DELETE", session: form.session, fields: form.fields,
                    cookies: form.cookies))
            #expect(postQuery.status == .badRequest, "POST \(form.path)?_method=DELETE")
        }
        #expect(try fixture.snapshot() == before)
        try expectHealthy(fixture, "method overrides")
    }

    @Test("a manager cannot escalate and an administrator cannot reach another organization through form fields")
    func escalationThroughFormFields() throws {
        let fixture = try AbuseFixture()
        let accounts = fixture.accounts
        let harness = fixture.harness
        let install = "/installs/\(accounts.install)"
        let managerVersion = String(try harness.accountVersion(accounts.managerID))
        let cases: [(String, TestSession, String, [(String, String)], Int)] = [
            (
                "manager makes themself administrator", accounts.manager, "/accounts/\(accounts.managerID)",
                [("version", managerVersion), ("role", "administrator")], 403
            ),
            (
                "manager adds role to the PIN reset", accounts.manager, "\(install)/users/\(fixture.user)/pin",
                [("version", "1"), ("pin", "7391"), ("pin_confirmation", "7391"), ("role", "administrator")], 400
            ),
            (
                "manager opens User Settings", accounts.manager, "\(install)/users/\(fixture.user)",
                [("version", "1"), ("display_name", "Mallory"), ("hot_desk_access", "yes")], 403
            ),
            (
                "manager creates an account", accounts.manager, "/accounts",
                PortalHarness.newAccountFields(email: "evil@a.example", name: "Evil", role: .administrator), 403
            ),
            (
                "administrator moves an account to another organization", accounts.administrator,
                "/accounts/\(accounts.managerID)",
                [
                    ("version", managerVersion), ("role", "manager"),
                    ("organization_id", String(accounts.otherOrganization)),
                ],
                400
            ),
            (
                "administrator moves a user to another install", accounts.administrator,
                "\(install)/users/\(fixture.user)",
                [("version", "1"), ("display_name", "Ann Smith"), ("install_id", String(accounts.otherInstall))], 400
            ),
            (
                "administrator assigns another organization's install", accounts.administrator, "/accounts",
                PortalHarness.newAccountFields(email: "x@a.example", name: "X", installs: [accounts.otherInstall]), 404
            ),
            (
                "administrator adds a user to another organization's install", accounts.administrator,
                "/installs/\(accounts.otherInstall)/users", [("extension", "0050"), ("display_name", "Eve")], 404
            ),
            (
                "administrator grants access to another organization's user", accounts.administrator,
                "\(install)/users/access",
                [
                    ("user", String(try harness.makeUser(installID: accounts.otherInstall, extension: "0051"))),
                    ("access", "grant"),
                ],
                404
            ),
        ]
        for (label, session, path, fields, status) in cases {
            let before = try fixture.snapshot()
            let response = try harness.post(path, session: session, fields: fields)
            #expect(response.status.code == status, "\(label): \(AbuseFixture.describe(response))")
            #expect(!PortalHarness.text(response).isEmpty, "\(label)")
            #expect(try fixture.snapshot() == before, "\(label)")
        }
        #expect(
            try harness.pool.query("SELECT role FROM hotdesk.accounts WHERE id = \(accounts.managerID)")[0]
                .decode("role", as: String.self) == "manager")
        try expectHealthy(fixture, "escalation attempts")
    }
}

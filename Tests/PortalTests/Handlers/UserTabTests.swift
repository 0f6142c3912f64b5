import HotDesk
import Testing
import WebServer

@Suite("Users tab: the list, search, paging, Add user and bulk Hot Desk Access")
struct UserTabTests {
    @Test("the list shows extension, name, access, whether a PIN is set and when the user changed, never the PIN")
    func listShowsUsersWithoutPINs() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        _ = try harness.makeUser(
            installID: fixture.install, extension: "0042", name: "Ann Smith", access: true, pin: "7391")
        _ = try harness.makeUser(installID: fixture.install, extension: "0007", name: "Bob Jones")
        _ = try harness.makeUser(installID: fixture.secondInstall, extension: "0100", name: "Elsewhere Person")
        let html = PortalHarness.text(
            try harness.get("/installs/\(fixture.install)/users", session: fixture.administrator))
        #expect(!html.contains("7391"))
        #expect(html.contains("<td class=\"extension\">0042</td>"))
        #expect(html.contains("<td>Ann Smith</td>"))
        #expect(html.contains("<td><span class=\"yes\">Yes</span></td>"))
        #expect(html.contains(" UTC</td>"))
        #expect(!html.contains("Elsewhere Person"))
        let bob = try #require(html.range(of: "0007"))
        let ann = try #require(html.range(of: "0042"))
        #expect(bob.lowerBound < ann.lowerBound, "sorted by extension")
    }

    @Test("search finds users by extension prefix and by the start of a name, case-insensitively, LIKE signs literal")
    func searchByExtensionAndName() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for (number, name) in [
            ("1200", "Ann Smith"), ("1299", "annabel Lee"), ("1300", "Bob Ann"), ("0120", "100% Sure"),
            ("0121", "100 Percent"),
        ] {
            _ = try harness.makeUser(installID: fixture.install, extension: number, name: name)
        }
        func found(_ query: String) throws -> [String] {
            let html = PortalHarness.text(
                try harness.get("/installs/\(fixture.install)/users?q=\(query)", session: fixture.administrator))
            return ["1200", "1299", "1300", "0120", "0121"].filter {
                html.contains("<td class=\"extension\">\($0)</td>")
            }
        }
        #expect(try found("12") == ["1200", "1299"])
        #expect(try found("1300") == ["1300"])
        #expect(try found("ANN") == ["1200", "1299"])
        #expect(try found("+bob+") == ["1300"])
        #expect(try found("100%25") == ["0120"])
        #expect(try found("0") == ["0120", "0121"])
        let none = PortalHarness.text(
            try harness.get("/installs/\(fixture.install)/users?q=%3Cb%3Ezed", session: fixture.administrator))
        #expect(none.contains("No users match “&lt;b&gt;zed”."))
        #expect(none.contains("value=\"&lt;b&gt;zed\""))
    }

    @Test("50 users a page, sorted by extension, with Previous and Next links that keep the search")
    func pagesOfFifty() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        try harness.pool.query(
            """
            INSERT INTO hotdesk.users (install_id, extension, display_name)
            SELECT \(fixture.install), lpad(n::text, 4, '0'), 'User ' || n FROM generate_series(0, 119) n
            """)
        let base = "/installs/\(fixture.install)/users"
        let first = PortalHarness.text(try harness.get(base, session: fixture.administrator))
        #expect(first.components(separatedBy: "name=\"user\"").count - 1 == 50)
        #expect(first.contains("<a href=\"\(base)?from=0050\" rel=\"next\">"))
        #expect(!first.contains("rel=\"prev\""))
        let third = PortalHarness.text(try harness.get(base + "?from=0100", session: fixture.administrator))
        #expect(third.components(separatedBy: "name=\"user\"").count - 1 == 20)
        #expect(third.contains("<a href=\"\(base)?from=0050\" rel=\"prev\">"))
        #expect(!third.contains("rel=\"next\""))
        let searched = PortalHarness.text(try harness.get(base + "?q=0&from=0050", session: fixture.administrator))
        #expect(searched.contains("<a href=\"\(base)?q=0&amp;from=0000\" rel=\"prev\">"))
        #expect(searched.contains("<a href=\"\(base)?q=0&amp;from=0100\" rel=\"next\">"))
        #expect(try harness.get(base + "?from=12", session: fixture.administrator).status == .notFound)
        #expect(try harness.get(base + "?page=2", session: fixture.administrator).status == .badRequest)
    }

    @Test("Add user creates the user with its extension and name, and audits user.created")
    func addUser() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try harness.post(
            "/installs/\(fixture.install)/users", session: fixture.administrator,
            fields: [("extension", " 0042 "), ("display_name", "Ann Smith")])
        #expect(response.status == .seeOther)
        let row = try harness.pool.query(
            "SELECT id, extension, hot_desk_access, hot_desk_pin FROM hotdesk.users WHERE install_id = \(fixture.install)"
        )[0]
        let id: Int = try row.decode("id")
        #expect(response.headers["Location"] == "/installs/\(fixture.install)/users/\(id)")
        #expect(try row.decode("extension", as: String.self) == "0042")
        #expect(try row.decode("hot_desk_access", as: Bool.self) == false)
        #expect(try row.decode("hot_desk_pin", as: String?.self) == nil)
        let event = try harness.auditEvents(action: "user.created")[0]
        #expect(try event.decode("target_id", as: Int?.self) == id)
        #expect(try event.decode("install_id", as: Int?.self) == fixture.install)
        #expect(try event.decode("target_label", as: String?.self) == "0042 Ann Smith")
        #expect(try event.decode("source", as: String?.self) == "127.0.0.1")
        #expect(try event.decode("request_id", as: String?.self)?.count == 16)
        #expect(try event.decode("organization_id", as: Int?.self) == fixture.organization)
        #expect(try event.decode("result", as: String.self) == "success")
    }

    @Test("Add user refuses bad and taken extensions and bad names with their messages, keeping what was typed")
    func addUserRefusesBadInput() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        _ = try harness.makeUser(installID: fixture.install, extension: "0042")
        _ = try harness.makeUser(installID: fixture.secondInstall, extension: "0043")
        let before = try harness.telephonySnapshot()
        let cases: [(String, String, String)] = [
            ("042", "Ann", "you typed 3 digits"),
            ("00420", "Ann", "you typed 5 digits"),
            ("٠٠٤٢", "Ann", "digits from another script"),
            ("００４２", "Ann", "digits from another script"),
            ("42a", "Ann", "no letters, spaces or symbols"),
            ("0042", "Ann", "already has extension 0042"),
            ("0044", "   ", "Enter the name"),
            ("0044", "Ann\u{202E}evil", "text-direction control"),
        ]
        for (number, name, message) in cases {
            let response = try harness.post(
                "/installs/\(fixture.install)/users", session: fixture.administrator,
                fields: [("extension", number), ("display_name", name)])
            #expect(response.status == .unprocessableContent, "\(number)")
            let html = PortalHarness.text(response)
            #expect(html.contains(message), "\(number) \(message)")
            #expect(html.contains("value=\"\(number)\""), "\(number)")
        }
        #expect(try harness.telephonySnapshot() == before)
        let elsewhere = try harness.post(
            "/installs/\(fixture.install)/users", session: fixture.administrator,
            fields: [("extension", "0043"), ("display_name", "Same extension, other install")])
        #expect(elsewhere.status == .seeOther)
    }

    @Test("bulk grant and revoke change the ticked users and audit each change once")
    func bulkAccess() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let ann = try harness.makeUser(installID: fixture.install, extension: "0001", name: "Ann")
        let bob = try harness.makeUser(installID: fixture.install, extension: "0002", name: "Bob", access: true)
        let cid = try harness.makeUser(installID: fixture.install, extension: "0003", name: "Cid")
        let path = "/installs/\(fixture.install)/users/access"
        let granted = try harness.post(
            path, session: fixture.administrator, fields: [("user", "\(ann)"), ("user", "\(bob)"), ("access", "grant")])
        #expect(granted.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: granted) == "access-granted")
        #expect(try harness.userField(ann, "hot_desk_access") == "true")
        #expect(try harness.userField(cid, "hot_desk_access") == "false")
        let grants = try harness.auditEvents(action: "hot_desk_access.granted")
        #expect(grants.count == 1, "Bob already had access")
        #expect(try grants[0].decode("target_id", as: Int?.self) == ann)
        #expect(
            try grants[0].decode("changes", as: String.self)
                == #"{"hot_desk_access": {"after": "true", "before": "false"}}"#)

        let revoked = try harness.post(
            path, session: fixture.administrator,
            fields: [("user", "\(ann)"), ("user", "\(bob)"), ("access", "revoke")])
        #expect(revoked.status == .seeOther)
        #expect(try harness.auditEvents(action: "hot_desk_access.revoked").count == 2)
        #expect(try harness.userField(bob, "hot_desk_access") == "false")
    }

    @Test("bulk access with any user id of another install answers 404 and changes nobody")
    func bulkAccessRefusesForeignUsers() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let ann = try harness.makeUser(installID: fixture.install, extension: "0001")
        let foreign = try harness.makeUser(installID: fixture.secondInstall, extension: "0001")
        let other = try harness.makeUser(installID: fixture.otherInstall, extension: "0001")
        let before = try harness.telephonySnapshot()
        for id in [foreign, other, 999_999] {
            let response = try harness.post(
                "/installs/\(fixture.install)/users/access", session: fixture.administrator,
                fields: [("user", "\(ann)"), ("user", "\(id)"), ("access", "grant")])
            #expect(response.status == .notFound, "\(id)")
        }
        let none = try harness.post(
            "/installs/\(fixture.install)/users/access", session: fixture.administrator, fields: [("access", "grant")])
        #expect(none.status == .unprocessableContent)
        #expect(PortalHarness.text(none).contains("Tick at least one user"))
        #expect(try harness.telephonySnapshot() == before)
    }
}

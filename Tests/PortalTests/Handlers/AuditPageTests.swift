import HotDesk
import Testing
import WebServer

@Suite("Audit page: newest first, filtered, paginated, escaped, one organization's")
struct AuditPageTests {
    /// Records an event for the fixture's first organization directly, as any screen would.
    private func record(
        _ fixture: AccountFixture, action: String, install: Int? = nil, label: String = "thing",
        changes: [AuditChange] = [], source: String = "198.51.100.4"
    ) throws {
        let actor = Actor(
            accountID: fixture.secondAdministratorID, organizationID: fixture.organization,
            email: "second@a.example", displayName: "Sam Second", role: .administrator, assignedInstallIDs: [])
        try fixture.harness.pool.withTransaction { connection in
            try AuditLog.record(
                AuditEvent(
                    action: action, installID: install, targetType: "user", targetID: 7, targetLabel: label,
                    changes: changes),
                context: AuditContext(requestID: "feedfacecafebeef", actor: actor, sourceAddress: source),
                on: connection)
        }
    }

    @Test(
        "each row shows UTC time, account and role, source, action, target, install, result and changes, newest first")
    func rowsShowEveryField() throws {
        let fixture = try AccountFixture()
        try record(fixture, action: "user.changed", label: "older")
        try record(
            fixture, action: "user.changed", install: fixture.install, label: "2001 Ann",
            changes: [AuditChange("hot_desk_access", from: "false", to: "true")])
        let response = try fixture.harness.get("/audit", session: fixture.administrator)
        let html = PortalHarness.text(response)
        #expect(response.status == .ok)
        #expect(html.contains("<td>second@a.example<br><span class=\"hint\">administrator</span></td>"))
        #expect(html.contains("<br><span class=\"hint\">request feedfacecafebeef</span></td>"))
        #expect(html.contains("<td>198.51.100.4</td>"))
        #expect(html.contains("<td><code>user.changed</code></td>"))
        #expect(
            html.contains(
                "<td>user 2001 Ann #7<br><span class=\"hint\">install Head office (#\(fixture.install))</span></td>"))
        #expect(html.contains("<span class=\"ok\">success</span>"))
        #expect(html.contains("<li><code>hot_desk_access</code>: false → true</li>"))
        #expect(html.range(of: #"<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</time>"#, options: .regularExpression) != nil)
        let newer = try #require(html.range(of: "2001 Ann"))
        let older = try #require(html.range(of: "user older #7"))
        #expect(newer.lowerBound < older.lowerBound)
    }

    @Test("filters by install, account and action narrow the rows; unknown values give none; malformed ones are a 400")
    func filtersNarrowTheRows() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        try record(fixture, action: "user.created", install: fixture.install, label: "in head office")
        try record(fixture, action: "user.created", install: fixture.secondInstall, label: "in warehouse")
        try record(fixture, action: "trusted_range.added", install: fixture.install, label: "range")
        let second = fixture.secondAdministratorID

        let byInstall = PortalHarness.text(
            try harness.get("/audit?install=\(fixture.install)", session: fixture.administrator))
        #expect(
            byInstall.contains("in head office") && byInstall.contains("range") && !byInstall.contains("in warehouse"))
        #expect(byInstall.contains("<option value=\"\(fixture.install)\" selected>Head office</option>"))
        let byAction = PortalHarness.text(
            try harness.get("/audit?install=&account=&action=user.created", session: fixture.administrator))
        #expect(
            byAction.contains("in head office") && byAction.contains("in warehouse") && !byAction.contains(">range"))
        #expect(byAction.contains("<option value=\"user.created\" selected>user.created</option>"))
        #expect(byAction.contains("<option value=\"sign_in\">sign_in</option>"))
        let byAccount = PortalHarness.text(try harness.get("/audit?account=\(second)", session: fixture.administrator))
        #expect(byAccount.contains("in warehouse") && !byAccount.contains("sign_in</code>"))

        for unknown in [
            "/audit?action=no.such_action", "/audit?install=\(fixture.otherInstall)", "/audit?account=999999",
        ] {
            let response = try harness.get(unknown, session: fixture.administrator)
            #expect(response.status == .ok, "\(unknown)")
            #expect(PortalHarness.text(response).contains("No events match these filters."), "\(unknown)")
        }
        for malformed in [
            "/audit?install=abc", "/audit?account=-1", "/audit?action=DROP%20TABLE", "/audit?action=a&action=b",
            "/audit?before=1.5", "/audit?page=2",
        ] {
            #expect(try harness.get(malformed, session: fixture.administrator).status == .badRequest, "\(malformed)")
        }
    }

    @Test("pages hold 50 events and link to older ones and back to the newest, keeping the filters")
    func pagesLinkOlderAndNewest() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for number in 0..<60 { try record(fixture, action: "user.created", label: "user \(number)") }
        let first = PortalHarness.text(try harness.get("/audit?action=user.created", session: fixture.administrator))
        #expect(first.components(separatedBy: "<td><code>user.created</code></td>").count - 1 == 50)
        #expect(first.contains("user 59 #7") && first.contains("user 10 #7") && !first.contains("user 9 #7"))
        let older = try #require(
            first.range(of: #"href="/audit\?action=user.created&amp;before=\d+""#, options: .regularExpression))
        let link = String(first[older].dropFirst(6).dropLast()).replacingOccurrences(of: "&amp;", with: "&")
        #expect(!first.contains("Newest events"))

        let second = PortalHarness.text(try harness.get(link, session: fixture.administrator))
        #expect(second.components(separatedBy: "<td><code>user.created</code></td>").count - 1 == 10)
        #expect(second.contains("user 9 #7") && second.contains("user 0 #7") && !second.contains("user 10 #7"))
        #expect(second.contains("href=\"/audit?action=user.created\">← Newest events"))
        #expect(!second.contains("Older events"))
    }

    @Test("control characters, direction overrides and backslashes in recorded text are shown escaped, never raw")
    func hiddenCharactersAreEscaped() throws {
        let fixture = try AccountFixture()
        try record(
            fixture, action: "user.changed", label: "bell\u{7}name\u{202E}evil\\u0007",
            changes: [AuditChange("display_name", from: "line\nbreak", to: "tab\there")])
        let html = PortalHarness.text(try fixture.harness.get("/audit", session: fixture.administrator))
        #expect(html.contains(#"user bell\u0007name\u202Eevil\\u0007 #7"#))
        #expect(html.contains(#"line\u000Abreak → tab\u0009here"#))
        #expect(!html.contains("\u{7}") && !html.contains("\u{202E}") && !html.contains("line\nbreak"))
    }

    @Test("a failed sign-in typed with markup and control characters shows as text")
    func failedSignInIsShownAsText() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        _ = try harness.signInAttempt(email: "manager@a.example", password: "wrong <b>guess</b>")
        let html = PortalHarness.text(try harness.get("/audit?action=sign_in", session: fixture.administrator))
        #expect(html.contains("<span class=\"warning\">failure</span>"))
        #expect(!html.contains("wrong <b>guess"))
    }
}

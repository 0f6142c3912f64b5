import Foundation
import HotDesk
import PostgresClient
import Synchronization
import TestSupport
import Testing
import WebServer

@Suite("Users import and export: preview, all-or-nothing apply, generated PINs shown once, export that re-imports")
struct UserImportTests {
    private func importPath(_ fixture: AccountFixture) -> String { "/installs/\(fixture.install)/users/import" }

    /// Previews `csv` in `mode` as the administrator.
    private func preview(
        _ fixture: AccountFixture, _ csv: String, mode: String = "update", pasted: Bool = false
    )
        throws -> Response
    {
        try fixture.harness.upload(
            importPath(fixture), session: fixture.administrator,
            fields: [("mode", mode), ("text", pasted ? csv : "")],
            files: pasted ? [] : [("file", "users.csv", Array(csv.utf8))])
    }

    /// The value of the hidden input `name` in a page.
    private func hidden(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "type=\"hidden\" name=\"\(name)\" value=\"") else { return nil }
        let rest = html[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]).replacingOccurrences(of: "&#39;", with: "'") }
    }

    /// Applies the preview `html` shows, as its Apply form would.
    private func apply(_ fixture: AccountFixture, previewed html: String, confirm: String? = nil) throws -> Response {
        var fields = [
            ("mode", hidden("mode", in: html) ?? ""), ("binding", hidden("binding", in: html) ?? ""),
            ("file", hidden("file", in: html) ?? ""),
        ]
        if let confirm { fields.append(("confirm_removals", confirm)) }
        return try fixture.harness.upload(
            importPath(fixture) + "/apply", session: fixture.administrator, fields: fields)
    }

    private func users(_ fixture: AccountFixture) throws -> [String] {
        try fixture.harness.pool.query(
            """
            SELECT extension || ' ' || display_name || ' ' || hot_desk_access || ' ' || coalesce(hot_desk_pin, '-') AS u
            FROM hotdesk.users WHERE install_id = \(fixture.install) ORDER BY extension
            """
        ).map { try $0.decode("u") }
    }

    @Test("the preview shows each line's outcome with its line number and the forms' messages, and writes nothing")
    func previewWritesNothing() throws {
        let fixture = try AccountFixture()
        _ = try fixture.harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann Smith", access: true)
        _ = try fixture.harness.makeUser(installID: fixture.install, extension: "0043", name: "Bo Berg")
        let before = try fixture.harness.telephonySnapshot()
        let csv = """
            name,extension,hot_desk_access,pin\r
            Ann Smith,0042,yes,\r
            "Berg, Bo",0043,no,generate\r
            New Person,0044,yes,4829\r
            Bad,42,maybe,1234\r
            Dupe One,0050,yes,\r
            Dupe Two,0050,no,\r
            Weak,0045,yes,0045\r

            """
        let response = try preview(fixture, csv)
        let html = PortalHarness.text(response)
        #expect(response.status == .unprocessableContent)
        #expect(html.contains("1 to add, 1 to update, 1 unchanged, 0 to remove, 4 with errors."), "\(html)")
        #expect(html.contains("Update: name, PIN"))
        #expect(html.contains("An extension has exactly four digits (you typed 2 digits)"))
        #expect(html.contains("Write yes or no in hot_desk_access"))
        #expect(html.contains("Extension 0050 is in the file more than once (also on line 7)"))
        #expect(html.contains("Extension 0050 is in the file more than once (also on line 6)"))
        #expect(html.contains("The PIN cannot be the user&#39;s own extension"))
        #expect(html.contains("<td>5</td>"), "line numbers count the header as line 1")
        #expect(!html.contains("Apply: import these users"))
        #expect(try fixture.harness.telephonySnapshot() == before)
    }

    @Test(
        "apply adds and updates in one transaction, with the forms' audit events, one import event, and PINs shown once"
    )
    func applyAddsAndUpdates() throws {
        let fixture = try AccountFixture()
        _ = try fixture.harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann Smith")
        let csv =
            "extension,name,hot_desk_access,pin\n0042,Ann Jones,yes,generate\n0044,Cy Doe,yes,4829\n0045,Di Roe,no,\n"
        let previewed = PortalHarness.text(try preview(fixture, csv, pasted: true))
        #expect(previewed.contains("2 to add, 1 to update, 0 unchanged"))
        let response = try apply(fixture, previewed: previewed)
        let html = PortalHarness.text(response)
        #expect(response.status == .ok)
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(html.contains("2 added, 1 updated, 0 unchanged, 0 removed."))
        let users = try users(fixture)
        #expect(users.count == 3)
        #expect(users[1] == "0044 Cy Doe true 4829")
        #expect(users[2] == "0045 Di Roe false -")
        let generated = try #require(users[0].split(separator: " ").last.map(String.init))
        #expect(users[0].hasPrefix("0042 Ann Jones true ") && generated.count == 4)
        #expect(html.contains("<code>\(generated)</code>"), "the generated PIN is on the page")
        let link = try #require(html.range(of: "href=\"data:text/csv;charset=utf-8;base64,"))
        let encoded = html[link.upperBound...].prefix { $0 != "\"" }
        let file = String(decoding: try #require(Data(base64Encoded: String(encoded))), as: UTF8.self)
        #expect(file == "extension,name,pin\r\n0042,Ann Jones,\(generated)\r\n")
        #expect(try fixture.harness.auditEvents(action: "user.created").count == 2)
        #expect(try fixture.harness.auditEvents(action: "user.changed").count == 1)
        #expect(try fixture.harness.auditEvents(action: "pin.set").count == 2)
        #expect(try fixture.harness.auditEvents(action: "hot_desk_access.granted").count == 2)
        let imported = try fixture.harness.auditEvents(action: "users.imported")
        #expect(imported.count == 1)
        #expect(try imported[0].decode("changes", as: String.self).contains("\"added\": {\"after\": \"2\""))
        #expect(
            try !fixture.harness.pool.query("SELECT changes::text AS c FROM hotdesk.audit_events").contains {
                try $0.decode("c", as: String.self).contains(generated)
                    || $0.decode("c", as: String.self).contains("4829")
            })
        // The registrar sees the new users with their PINs.
        let subscribers: Int = try TestPostgres.superuserQuery(
            "SELECT count(*)::int AS n FROM registrar.subscriber WHERE username IN ('0042', '0044')",
            database: fixture.harness.database.name)[0].decode("n")
        #expect(subscribers == 2)
    }

    @Test("a file with a refused line cannot be applied, even by posting its binding: nothing changes")
    func refusedLineBlocksApply() throws {
        let fixture = try AccountFixture()
        let good = PortalHarness.text(try preview(fixture, "extension,name,hot_desk_access\n0044,Cy,yes\n"))
        let before = try fixture.harness.telephonySnapshot()
        let bad = Array("extension,name,hot_desk_access\n0044,Cy,yes\n0045,Di,perhaps\n".utf8)
        let response = try fixture.harness.upload(
            importPath(fixture) + "/apply", session: fixture.administrator,
            fields: [
                ("mode", "update"), ("binding", hidden("binding", in: good) ?? ""),
                ("file", Data(bad).base64EncodedString()),
            ])
        #expect(response.status == .conflict || response.status == .unprocessableContent)
        #expect(try fixture.harness.telephonySnapshot() == before)
    }

    @Test("a user changed after the preview makes Apply refuse with a fresh preview, changing nothing")
    func stalePreviewIsRefused() throws {
        let fixture = try AccountFixture()
        let user = try fixture.harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann Smith")
        let previewed = PortalHarness.text(
            try preview(fixture, "extension,name,hot_desk_access\n0042,Ann Jones,yes\n0044,Cy,yes\n"))
        try fixture.harness.pool.query(
            "UPDATE hotdesk.users SET display_name = 'Ann Other', version = version + 1 WHERE id = \(user)")
        let before = try fixture.harness.telephonySnapshot()
        let response = try apply(fixture, previewed: previewed)
        let html = PortalHarness.text(response)
        #expect(response.status == .conflict)
        #expect(html.contains("Someone changed this install&#39;s users since the preview"))
        #expect(html.contains("Apply: import these users"), "a fresh preview to apply")
        #expect(try fixture.harness.telephonySnapshot() == before)
        #expect(try apply(fixture, previewed: html).status == .ok)
        #expect(try users(fixture) == ["0042 Ann Jones true -", "0044 Cy true -"])
    }

    @Test("add-only refuses existing extensions; synchronize removes the users left out only once confirmed")
    func modes() throws {
        let fixture = try AccountFixture()
        _ = try fixture.harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann")
        _ = try fixture.harness.makeUser(installID: fixture.install, extension: "0043", name: "Bo")
        let addOnly = PortalHarness.text(
            try preview(fixture, "extension,name,hot_desk_access\n0042,Ann,no\n", mode: "add"))
        #expect(addOnly.contains("Extension 0042 already belongs to “Ann”"))
        let sync = PortalHarness.text(
            try preview(fixture, "extension,name,hot_desk_access\n0042,Ann,no\n", mode: "sync"))
        #expect(sync.contains("1 unchanged, 1 to remove"))
        #expect(sync.contains("Remove the 1 users the file leaves out"))
        let before = try fixture.harness.telephonySnapshot()
        let unconfirmed = try apply(fixture, previewed: sync)
        #expect(unconfirmed.status == .unprocessableContent)
        #expect(PortalHarness.text(unconfirmed).contains("This import removes 1 user the file leaves out"))
        #expect(try fixture.harness.telephonySnapshot() == before)
        #expect(try apply(fixture, previewed: sync, confirm: "1").status == .ok)
        #expect(try users(fixture) == ["0042 Ann false -"])
        #expect(try fixture.harness.auditEvents(action: "user.deleted").count == 1)
    }

    @Test("the export lists every user without PINs, guards formula cells, and re-imports with no change")
    func exportReimportsUnchanged() throws {
        let fixture = try AccountFixture()
        _ = try fixture.harness.makeUser(
            installID: fixture.install, extension: "0042", name: "=HYPERLINK(\"x\")", access: true, pin: "4829")
        _ = try fixture.harness.makeUser(installID: fixture.install, extension: "0043", name: "Smith, Bo")
        _ = try fixture.harness.makeUser(installID: fixture.install, extension: "0044", name: "'quoted")
        let response = try fixture.harness.get(
            "/installs/\(fixture.install)/users/export", session: fixture.administrator)
        let csv = PortalHarness.text(response)
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"users-head-office.csv\"")
        #expect(
            csv.hasPrefix(
                "extension,name,hot_desk_access,has_pin,last_changed\r\n0042,\"'=HYPERLINK(\"\"x\"\")\",yes,yes,"))
        #expect(csv.contains("\r\n0043,\"Smith, Bo\",no,no,"))
        #expect(csv.contains("\r\n0044,''quoted,no,no,"))
        #expect(!csv.contains("4829"))
        let reimport = PortalHarness.text(try preview(fixture, csv))
        #expect(reimport.contains("0 to add, 0 to update, 3 unchanged, 0 to remove, 0 with errors."), "\(reimport)")
    }

    @Test("managers get 403 on import and export; another organization's install is 404")
    func rolesAndScope() throws {
        let fixture = try AccountFixture()
        let csv = Array("extension,name,hot_desk_access\n0044,Cy,yes\n".utf8)
        #expect(try fixture.harness.get(importPath(fixture), session: fixture.manager).status == .forbidden)
        #expect(
            try fixture.harness.get("/installs/\(fixture.install)/users/export", session: fixture.manager).status
                == .forbidden)
        #expect(
            try fixture.harness.upload(
                importPath(fixture), session: fixture.manager, fields: [("mode", "update")],
                files: [("file", "u.csv", csv)]
            ).status == .forbidden)
        #expect(
            try fixture.harness.upload(
                "/installs/\(fixture.otherInstall)/users/import", session: fixture.administrator,
                fields: [("mode", "update")], files: [("file", "u.csv", csv)]
            ).status == .notFound)
        #expect(
            try fixture.harness.get("/installs/\(fixture.otherInstall)/users/export", session: fixture.administrator)
                .status == .notFound)
    }

    @Test(
        "two imports previewed together and applied at once never interleave: one applies, the other is told to preview again"
    )
    func concurrentImportsAreSerialized() throws {
        let fixture = try AccountFixture()
        let first = PortalHarness.text(try preview(fixture, "extension,name,hot_desk_access\n0042,First,yes\n"))
        let second = PortalHarness.text(try preview(fixture, "extension,name,hot_desk_access\n0042,Second,no\n"))
        let statuses = Mutex<[HTTPStatus]>([])
        let group = DispatchGroup()
        for html in [first, second] {
            group.enter()
            Thread {
                let status = (try? apply(fixture, previewed: html).status) ?? .internalServerError
                statuses.withLock { $0.append(status) }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(statuses.withLock { $0.sorted { $0.code < $1.code } } == [.ok, .conflict])
        #expect(try users(fixture).count == 1)
        #expect(try fixture.harness.auditEvents(action: "users.imported").count == 1)
    }

    @Test("an empty form, a file that is not UTF-8 and an unknown column are refused with what to do")
    func fileProblems() throws {
        let fixture = try AccountFixture()
        let empty = try fixture.harness.upload(
            importPath(fixture), session: fixture.administrator, fields: [("mode", "update"), ("text", "")])
        #expect(empty.status == .unprocessableContent)
        #expect(PortalHarness.text(empty).contains("Choose a CSV file, or paste its text"))
        let latin1 = try fixture.harness.upload(
            importPath(fixture), session: fixture.administrator, fields: [("mode", "update")],
            files: [
                (
                    "file", "u.csv",
                    Array("extension,name,hot_desk_access\n0042,M".utf8) + [0xFC] + Array("ller,yes\n".utf8)
                )
            ])
        #expect(PortalHarness.text(latin1).contains("Line 2 is not UTF-8 text"))
        let unknown = PortalHarness.text(try preview(fixture, "extension,name,hot_desk_access,email\n"))
        #expect(unknown.contains("Line 1 names the column “email”, which the import does not know"))
    }
}

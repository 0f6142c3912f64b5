import HotDesk
import Testing
import WebServer

@Suite("User Settings: Hot Desk Access, Hot Desk Pin, Clear PIN, Delete and concurrent edits")
struct UserSettingsTests {
    private func settings(_ fixture: AccountFixture, _ user: Int) -> String {
        "/installs/\(fixture.install)/users/\(user)"
    }

    @Test("ticking Hot Desk Access and typing a PIN saves both and audits each, never the PIN")
    func grantAccessAndSetPIN() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann")
        let response = try harness.post(
            settings(fixture, user), session: fixture.administrator,
            fields: [("version", "1"), ("display_name", "Ann"), ("hot_desk_access", "yes"), ("pin", "7391")])
        #expect(response.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "saved")
        #expect(try harness.userField(user, "hot_desk_access") == "true")
        #expect(try harness.userField(user, "hot_desk_pin") == "7391")
        #expect(try harness.userField(user, "pin_changed_at") != nil)
        let granted = try harness.auditEvents(action: "hot_desk_access.granted")
        #expect(granted.count == 1)
        #expect(try granted[0].decode("account_role", as: String?.self) == "administrator")
        let pinSet = try harness.auditEvents(action: "pin.set")
        #expect(pinSet.count == 1)
        #expect(try pinSet[0].decode("changes", as: String.self) == #"{"pin": {"after": "set", "before": "not set"}}"#)
        #expect(try harness.auditEvents(action: "user.changed").count == 0, "the name did not change")
        let everything: String = try harness.pool.query(
            "SELECT string_agg(e::text, ' ') AS all FROM hotdesk.audit_events e")[0].decode("all")
        #expect(!everything.contains("7391"))
    }

    @Test("an empty PIN field keeps the current PIN; a new name is audited as user.changed")
    func emptyPINKeepsPIN() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann", pin: "7391")
        let response = try harness.post(
            settings(fixture, user), session: fixture.administrator,
            fields: [("version", "1"), ("display_name", "Ann Smith"), ("pin", "  ")])
        #expect(response.status == .seeOther)
        #expect(try harness.userField(user, "hot_desk_pin") == "7391")
        #expect(try harness.userField(user, "display_name") == "Ann Smith")
        #expect(try harness.auditEvents(action: "pin.set").count == 0)
        #expect(
            try harness.auditEvents(action: "user.changed")[0].decode("changes", as: String.self)
                == #"{"display_name": {"after": "Ann Smith", "before": "Ann"}}"#)
    }

    @Test("weak, short, long and non-ASCII PINs are refused with the reason, nothing is saved, the PIN is not echoed")
    func badPINsAreRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "2580", name: "Ann")
        let before = try harness.telephonySnapshot()
        let cases: [(String, String)] = [
            ("1111", "the same digit three times in a row"),
            ("0007", "the same digit three times in a row"),
            ("1234", "runs of consecutive digits"),
            ("9876", "runs of consecutive digits"),
            ("1470", "straight column of the keypad"),
            ("2580", "own extension"),
            ("0852", "extension backwards"),
            ("1212", "twenty most common PINs"),
            ("6969", "twenty most common PINs"),
            ("123", "you typed 3 digits"),
            ("73915", "you typed 5 digits"),
            ("٧٣٩١", "digits from another script"),
            ("７３９１", "digits from another script"),
            ("73a1", "no letters, spaces or symbols"),
        ]
        for (pin, reason) in cases {
            let response = try harness.post(
                settings(fixture, user), session: fixture.administrator,
                fields: [("version", "1"), ("display_name", "Ann"), ("hot_desk_access", "yes"), ("pin", pin)])
            #expect(response.status == .unprocessableContent, "\(pin)")
            let html = PortalHarness.text(response)
            #expect(html.contains(reason), "\(pin): \(reason)")
            #expect(html.contains("id=\"pin\" name=\"pin\" type=\"password\" value=\"\""), "\(pin)")
            #expect(html.contains("id=\"hot_desk_access\" name=\"hot_desk_access\" value=\"yes\" checked"), "\(pin)")
        }
        #expect(try harness.telephonySnapshot() == before)
    }

    @Test("Clear PIN removes the PIN and audits pin.cleared")
    func clearPIN() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", pin: "7391")
        let response = try harness.post(
            settings(fixture, user) + "/clear-pin", session: fixture.administrator, fields: [("version", "1")])
        #expect(response.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "pin-cleared")
        #expect(try harness.userField(user, "hot_desk_pin") == nil)
        #expect(
            try harness.auditEvents(action: "pin.cleared")[0].decode("changes", as: String.self)
                == #"{"pin": {"after": "not set", "before": "set"}}"#)
    }

    @Test("Delete asks first, then deletes the user and audits user.deleted")
    func deleteAfterConfirmation() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann")
        let confirmation = try harness.get(settings(fixture, user) + "/delete", session: fixture.administrator)
        #expect(confirmation.status == .ok)
        #expect(PortalHarness.text(confirmation).contains("Delete 0042 Ann?"))
        #expect(try harness.userField(user, "id") != nil)
        let response = try harness.post(
            settings(fixture, user) + "/delete", session: fixture.administrator, fields: [("version", "1")])
        #expect(response.status == .seeOther)
        #expect(try harness.pool.query("SELECT id FROM hotdesk.users WHERE id = \(user)").count == 0)
        let event = try harness.auditEvents(action: "user.deleted")[0]
        #expect(try event.decode("target_label", as: String?.self) == "0042 Ann")
        #expect(try harness.get(settings(fixture, user), session: fixture.administrator).status == .notFound)
    }

    @Test("two concurrent edits of one user: the first wins, the second is shown the saved values and told")
    func concurrentEditsOneWins() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann")
        let second = try harness.signIn(email: "second@a.example")
        let formA = PortalHarness.text(try harness.get(settings(fixture, user), session: fixture.administrator))
        let formB = PortalHarness.text(try harness.get(settings(fixture, user), session: second))
        #expect(formA.contains("name=\"version\" value=\"1\"") && formB.contains("name=\"version\" value=\"1\""))
        let winner = try harness.post(
            settings(fixture, user), session: fixture.administrator,
            fields: [("version", "1"), ("display_name", "Ann A"), ("hot_desk_access", "yes"), ("pin", "7391")])
        #expect(winner.status == .seeOther)
        let loser = try harness.post(
            settings(fixture, user), session: second,
            fields: [("version", "1"), ("display_name", "Ann B"), ("pin", "8264")])
        #expect(loser.status == .conflict)
        let html = PortalHarness.text(loser)
        #expect(html.contains("Someone else saved this user while you were editing"))
        #expect(html.contains("value=\"Ann A\""))
        #expect(html.contains("name=\"version\" value=\"2\""))
        #expect(html.contains("value=\"yes\" checked"))
        #expect(try harness.userField(user, "display_name") == "Ann A")
        #expect(try harness.userField(user, "hot_desk_pin") == "7391")
        #expect(try harness.userField(user, "hot_desk_access") == "true")
        let staleDelete = try harness.post(
            settings(fixture, user) + "/delete", session: second, fields: [("version", "1")])
        #expect(staleDelete.status == .conflict)
        #expect(try harness.userField(user, "id") != nil)
    }

    @Test("a user id of another install, in any URL of this install, answers 404 and changes nothing")
    func foreignUserIDsAreNotFound() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let foreign = try harness.makeUser(installID: fixture.secondInstall, extension: "0042", pin: "7391")
        let before = try harness.telephonySnapshot()
        let base = "/installs/\(fixture.install)/users/\(foreign)"
        #expect(try harness.get(base, session: fixture.administrator).status == .notFound)
        #expect(try harness.get(base + "/pin", session: fixture.administrator).status == .notFound)
        for (path, fields) in [
            (base, [("version", "1"), ("display_name", "X"), ("pin", "")]), (base + "/clear-pin", [("version", "1")]),
            (base + "/delete", [("version", "1")]), (base + "/pin", [("version", "1"), ("generate", "yes")]),
        ] {
            #expect(
                try harness.post(path, session: fixture.administrator, fields: fields).status == .notFound, "\(path)")
        }
        #expect(try harness.telephonySnapshot() == before)
    }
}

import HotDesk
import Testing
import WebServer

@Suite("Accounts: changing role, installs and the disabled flag")
struct AccountEditingTests {
    /// POSTs the account form for `id` as `session`, at the account's stored version unless given.
    private func save(
        _ id: Int, in harness: PortalHarness, as session: TestSession, role: String, installs: [Int] = [],
        disabled: Bool = false, confirm: Bool = false, version: Int? = nil
    ) throws -> Response {
        var fields = [("version", String(try version ?? harness.accountVersion(id))), ("role", role)]
        fields += installs.map { ("installs", String($0)) }
        if disabled { fields.append(("disabled", "on")) }
        if confirm { fields.append(("confirm", "yes")) }
        return try harness.post("/accounts/\(id)", session: session, fields: fields)
    }

    @Test("the account page shows the stored role, installs and status with the form's version")
    func editPageShowsStoredValues() throws {
        let fixture = try AccountFixture()
        let html = PortalHarness.text(
            try fixture.harness.get("/accounts/\(fixture.managerID)", session: fixture.administrator))
        #expect(html.contains("name=\"version\" value=\"\(try fixture.harness.accountVersion(fixture.managerID))\""))
        #expect(html.contains("value=\"manager\" checked"))
        #expect(html.contains("value=\"\(fixture.install)\" checked"))
        #expect(html.contains("value=\"\(fixture.secondInstall)\">"))
        #expect(html.contains("Reset password"))
    }

    @Test("changing a manager's installs saves them, ends no session, and a save without changes writes nothing")
    func installsChangeWithoutSigningOut() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try save(
            fixture.managerID, in: harness, as: fixture.administrator, role: "manager",
            installs: [fixture.install, fixture.secondInstall])
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/accounts/\(fixture.managerID)")
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "saved")
        #expect(try harness.isSignedIn(fixture.manager))
        #expect(try harness.assignedInstallCount(fixture.managerID) == 2)

        let before = try harness.accountsSnapshot()
        let again = try save(
            fixture.managerID, in: harness, as: fixture.administrator, role: "manager",
            installs: [fixture.secondInstall, fixture.install])
        #expect(PortalHarness.cookie("hotdesk_flash", in: again) == "unchanged")
        #expect(try harness.accountsSnapshot() == before)
    }

    @Test("disabling asks for confirmation, changes nothing until confirmed, then signs the account out at once")
    func disablingIsConfirmedAndSignsOut() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.accountsSnapshot()
        let question = try save(
            fixture.managerID, in: harness, as: fixture.administrator, role: "manager", installs: [fixture.install],
            disabled: true)
        let html = PortalHarness.text(question)
        #expect(question.status == .ok)
        #expect(html.contains("Disable this account?"))
        #expect(html.contains("name=\"confirm\" value=\"yes\""))
        #expect(html.contains("name=\"installs\" value=\"\(fixture.install)\""))
        #expect(try harness.accountsSnapshot() == before)
        #expect(try harness.isSignedIn(fixture.manager))

        let confirmed = try save(
            fixture.managerID, in: harness, as: fixture.administrator, role: "manager", installs: [fixture.install],
            disabled: true,
            confirm: true)
        #expect(confirmed.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: confirmed) == "account-disabled")
        let next = try harness.get("/account/password", session: fixture.manager)
        #expect(next.status == .seeOther)
        #expect(next.headers["Location"]?.hasPrefix("/login") == true)
        #expect(
            try harness.signInAttempt(email: "manager@a.example", password: "a perfectly fine passphrase").status
                == .unauthorized)

        let enabled = try save(
            fixture.managerID, in: harness, as: fixture.administrator, role: "manager", installs: [fixture.install])
        #expect(PortalHarness.cookie("hotdesk_flash", in: enabled) == "account-enabled")
        _ = try harness.signIn(email: "manager@a.example")
    }

    @Test("a role change ends every session of the account")
    func roleChangeSignsOut() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let second = try harness.signIn(email: "manager@a.example", remoteAddress: "192.0.2.7")
        let response = try save(fixture.managerID, in: harness, as: fixture.administrator, role: "administrator")
        #expect(response.status == .seeOther)
        #expect(try !harness.isSignedIn(fixture.manager))
        #expect(try !harness.isSignedIn(second))
        #expect(try harness.isSignedIn(fixture.administrator))
    }

    @Test("the last active administrator can be neither disabled nor made a manager, with a message saying why")
    func lastAdministratorIsKept() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        // Disable the second administrator, leaving one active.
        let disabled = try save(
            fixture.secondAdministratorID, in: harness, as: fixture.administrator, role: "administrator",
            disabled: true,
            confirm: true)
        #expect(disabled.status == .seeOther)

        let before = try harness.accountsSnapshot()
        let demoted = try save(fixture.administratorID, in: harness, as: fixture.administrator, role: "manager")
        #expect(demoted.status == .unprocessableContent)
        #expect(PortalHarness.text(demoted).contains("last active administrator, so it cannot be made a manager"))
        #expect(PortalHarness.text(demoted).contains("value=\"manager\" checked"))
        let selfDisabled = try save(
            fixture.administratorID, in: harness, as: fixture.administrator, role: "administrator", disabled: true,
            confirm: true)
        #expect(selfDisabled.status == .unprocessableContent)
        #expect(
            PortalHarness.text(selfDisabled).contains(
                "id=\"disabled-error\">This is the organization&#39;s last active"))
        #expect(try harness.accountsSnapshot() == before)
        #expect(try harness.isSignedIn(fixture.administrator))
    }

    @Test("a save based on an old version shows the current values and a message, and changes nothing")
    func staleVersionShowsCurrentValues() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let read = try harness.accountVersion(fixture.managerID)
        _ = try save(
            fixture.managerID, in: harness, as: fixture.administrator, role: "manager",
            installs: [fixture.secondInstall])
        let before = try harness.accountsSnapshot()
        let stale = try save(
            fixture.managerID, in: harness, as: fixture.administrator, role: "administrator", version: read)
        let html = PortalHarness.text(stale)
        #expect(stale.status == .conflict)
        #expect(html.contains("Someone else saved this account"))
        #expect(html.contains("value=\"manager\" checked"))
        #expect(html.contains("value=\"\(fixture.secondInstall)\" checked"))
        #expect(html.contains("name=\"version\" value=\"\(try harness.accountVersion(fixture.managerID))\""))
        #expect(try harness.accountsSnapshot() == before)
    }

    @Test(
        "a missing role is a 422 that keeps the ticked installs; malformed or unknown fields are a 400, a foreign install a 404"
    )
    func badEditFormsAreRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let version = String(try harness.accountVersion(fixture.managerID))
        let before = try harness.accountsSnapshot()
        let noRole = try harness.post(
            "/accounts/\(fixture.managerID)", session: fixture.administrator,
            fields: [("version", version), ("installs", String(fixture.secondInstall))])
        #expect(noRole.status == .unprocessableContent)
        #expect(PortalHarness.text(noRole).contains("value=\"\(fixture.secondInstall)\" checked"))
        for fields in [
            [("version", version), ("role", "manager"), ("organization_id", String(fixture.otherOrganization))],
            [("version", version), ("role", "manager"), ("role", "administrator")],
            [("version", "v1"), ("role", "manager")],
            [("role", "manager")],
            [("version", version), ("role", "manager"), ("disabled", "yes")],
        ] {
            let response = try harness.post(
                "/accounts/\(fixture.managerID)", session: fixture.administrator, fields: fields)
            #expect(response.status == .badRequest, "\(fields)")
        }
        let foreign = try harness.post(
            "/accounts/\(fixture.managerID)", session: fixture.administrator,
            fields: [
                ("version", version), ("role", "manager"), ("installs", String(fixture.otherInstall)),
                ("disabled", "on"),
            ])
        #expect(foreign.status == .notFound)
        #expect(try harness.get("/accounts/99999999", session: fixture.administrator).status == .notFound)
        #expect(try harness.get("/accounts/abc", session: fixture.administrator).status == .notFound)
        #expect(try harness.accountsSnapshot() == before)
    }
}

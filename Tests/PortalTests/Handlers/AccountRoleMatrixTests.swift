import HotDesk
import Testing
import WebServer

/// One request of the account and audit screens, as an administrator of the fixture's first
/// organization would send it successfully.
private struct ScreenRequest: CustomStringConvertible {
    let method: HTTPMethod
    let path: String
    let fields: [(String, String)]

    var description: String { "\(method.rawValue) \(path)" }

    /// Every route of the account and audit screens, aimed at the first organization's manager account.
    static func all(_ fixture: AccountFixture) throws -> [ScreenRequest] {
        let target = fixture.managerID
        let version = try fixture.harness.accountVersion(target)
        return [
            ScreenRequest(method: .GET, path: "/accounts", fields: []),
            ScreenRequest(method: .GET, path: "/accounts/new", fields: []),
            ScreenRequest(method: .GET, path: "/accounts/\(target)", fields: []),
            ScreenRequest(method: .GET, path: "/audit", fields: []),
            ScreenRequest(
                method: .POST, path: "/accounts",
                fields: PortalHarness.newAccountFields(
                    email: "new@a.example", name: "New Person", installs: [fixture.install])),
            ScreenRequest(
                method: .POST, path: "/accounts/\(target)",
                fields: [
                    ("version", String(version)), ("role", "manager"), ("installs", String(fixture.secondInstall)),
                ]),
            ScreenRequest(method: .POST, path: "/accounts/\(target)/password", fields: []),
        ]
    }

    /// The own-password routes, which every signed-in role may use.
    static let ownPassword = [
        ScreenRequest(method: .GET, path: "/account/password", fields: []),
        ScreenRequest(
            method: .POST, path: "/account/password",
            fields: [
                ("current_password", "a perfectly fine passphrase"), ("new_password", "another fine long passphrase"),
                ("new_password_confirmation", "another fine long passphrase"),
            ]),
    ]

    func send(as session: TestSession?, in harness: PortalHarness) throws -> Response {
        method == .GET
            ? try harness.get(path, session: session) : try harness.post(path, session: session, fields: fields)
    }
}

@Suite("Accounts and audit: every role gets exactly its answer on every route")
struct AccountRoleMatrixTests {
    @Test("signed out, every GET leads to the sign-in page and every POST is a 403 that changes nothing")
    func signedOutVisitors() throws {
        let fixture = try AccountFixture()
        for request in try ScreenRequest.all(fixture) + ScreenRequest.ownPassword {
            let before = try fixture.harness.accountsSnapshot()
            let response = try request.send(as: nil, in: fixture.harness)
            if request.method == .GET {
                #expect(response.status == .seeOther, "\(request)")
                #expect(response.headers["Location"] == "/login?next=" + request.path, "\(request)")
            } else {
                #expect(response.status == .forbidden, "\(request)")
                #expect(try fixture.harness.accountsSnapshot() == before, "\(request)")
            }
        }
    }

    @Test("a manager gets 403 on every account and audit route, GET and POST, and its POSTs change nothing")
    func managersAreRefused() throws {
        let fixture = try AccountFixture()
        for request in try ScreenRequest.all(fixture) {
            let before = try fixture.harness.accountsSnapshot()
            let response = try request.send(as: fixture.manager, in: fixture.harness)
            #expect(response.status == .forbidden, "\(request)")
            #expect(try fixture.harness.accountsSnapshot() == before, "\(request)")
        }
    }

    @Test("every role may open and use its own password page")
    func everyRoleChangesItsOwnPassword() throws {
        let fixture = try AccountFixture()
        for session in [fixture.manager, fixture.administrator] {
            let (form, change) = (ScreenRequest.ownPassword[0], ScreenRequest.ownPassword[1])
            #expect(try form.send(as: session, in: fixture.harness).status == .ok)
            #expect(try change.send(as: session, in: fixture.harness).status == .seeOther)
        }
    }

    @Test("an administrator gets 200 on every page and the expected answer to every form")
    func administratorsMayUseEveryRoute() throws {
        let fixture = try AccountFixture()
        let expected: [String: HTTPStatus] = [
            "POST /accounts": .ok,  // the page showing the generated password
            "POST /accounts/\(fixture.managerID)": .seeOther,
            "POST /accounts/\(fixture.managerID)/password": .ok,
        ]
        for request in try ScreenRequest.all(fixture) {
            let response = try request.send(as: fixture.administrator, in: fixture.harness)
            #expect(response.status == expected[request.description] ?? .ok, "\(request)")
            #expect(response.headers["Cache-Control"] == "no-store", "\(request)")
        }
    }

    @Test(
        "another organization's administrator gets 404 for this organization's IDs, in URLs and forms, changing nothing"
    )
    func otherOrganizationsGetNotFound() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for request in try ScreenRequest.all(fixture)
        where request.path.hasPrefix("/accounts/") && request.path != "/accounts/new" {
            let before = try harness.accountsSnapshot()
            #expect(try request.send(as: fixture.otherAdministrator, in: harness).status == .notFound, "\(request)")
            #expect(try harness.accountsSnapshot() == before, "\(request)")
        }
        // An install of the first organization slipped into the other's forms.
        let before = try harness.accountsSnapshot()
        let created = try harness.post(
            "/accounts", session: fixture.otherAdministrator,
            fields: PortalHarness.newAccountFields(
                email: "slipped@b.example", name: "Slipped In", installs: [fixture.install]))
        #expect(created.status == .notFound)
        let changed = try harness.post(
            "/accounts/\(fixture.otherAdministratorID)", session: fixture.otherAdministrator,
            fields: [
                ("version", String(try harness.accountVersion(fixture.otherAdministratorID))),
                ("role", "administrator"),
                ("installs", String(fixture.install)),
            ])
        #expect(changed.status == .notFound)
        #expect(try harness.accountsSnapshot() == before)
    }

    @Test("another organization's administrator sees none of this organization's accounts, installs or events")
    func otherOrganizationsSeeNothing() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for target in [
            "/accounts", "/accounts/new", "/audit", "/audit?install=\(fixture.install)",
            "/audit?account=\(fixture.administratorID)",
        ] {
            let response = try harness.get(target, session: fixture.otherAdministrator)
            let html = PortalHarness.text(response)
            #expect(response.status == .ok, "\(target)")
            #expect(!html.contains("a.example"), "\(target)")
            #expect(!html.contains("Head office") && !html.contains("Warehouse"), "\(target)")
        }
    }
}

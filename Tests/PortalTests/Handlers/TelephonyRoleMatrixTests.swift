import HotDesk
import Testing
import WebServer

/// One Telephony route, aimed at one install, its user and its trusted range, with a form an
/// administrator could send successfully (versions read from the database when the request is sent).
private struct TelephonyRoute: CustomStringConvertible {
    let method: HTTPMethod
    let path: String
    /// Whether a manager assigned to the install may use it.
    let managers: Bool
    let fields: (PortalHarness) throws -> [(String, String)]

    var description: String { "\(method.rawValue) \(path)" }

    func send(as session: TestSession?, in harness: PortalHarness) throws -> Response {
        method == .GET
            ? try harness.get(path, session: session)
            : try harness.post(path, session: session, fields: fields(harness))
    }

    /// Every route below `/installs/:install`, for `user` and `range` of that install.
    static func all(install: Int, user: Int, range: Int) -> [TelephonyRoute] {
        let base = "/installs/\(install)"
        let userPath = "\(base)/users/\(user)"
        let version: (PortalHarness) throws -> String = { try $0.userField(user, "version") ?? "0" }
        let handsetVersion: (PortalHarness) throws -> String = { try String($0.handsetVersion(install)) }
        func get(_ path: String, managers: Bool = false) -> TelephonyRoute {
            TelephonyRoute(method: .GET, path: path, managers: managers) { _ in [] }
        }
        func post(
            _ path: String, managers: Bool = false, _ fields: @escaping (PortalHarness) throws -> [(String, String)]
        )
            -> TelephonyRoute
        {
            TelephonyRoute(method: .POST, path: path, managers: managers, fields: fields)
        }
        return [
            get(base, managers: true), get("\(base)/users", managers: true), get("\(base)/users/new"), get(userPath),
            get("\(userPath)/delete"), get("\(userPath)/pin", managers: true), get("\(base)/settings"),
            get("\(base)/trusted-ips"), get("\(base)/trusted-ips/\(range)/remove"), get("\(base)/handsets"),
            get("\(base)/handsets/download"), get("\(base)/handsets/rotate"), get("\(base)/status", managers: true),
            get("\(base)/history", managers: true),
            post("\(base)/settings/login-policy") { harness in
                let policyVersion: Int = try harness.pool.query(
                    "SELECT version FROM hotdesk.login_policies WHERE install_id = \(install)")[0].decode("version")
                return [
                    ("version", "\(policyVersion)"), ("max_login_hours", "10"), ("daily_logout_at", "19:00"),
                    ("time_zone", "Europe/Paris"), ("second_login", "refuse"),
                ]
            },
            post("\(base)/settings") { harness in
                let domain: String = try harness.pool.query(
                    "SELECT sip_domain FROM hotdesk.installs WHERE id = \(install)")[0].decode("sip_domain")
                let installVersion: Int = try harness.pool.query(
                    "SELECT version FROM hotdesk.installs WHERE id = \(install)")[0].decode("version")
                return [("version", "\(installVersion)"), ("name", "Renamed"), ("sip_domain", domain)]
            },
            post("\(base)/users") { _ in [("extension", "0500"), ("display_name", "New User")] },
            post("\(base)/users/access") { _ in [("user", "\(user)"), ("access", "grant")] },
            post(userPath) { [("version", try version($0)), ("display_name", "Changed"), ("pin", "8264")] },
            post("\(userPath)/clear-pin") { [("version", try version($0))] },
            post("\(userPath)/pin", managers: true) { [("version", try version($0)), ("generate", "yes")] },
            post("\(base)/trusted-ips") { _ in [("network", "198.51.100.0/24"), ("description", "New range")] },
            post("\(base)/trusted-ips/\(range)/remove") { _ in [] },
            post("\(base)/handsets") { harness in
                [("version", try handsetVersion(harness))]
                    + PortalHarness.handsetFields(lineKey: "5", label: "Register")
            },
            post("\(base)/handsets/provisioning") {
                [("version", try handsetVersion($0)), ("provisioning_enabled", "yes")]
            },
            post("\(base)/handsets/rotate") { _ in [] },
            post("\(userPath)/delete") { [("version", try version($0))] },
        ]
    }
}

@Suite("Telephony routes: every role gets exactly its answer, and refused POSTs change nothing")
struct TelephonyRoleMatrixTests {
    /// The fixture with a user and a trusted range in each of the first organization's two installs and
    /// in the other organization's install.
    private func fixture() throws -> (AccountFixture, [Int: (user: Int, range: Int)]) {
        let fixture = try AccountFixture()
        var targets: [Int: (user: Int, range: Int)] = [:]
        for install in [fixture.install, fixture.secondInstall, fixture.otherInstall] {
            let user = try fixture.harness.makeUser(installID: install, extension: "0042", pin: "7391")
            let range: Int = try fixture.harness.pool.query(
                """
                INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                VALUES (\(install), '192.0.2.0/24', 'Office') RETURNING id
                """)[0].decode("id")
            targets[install] = (user, range)
        }
        return (fixture, targets)
    }

    private func routes(
        _ fixture: AccountFixture, _ targets: [Int: (user: Int, range: Int)], install: Int
    ) -> [TelephonyRoute] {
        TelephonyRoute.all(install: install, user: targets[install]!.user, range: targets[install]!.range)
    }

    @Test("signed out: every GET leads to sign-in, every POST is a 403 that changes nothing")
    func signedOut() throws {
        let (fixture, targets) = try fixture()
        let harness = fixture.harness
        #expect(try harness.get("/telephony").headers["Location"] == "/login?next=/telephony")
        #expect(
            try harness.post("/installs", fields: [("name", "X"), ("sip_domain", "x.example.com")]).status == .forbidden
        )
        for route in routes(fixture, targets, install: fixture.install) {
            let before = try harness.telephonySnapshot()
            let response = try route.send(as: nil, in: harness)
            if route.method == .GET {
                #expect(response.headers["Location"] == "/login?next=" + route.path, "\(route)")
            } else {
                #expect(response.status == .forbidden, "\(route)")
            }
            #expect(try harness.telephonySnapshot() == before, "\(route)")
        }
    }

    @Test("a manager: its own install's Users tab and Reset PIN work; everything else is 403; other installs are 404")
    func managers() throws {
        let (fixture, targets) = try fixture()
        let harness = fixture.harness
        #expect(
            try harness.post(
                "/installs", session: fixture.manager, fields: [("name", "X"), ("sip_domain", "x.example.com")]
            )
            .status == .forbidden)
        for install in [fixture.secondInstall, fixture.otherInstall] {
            for route in routes(fixture, targets, install: install) {
                let before = try harness.telephonySnapshot()
                let response = try route.send(as: fixture.manager, in: harness)
                #expect(response.status == (route.managers ? .notFound : .forbidden), "\(route)")
                #expect(try harness.telephonySnapshot() == before, "\(route)")
            }
        }
        for route in routes(fixture, targets, install: fixture.install) {
            let before = try harness.telephonySnapshot()
            let response = try route.send(as: fixture.manager, in: harness)
            if route.managers {
                #expect([HTTPStatus.ok, .seeOther].contains(response.status), "\(route)")
            } else {
                #expect(response.status == .forbidden, "\(route)")
                #expect(try harness.telephonySnapshot() == before, "\(route)")
            }
        }
    }

    @Test("another organization's administrator gets 404 on every route of this organization's installs")
    func otherOrganization() throws {
        let (fixture, targets) = try fixture()
        let harness = fixture.harness
        #expect(
            !PortalHarness.text(try harness.get("/telephony", session: fixture.otherAdministrator)).contains(
                "Head office"))
        for install in [fixture.install, fixture.secondInstall] {
            for route in routes(fixture, targets, install: install) {
                let before = try harness.telephonySnapshot()
                #expect(try route.send(as: fixture.otherAdministrator, in: harness).status == .notFound, "\(route)")
                #expect(try harness.telephonySnapshot() == before, "\(route)")
            }
        }
        let foreignUser = targets[fixture.install]!.user
        let before = try harness.telephonySnapshot()
        let ownInstall = "/installs/\(fixture.otherInstall)/users/access"
        let response = try harness.post(
            ownInstall, session: fixture.otherAdministrator, fields: [("user", "\(foreignUser)"), ("access", "grant")])
        #expect(response.status == .notFound, "a user id of another organization in a form field")
        #expect(try harness.telephonySnapshot() == before)
    }

    @Test("an administrator gets the allowed answer on every route")
    func administrators() throws {
        let (fixture, targets) = try fixture()
        let harness = fixture.harness
        #expect(try harness.get("/telephony", session: fixture.administrator).status == .ok)
        for route in routes(fixture, targets, install: fixture.install) {
            let response = try route.send(as: fixture.administrator, in: harness)
            let expected: [HTTPStatus] =
                route.method == .GET
                ? (route.path == "/installs/\(fixture.install)" ? [.seeOther] : [.ok]) : [.seeOther, .ok]
            #expect(expected.contains(response.status), "\(route): \(response.status)")
        }
        #expect(
            try harness.pool.query("SELECT id FROM hotdesk.users WHERE id = \(targets[fixture.install]!.user)").count
                == 0)
        let created = try harness.post(
            "/installs", session: fixture.administrator, fields: [("name", "New"), ("sip_domain", "new.example.com")])
        #expect(created.status == .seeOther)
    }
}

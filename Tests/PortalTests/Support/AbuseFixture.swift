import HotDesk
import PostgresClient
import WebServer

/// One state-changing form of the portal, filled in validly: the abuse tests spoil one thing at a time.
struct MutatingForm: Sendable, CustomStringConvertible {
    let path: String
    /// The signed-in browser sending it; nil for the sign-in form.
    let session: TestSession?
    /// The fields, `_csrf` included, in the order the page's form sends them.
    let fields: [(String, String)]
    /// Cookies besides the session (the sign-in form's anti-forgery cookie).
    var cookies: [String: String] = [:]

    var description: String { "POST \(path)" }

    /// Field names that may legitimately repeat (checkbox lists).
    static let repeatableFields: Set<String> = ["installs", "user"]
}

/// `AccountFixture` plus what the Telephony forms act on: a user with a PIN and a trusted range in the
/// manager's install, and every mutating form of the portal, ready to send.
struct AbuseFixture {
    let accounts: AccountFixture
    let user: Int
    let range: Int

    var harness: PortalHarness { accounts.harness }

    init() throws {
        accounts = try AccountFixture()
        user = try accounts.harness.makeUser(
            installID: accounts.install, extension: "0042", name: "Ann Smith", access: true, pin: "2580")
        range = try accounts.harness.pool.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(accounts.install), '192.0.2.0/24'::cidr, 'Head office LAN') RETURNING id
            """)[0].decode("id")
    }

    /// Every POST route of the portal with fields that the portal would accept as they are.
    func forms() throws -> [MutatingForm] {
        let admin = accounts.administrator
        let install = "/installs/\(accounts.install)"
        let userPath = "\(install)/users/\(user)"
        let userVersion = String(try version(of: "users", id: user))
        let installVersion = String(try version(of: "installs", id: accounts.install))
        let handsetVersion = String(try harness.handsetVersion(accounts.install))
        let signInToken = try signInFormToken()
        let csrf = [("_csrf", admin.csrfToken)]
        return [
            MutatingForm(
                path: "/login", session: nil,
                fields: [
                    ("email", "admin@a.example"), ("password", "a perfectly fine passphrase"), ("_csrf", signInToken),
                    ("next", "/telephony"),
                ],
                cookies: ["hotdesk_signin": signInToken]),
            MutatingForm(path: "/logout", session: admin, fields: csrf),
            MutatingForm(
                path: "/accounts", session: admin,
                fields: PortalHarness.newAccountFields(
                    email: "new@a.example", name: "New Person", installs: [accounts.install]) + csrf),
            MutatingForm(
                path: "/accounts/\(accounts.managerID)", session: admin,
                fields: [
                    ("version", String(try harness.accountVersion(accounts.managerID))), ("role", "manager"),
                    ("installs", String(accounts.install)), ("installs", String(accounts.secondInstall)),
                ] + csrf),
            MutatingForm(path: "/accounts/\(accounts.managerID)/password", session: admin, fields: csrf),
            MutatingForm(
                path: "/account/password", session: admin,
                fields: [
                    ("current_password", "a perfectly fine passphrase"), ("new_password", "another fine passphrase"),
                    ("new_password_confirmation", "another fine passphrase"),
                ] + csrf),
            MutatingForm(
                path: "/installs", session: admin,
                fields: [("name", "Branch"), ("sip_domain", "branch.example.com")] + csrf),
            MutatingForm(
                path: "\(install)/settings", session: admin,
                fields: [("version", installVersion), ("name", "Head office 2"), ("sip_domain", try sipDomain())] + csrf
            ),
            MutatingForm(
                path: "\(install)/users", session: admin,
                fields: [("extension", "0043"), ("display_name", "Bob Jones")] + csrf),
            MutatingForm(
                path: "\(install)/users/access", session: admin,
                fields: [("user", String(user)), ("access", "revoke")] + csrf),
            MutatingForm(
                path: userPath, session: admin,
                fields: [
                    ("version", userVersion), ("display_name", "Ann Smyth"), ("hot_desk_access", "yes"),
                    ("pin", "7391"),
                ]
                    + csrf),
            MutatingForm(path: "\(userPath)/clear-pin", session: admin, fields: [("version", userVersion)] + csrf),
            MutatingForm(path: "\(userPath)/delete", session: admin, fields: [("version", userVersion)] + csrf),
            MutatingForm(
                path: "\(userPath)/pin", session: accounts.manager,
                fields: [
                    ("version", userVersion), ("pin", "7391"), ("pin_confirmation", "7391"),
                    ("_csrf", accounts.manager.csrfToken),
                ]),
            MutatingForm(
                path: "\(install)/trusted-ips", session: admin,
                fields: [("network", "198.51.100.0/24"), ("description", "Branch LAN")] + csrf),
            MutatingForm(path: "\(install)/trusted-ips/\(range)/remove", session: admin, fields: csrf),
            MutatingForm(
                path: "\(install)/handsets", session: admin,
                fields: [("version", handsetVersion)] + PortalHarness.handsetFields(lineKey: "5", expiry: "450") + csrf),
            MutatingForm(
                path: "\(install)/handsets/provisioning", session: admin,
                fields: [("version", handsetVersion), ("provisioning_enabled", "yes")] + csrf),
            MutatingForm(path: "\(install)/handsets/rotate", session: admin, fields: csrf),
        ]
    }

    /// Everything a form could change — accounts, assignments, sessions, installs, users, ranges, handset
    /// settings, audit events and failed sign-ins — as text, to compare before and after a request that must change nothing.
    func snapshot() throws -> String {
        let failures: Int = try harness.pool.query("SELECT count(*)::int AS n FROM hotdesk.sign_in_failures")[0].decode(
            "n")
        let handsets: String? = try harness.pool.query(
            "SELECT string_agg(h::text, E'\\n' ORDER BY h.install_id) AS rows FROM hotdesk.handset_settings h")[0]
            .decode("rows")
        return try harness.accountsSnapshot() + "\n==\n" + harness.telephonySnapshot() + "\n==\n\(failures)\n==\n"
            + (handsets ?? "")
    }

    /// Sends `body` as `form`'s request, with its session and cookies, the portal's own Origin and
    /// `contentType` (none when nil), plus `headers`.
    func send(
        _ form: MutatingForm, body: [UInt8], contentType: String? = "application/x-www-form-urlencoded",
        method: HTTPMethod = .POST, headers extra: [(String, String)] = []
    ) throws -> Response {
        let request = try harness.request(
            method, form.path, session: form.session, headers: extra, cookies: form.cookies)
        var headers = request.headers
        if let contentType { headers.add("Content-Type", contentType) }
        return harness.send(
            Request(
                method: method, path: request.path, query: request.query, headers: headers, cookies: request.cookies,
                body: body, remoteAddress: request.remoteAddress))
    }

    /// Sends `form` with `fields` instead of its own, encoded as a browser would.
    func send(_ form: MutatingForm, fields: [(String, String)], headers: [(String, String)] = []) throws -> Response {
        try send(form, body: Array(FormData(fields).encoded.utf8), headers: headers)
    }

    /// A response's status and page text, for failure messages.
    static func describe(_ response: Response) -> String {
        "\(response.status.code): \(PortalHarness.text(response).prefix(2000))"
    }

    /// The row's version, or 0 once it is deleted.
    private func version(of table: String, id: Int) throws -> Int {
        let query: PostgresQuery =
            table == "users"
            ? "SELECT version FROM hotdesk.users WHERE id = \(id)"
            : "SELECT version FROM hotdesk.installs WHERE id = \(id)"
        let rows = try harness.pool.query(query)
        return rows.count == 1 ? try rows[0].decode("version") : 0
    }

    private func sipDomain() throws -> String {
        try harness.pool.query("SELECT sip_domain FROM hotdesk.installs WHERE id = \(accounts.install)")[0].decode(
            "sip_domain")
    }

    private func signInFormToken() throws -> String {
        let form = harness.send(try harness.request(.GET, "/login"))
        guard let token = PortalHarness.cookie("hotdesk_signin", in: form) else { throw HarnessError.noSignInToken }
        return token
    }
}

import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import HotDesk

/// A real Kamailio, configured by the shipped kamailio.cfg, reading the portal's data through the
/// registrar views, driven by sipp from loopback addresses: it must accept an operator exactly when the
/// portal says so. One Kamailio per test; serialized, since each runs several processes.
@Suite("Registrar end to end (Kamailio + sipp)", .serialized)
struct RegistrarEndToEndTests {
    /// Two installs: Acme (pbx.acme.example, trusts 127.0.0.1/32) and Beta (pbx.beta.example, trusts
    /// 127.0.0.3/32); users as named in each test.
    private struct World {
        let database: TestDatabase
        let connection: PostgresConnection
        let acme: Int
        let beta: Int

        init() throws {
            database = try TestPostgres.makeDatabase()
            connection = try PostgresConnection(connectionString: database.appURL)
            let organization: Int = try connection.query(
                "INSERT INTO hotdesk.organizations (name) VALUES ('Acme group') RETURNING id")[0].decode("id")
            acme = try connection.query(
                """
                INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                VALUES (\(organization), 'Acme', 'pbx.acme.example') RETURNING id
                """)[0].decode("id")
            beta = try connection.query(
                """
                INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
                VALUES (\(organization), 'Beta', 'pbx.beta.example') RETURNING id
                """)[0].decode("id")
            try trust(acme, "127.0.0.1/32")
            try trust(beta, "127.0.0.3/32")
        }

        func user(_ install: Int, _ extensionNumber: String, pin: String?, access: Bool = true) throws {
            try connection.query(
                """
                INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
                VALUES (\(install), \(extensionNumber), \("Operator " + extensionNumber), \(access), \(pin))
                """)
        }

        func trust(_ install: Int, _ network: String) throws {
            try connection.query(
                """
                INSERT INTO hotdesk.trusted_networks (install_id, network, description)
                VALUES (\(install), \(network)::cidr, 'Test range')
                """)
        }
    }

    private func login(_ ext: String, _ domain: String, _ pin: String, from source: String = "127.0.0.1") -> SippLogin {
        SippLogin(extensionNumber: ext, domain: domain, pin: pin, source: source)
    }

    @Test("the right extension and PIN from a trusted address register, and 3600 s asked becomes 600 s")
    func rightPINFromTrustedAddressRegisters() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.user(world.acme, "1001", pin: "4829")
        let kamailio = try KamailioProcess(database: world.database)
        let result = try login("1001", "pbx.acme.example", "4829").run(against: kamailio, expecting: .accepted)
        #expect(result.matched, "\(result.messages)\n\(kamailio.log())")
        let granted = result.messages.components(separatedBy: "expires=").dropFirst().compactMap {
            Int($0.prefix { $0.isASCII && $0.isNumber })
        }
        #expect(!granted.isEmpty && granted.allSatisfy { $0 <= 600 }, "\(granted)")
    }

    @Test("a wrong PIN, no Hot Desk Access, no PIN and an unknown extension are all refused")
    func wrongCredentialsAreRefused() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.user(world.acme, "1001", pin: "4829")
        try world.user(world.acme, "1002", pin: "5937", access: false)
        try world.user(world.acme, "1003", pin: nil)
        let kamailio = try KamailioProcess(database: world.database)
        for attempt in [
            login("1001", "pbx.acme.example", "4828"), login("1002", "pbx.acme.example", "5937"),
            login("1003", "pbx.acme.example", "0000"), login("1999", "pbx.acme.example", "4829"),
        ] {
            let result = try attempt.run(against: kamailio, expecting: .refused)
            #expect(result.matched, "\(attempt.extensionNumber): \(result.messages)")
            #expect(!result.messages.contains("SIP/2.0 200"))
        }
    }

    @Test(
        "a source outside every trusted range is challenged, then gets 403 whatever its PIN; an install without ranges admits nobody"
    )
    func untrustedSourcesAreForbidden() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.user(world.acme, "1001", pin: "4829")
        let organization: Int = try world.connection.query(
            "SELECT organization_id FROM hotdesk.installs WHERE id = \(world.acme)")[0]
            .decode("organization_id")
        let bare: Int = try world.connection.query(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
            VALUES (\(organization), 'No ranges', 'pbx.bare.example') RETURNING id
            """)[0].decode("id")
        try world.user(bare, "1001", pin: "4829")
        let kamailio = try KamailioProcess(database: world.database)
        let outside = try login("1001", "pbx.acme.example", "4829", from: "127.0.0.2").run(
            against: kamailio, expecting: .forbiddenAfterPIN)
        #expect(outside.matched, "\(outside.messages)")
        #expect(outside.messages.contains("403"))
        // A wrong PIN gets the same answer: the source is refused before the digest is checked.
        let guessed = try login("1001", "pbx.acme.example", "0000", from: "127.0.0.2").run(
            against: kamailio, expecting: .forbiddenAfterPIN)
        #expect(guessed.matched, "\(guessed.messages)")
        let unranged = try login("1001", "pbx.bare.example", "4829").run(
            against: kamailio, expecting: .forbiddenAfterPIN)
        #expect(unranged.matched, "\(unranged.messages)")
    }

    @Test("one install's range does not admit another's users, and the same extension authenticates per domain")
    func installsAreIsolated() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.user(world.acme, "2001", pin: "4829")
        try world.user(world.beta, "2001", pin: "7315")
        let kamailio = try KamailioProcess(database: world.database)
        // Beta's user from Acme's trusted address: not Beta's range.
        #expect(
            try login("2001", "pbx.beta.example", "7315", from: "127.0.0.1").run(
                against: kamailio, expecting: .forbiddenAfterPIN
            ).matched)
        // Each domain checks its own PIN.
        #expect(
            try login("2001", "pbx.beta.example", "7315", from: "127.0.0.3").run(
                against: kamailio, expecting: .accepted
            ).matched)
        #expect(
            try login("2001", "pbx.acme.example", "4829", from: "127.0.0.1").run(
                against: kamailio, expecting: .accepted
            ).matched)
        #expect(
            try login("2001", "pbx.acme.example", "7315", from: "127.0.0.1").run(against: kamailio, expecting: .refused)
                .matched)
    }

    @Test("a second login of the same operator from another handset replaces the first registration")
    func secondLoginReplacesFirst() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.user(world.acme, "1001", pin: "4829")
        try world.trust(world.acme, "127.0.0.5/32")
        let kamailio = try KamailioProcess(database: world.database)
        #expect(
            try login("1001", "pbx.acme.example", "4829", from: "127.0.0.1").run(
                against: kamailio, expecting: .accepted
            ).matched)
        let second = try login("1001", "pbx.acme.example", "4829", from: "127.0.0.5").run(
            against: kamailio, expecting: .accepted)
        #expect(second.matched)
        let okReply = second.messages.components(separatedBy: "SIP/2.0 200 OK").last ?? ""
        let contacts = okReply.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("Contact:") }
        #expect(contacts.count == 1, "\(contacts)\n\(second.messages)")
        #expect(contacts.first?.contains("@127.0.0.5:") == true, "\(contacts)")
    }

    @Test("repeated wrong PINs get the address refused even with the right PIN, until the ban time passes")
    func bruteForceIsBanned() throws {
        let world = try World()
        defer { world.database.drop() }
        try world.user(world.acme, "1001", pin: "4829")
        let kamailio = try KamailioProcess(database: world.database, banSeconds: 4, failureLimit: 5)
        for _ in 0..<5 {
            #expect(try login("1001", "pbx.acme.example", "1357").run(against: kamailio, expecting: .refused).matched)
        }
        let banned = try login("1001", "pbx.acme.example", "4829").run(against: kamailio, expecting: .forbidden)
        #expect(banned.matched, "\(banned.messages)")
        Thread.sleep(forTimeInterval: 4.5)
        #expect(try login("1001", "pbx.acme.example", "4829").run(against: kamailio, expecting: .accepted).matched)
    }

    @Test("PIN reset, access revoked and range removed through the portal take effect on the next REGISTER")
    func portalChangesTakeEffectAtOnce() throws {
        let harness = try PortalHarness()
        let organization = try harness.makeOrganization()
        let install = try harness.makeInstall(organizationID: organization, domain: "pbx.portal.example")
        _ = try harness.makeAccount(organizationID: organization, email: "admin@portal.example")
        let admin = try harness.signIn(email: "admin@portal.example")
        let user = try harness.makeUser(installID: install, extension: "1001", name: "Ann", access: true, pin: "4829")
        let added = try harness.post(
            "/installs/\(install)/trusted-ips", session: admin,
            fields: [("network", "127.0.0.1/32"), ("description", "Loopback office")])
        #expect(added.status == .seeOther)
        let kamailio = try KamailioProcess(database: harness.database)
        let login = { (pin: String) in SippLogin(extensionNumber: "1001", domain: "pbx.portal.example", pin: pin) }
        #expect(try login("4829").run(against: kamailio, expecting: .accepted).matched)

        let reset = try harness.post(
            "/installs/\(install)/users/\(user)/pin", session: admin,
            fields: [
                ("version", harness.userField(user, "version") ?? ""), ("pin", "7351"), ("pin_confirmation", "7351"),
            ])
        #expect(reset.status.code < 400, "\(PortalHarness.text(reset))")
        #expect(try login("4829").run(against: kamailio, expecting: .refused).matched)
        #expect(try login("7351").run(against: kamailio, expecting: .accepted).matched)

        let revoked = try harness.post(
            "/installs/\(install)/users/\(user)", session: admin,
            fields: [("version", harness.userField(user, "version") ?? ""), ("display_name", "Ann"), ("pin", "")])
        #expect(revoked.status == .seeOther)
        #expect(try harness.userField(user, "hot_desk_access")?.hasPrefix("f") == true)
        #expect(try login("7351").run(against: kamailio, expecting: .refused).matched)

        let granted = try harness.post(
            "/installs/\(install)/users/\(user)", session: admin,
            fields: [
                ("version", harness.userField(user, "version") ?? ""), ("display_name", "Ann"),
                ("hot_desk_access", "yes"),
                ("pin", ""),
            ])
        #expect(granted.status == .seeOther)
        #expect(try login("7351").run(against: kamailio, expecting: .accepted).matched)
        let range: Int = try harness.pool.query(
            "SELECT id FROM hotdesk.trusted_networks WHERE install_id = \(install)")[0].decode("id")
        let removed = try harness.post("/installs/\(install)/trusted-ips/\(range)/remove", session: admin)
        #expect(removed.status == .seeOther)
        #expect(try login("7351").run(against: kamailio, expecting: .forbiddenAfterPIN).matched)
    }

    @Test("operators imported from a CSV file log in with their imported PIN and with the generated one")
    func importedUsersLogIn() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let domain = try fixture.trustingLoopback()
        let csv = Array(
            "extension,name,hot_desk_access,pin\n1001,Imported,yes,4829\n1002,Generated,yes,generate\n".utf8)
        let path = "/installs/\(fixture.install)/users/import"
        let preview = PortalHarness.text(
            try harness.upload(
                path, session: fixture.administrator, fields: [("mode", "update")], files: [("file", "u.csv", csv)]))
        func hidden(_ name: String) -> String {
            let start = preview.range(of: "type=\"hidden\" name=\"\(name)\" value=\"")!.upperBound
            return String(preview[start...].prefix { $0 != "\"" })
        }
        let applied = try harness.upload(
            path + "/apply", session: fixture.administrator,
            fields: [("mode", "update"), ("binding", hidden("binding")), ("file", hidden("file"))])
        #expect(applied.status == .ok)
        let generated: String = try harness.pool.query(
            "SELECT hot_desk_pin FROM hotdesk.users WHERE extension = '1002'")[0].decode("hot_desk_pin")
        #expect(PortalHarness.text(applied).contains("<code>\(generated)</code>"))
        let kamailio = try KamailioProcess(database: harness.database)
        for (number, pin) in [("1001", "4829"), ("1002", generated)] {
            let result = try login(number, domain, pin).run(against: kamailio, expecting: .accepted)
            #expect(result.matched, "\(number): \(result.messages)\n\(kamailio.log())")
        }
    }
}

extension RegistrarEndToEndTests {
    @Test("an operator created, granted access and given a PIN through the API logs in with that PIN")
    func pinSetThroughTheAPILogsIn() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let domain = try fixture.trustingLoopback()
        let key = try harness.makeKey(administrator: "admin@a.example")
        let users = "/api/v1/installs/\(fixture.install)/users"
        let created = try harness.api(.POST, users, key: key, json: #"{"extension":"1204","display_name":"Via API"}"#)
        let id = try #require(PortalHarness.json(created)["id"] as? Int)
        let granted = try harness.api(
            .PATCH, "\(users)/\(id)", key: key, json: #"{"hot_desk_access":true}"#,
            headers: [("If-Match", try #require(created.headers["ETag"]))])
        let pinSet = try harness.api(
            .PUT, "\(users)/\(id)/pin", key: key, json: #"{"pin":"5931"}"#,
            headers: [("If-Match", try #require(granted.headers["ETag"]))])
        #expect(pinSet.status == .noContent)
        let kamailio = try KamailioProcess(database: harness.database)
        let accepted = try SippLogin(extensionNumber: "1204", domain: domain, pin: "5931", source: "127.0.0.1")
            .run(against: kamailio, expecting: .accepted)
        #expect(accepted.matched, "\(accepted.messages)\n\(kamailio.log())")
        let refused = try SippLogin(extensionNumber: "1204", domain: domain, pin: "5932", source: "127.0.0.1")
            .run(against: kamailio, expecting: .refused)
        #expect(refused.matched)
    }
}

extension AccountFixture {
    /// Makes the first install trust 127.0.0.1/32, where sipp sends from; returns its SIP domain.
    func trustingLoopback() throws -> String {
        try harness.pool.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(install), '127.0.0.1/32', 'Test range')
            """)
        return try harness.pool.query("SELECT sip_domain FROM hotdesk.installs WHERE id = \(install)")[0].decode(
            "sip_domain")
    }
}

import Foundation
import HotDesk
import Testing
import WebServer

@Suite("Telephony Settings list: 50 installs a page by name, search by name or SIP domain, counts per page")
struct TelephonyInstallListTests {
    /// Adds 120 installs named "Site 001" … "Site 120" (domains site-001.list.example …) to the fixture's
    /// organization, plus a second "Site 049" so that two installs of one name straddle the first page's end.
    /// With the fixture's "Head office" and "Warehouse" the organization has 123 installs.
    private func addSites(_ fixture: AccountFixture) throws {
        try fixture.harness.pool.query(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
            SELECT \(fixture.organization)::bigint, 'Site ' || lpad(n::text, 3, '0'), 'site-' || lpad(n::text, 3, '0') || '.list.example'
            FROM generate_series(1, 120) n
            UNION ALL SELECT \(fixture.organization)::bigint, 'Site 049', 'site-049b.list.example'
            """)
    }

    /// The install names listed on a page, in page order.
    private func names(_ html: String) throws -> [String] {
        try html.matches(of: Regex(#"<th scope="row"><a href="/installs/\d+/users">([^<]*)</a></th>"#)).map {
            String($0.output[1].substring ?? "")
        }
    }

    /// The href of the pager link with `rel`, unescaped; nil when the page has none.
    private func link(_ rel: String, in html: String) throws -> String? {
        try html.firstMatch(of: Regex(#"<a href="([^"]*)" rel="\#(rel)">"#)).map {
            String($0.output[1].substring ?? "").replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    private func id(of name: String, domain: String, _ fixture: AccountFixture) throws -> Int {
        try fixture.harness.pool.query(
            "SELECT id FROM hotdesk.installs WHERE name = \(name) AND sip_domain LIKE \(domain + "%") ORDER BY id LIMIT 1"
        )[0].decode("id")
    }

    @Test("123 installs page 50 at a time by name and id: Next and Previous links cover each install exactly once")
    func pagesCoverEveryInstallOnceInOrder() throws {
        let fixture = try AccountFixture()
        try addSites(fixture)
        let harness = fixture.harness
        let first = PortalHarness.text(try harness.get("/telephony", session: fixture.administrator))
        let expected =
            ["Head office"]
            + (1...120).flatMap { n -> [String] in
                let name = "Site " + String(format: "%03d", n)
                return n == 49 ? [name, name] : [name]
            } + ["Warehouse"]
        #expect(try names(first) == Array(expected[0..<50]))
        #expect(try link("prev", in: first) == nil)
        let secondStart = try id(of: "Site 049", domain: "site-049b", fixture)
        #expect(try link("next", in: first) == "/telephony?from=\(secondStart)")
        #expect(first.contains(#"<nav class="pager" aria-label="Pages of installs">"#))
        #expect(first.contains("Next 50 →"))

        let second = PortalHarness.text(
            try harness.get("/telephony?from=\(secondStart)", session: fixture.administrator))
        #expect(try names(second) == Array(expected[50..<100]))
        #expect(try link("prev", in: second) == "/telephony?from=\(fixture.install)")
        let thirdPath = try #require(try link("next", in: second))
        let third = PortalHarness.text(try harness.get(thirdPath, session: fixture.administrator))
        #expect(try names(third) == Array(expected[100...]))
        #expect(try link("next", in: third) == nil)
        #expect(try link("prev", in: third) == "/telephony?from=\(secondStart)")

        let back = PortalHarness.text(
            try harness.get("/telephony?from=\(fixture.install)", session: fixture.administrator))
        #expect(try names(back) == Array(expected[0..<50]))
    }

    @Test("search matches the start of a name or SIP domain, ignoring case, and pages its results with the search kept")
    func searchFindsByNameOrDomainPrefix() throws {
        let fixture = try AccountFixture()
        try addSites(fixture)
        let harness = fixture.harness
        let byName = PortalHarness.text(try harness.get("/telephony?q=SITE+01", session: fixture.administrator))
        #expect(try names(byName) == (10...19).map { "Site 0\($0)" })
        #expect(byName.contains(#"value="SITE 01""#))
        #expect(byName.contains(#"<a href="/telephony">Show all installs</a>"#))
        #expect(try link("next", in: byName) == nil)

        let byDomain = PortalHarness.text(try harness.get("/telephony?q=site-049", session: fixture.administrator))
        #expect(try names(byDomain) == ["Site 049", "Site 049"])
        #expect(
            try names(PortalHarness.text(try harness.get("/telephony?q=%20ware", session: fixture.administrator)))
                == ["Warehouse"])
        // LIKE wildcards in the search box match themselves.
        #expect(
            try names(PortalHarness.text(try harness.get("/telephony?q=site_0", session: fixture.administrator)))
                .isEmpty)

        let broad = PortalHarness.text(try harness.get("/telephony?q=site", session: fixture.administrator))
        #expect(try names(broad).count == 50)
        let next = try #require(try link("next", in: broad))
        #expect(next.hasPrefix("/telephony?q=site&from="))
        let nextPage = PortalHarness.text(try harness.get(next, session: fixture.administrator))
        #expect(try names(nextPage).first == "Site 050" && names(nextPage).count == 50)
        #expect(try link("prev", in: nextPage).map { $0.hasPrefix("/telephony?q=site&from=") } == true)
    }

    @Test("a search without results and an organization without installs each say so in words")
    func emptyStatesAreExplained() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let missed = try harness.get("/telephony?q=nowhere", session: fixture.administrator)
        #expect(missed.status == .ok)
        let html = PortalHarness.text(missed)
        #expect(try names(html).isEmpty)
        #expect(html.contains("No installs have a name or SIP domain starting with “nowhere”."))
        #expect(!html.contains("There are no phone system installs yet"))

        let organization = try harness.makeOrganization()
        _ = try harness.makeAccount(organizationID: organization, email: "admin@c.example", name: "Cy Empty")
        let empty = PortalHarness.text(
            try harness.get("/telephony", session: try harness.signIn(email: "admin@c.example")))
        #expect(empty.contains("There are no phone system installs yet. Create the first one below."))
        #expect(!empty.contains("<nav class=\"pager\""))
    }

    @Test("counts on a later page are each install's own users, users with access and trusted ranges")
    func countsOnALaterPage() throws {
        let fixture = try AccountFixture()
        try addSites(fixture)
        let harness = fixture.harness
        let site = try id(of: "Site 110", domain: "site-110", fixture)
        _ = try harness.makeUser(installID: site, extension: "0001", access: true)
        _ = try harness.makeUser(installID: site, extension: "0002", access: true)
        _ = try harness.makeUser(installID: site, extension: "0003")
        try harness.pool.query(
            "INSERT INTO hotdesk.trusted_networks (install_id, network, description) VALUES (\(site), '192.0.2.0/24', 'Site')"
        )
        let html = PortalHarness.text(try harness.get("/telephony?q=site+110", session: fixture.administrator))
        #expect(
            html.contains(
                #"<td class="number">3</td>\#n        <td class="number">2</td>\#n        <td class="number"><a href="/installs/\#(site)/trusted-ips">1</a></td>"#
            ))
        let other = PortalHarness.text(try harness.get("/telephony?q=site+111", session: fixture.administrator))
        #expect(other.contains(#"<td class="number">0</td>\#n        <td class="number">0</td>"#))
    }

    @Test("another organization's installs are never listed or searchable, and their ids cannot start a page")
    func otherOrganizationsStayHidden() throws {
        let fixture = try AccountFixture()
        try addSites(fixture)
        let harness = fixture.harness
        var path: String? = "/telephony"
        var listed: [String] = []
        while let next = path {
            let html = PortalHarness.text(try harness.get(next, session: fixture.administrator))
            listed += try names(html)
            path = try link("next", in: html)
        }
        #expect(listed.count == 123 && !listed.contains("Elsewhere"))
        let search = PortalHarness.text(try harness.get("/telephony?q=else", session: fixture.administrator))
        #expect(try names(search).isEmpty)
        #expect(
            try names(PortalHarness.text(try harness.get("/telephony", session: fixture.otherAdministrator))) == [
                "Elsewhere"
            ])

        let foreign = try harness.get("/telephony?from=\(fixture.otherInstall)", session: fixture.administrator)
        #expect(foreign.status == .notFound)
        #expect(!PortalHarness.text(foreign).contains("Elsewhere"))
        // A manager pages only through assigned installs; another install of the organization is not a start.
        #expect(
            try names(PortalHarness.text(try harness.get("/telephony", session: fixture.manager))) == ["Head office"])
        #expect(
            try harness.get("/telephony?from=\(fixture.secondInstall)", session: fixture.manager).status == .notFound)
    }

    @Test("bad paging parameters answer 400 or 404 with a message, like the Users tab")
    func badPagingParameters() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let cases: [(String, HTTPStatus, String)] = [
            ("/telephony?from=abc", .badRequest, "The field “from” must be a whole number."),
            ("/telephony?from=-1", .badRequest, "The field “from” must be a whole number."),
            ("/telephony?from=1&from=2", .badRequest, "was sent more than once"),
            ("/telephony?page=2", .badRequest, "is not expected here"),
            ("/telephony?from=99999999", .notFound, "There is no such page."),
        ]
        for (path, status, message) in cases {
            let response = try harness.get(path, session: fixture.administrator)
            #expect(response.status == status, "\(path)")
            #expect(PortalHarness.text(response).contains(message), "\(path)")
        }
        #expect(try harness.get("/telephony?from=&q=", session: fixture.administrator).status == .ok)
    }
}

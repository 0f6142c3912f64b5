import HotDesk
import Testing
import WebServer

@Suite("Trusted IPs tab: the list, Add IP Range with every rule, and Remove")
struct TrustedIPTests {
    private func tab(_ fixture: AccountFixture) -> String { "/installs/\(fixture.install)/trusted-ips" }

    private func add(
        _ fixture: AccountFixture, _ network: String, _ description: String = "Office", confirm: String? = nil
    ) throws -> Response {
        var fields = [("network", network), ("description", description)]
        if let confirm { fields.append(("confirm_wide", confirm)) }
        return try fixture.harness.post(tab(fixture), session: fixture.administrator, fields: fields)
    }

    @Test("an empty list says no location can hot desk; the article's form is below it")
    func emptyStateAndForm() throws {
        let fixture = try AccountFixture()
        let html = PortalHarness.text(try fixture.harness.get(tab(fixture), session: fixture.administrator))
        #expect(html.contains("No location can use hot desking until a range is added"))
        #expect(html.contains("<label for=\"network\">IP range</label>"))
        #expect(html.contains("<label for=\"description\">Description</label>"))
        #expect(html.contains("<button type=\"submit\">Add IP Range</button>"))
    }

    @Test("a good range is added, trimmed, listed with when and by whom, and audited")
    func addGoodRange() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let response = try add(fixture, "  203.0.113.0/24 \t", "Head office LAN")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == tab(fixture))
        #expect(PortalHarness.cookie("hotdesk_flash", in: response) == "range-added")
        let html = PortalHarness.text(try harness.get(tab(fixture), session: fixture.administrator))
        #expect(html.contains("<td><code>203.0.113.0/24</code></td>"))
        #expect(html.contains("Head office LAN"))
        #expect(html.contains("by admin@a.example"))
        #expect(html.contains(" UTC<br>"))
        #expect(!html.contains("No location can use hot desking"))
        let event = try harness.auditEvents(action: "trusted_network.added")[0]
        #expect(try event.decode("target_label", as: String?.self) == "203.0.113.0/24")
        #expect(try event.decode("install_id", as: Int?.self) == fixture.install)
        #expect(try event.decode("changes", as: String.self).contains(#""description": {"after": "Head office LAN""#))
    }

    @Test("every malformed or unusable range is refused with its own message, 422, typed text kept, nothing added")
    func badRangesAreRefused() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.telephonySnapshot()
        let notCIDR = "This is not an IPv4 CIDR range; use the form a.b.c.d/n, e.g. 192.168.1.0/24."
        let cases: [(String, String)] = [
            ("10/8", notCIDR),
            ("10.1/16", notCIDR),
            ("010.0.0.0/8", notCIDR),
            ("10.0.0.0/08", notCIDR),
            ("10.0.0.256/32", notCIDR),
            ("0x0a.0.0.0/8", notCIDR),
            ("167772160/8", notCIDR),
            ("10.0.0.0/33", notCIDR),
            ("10.0.0 .0/24", notCIDR),
            ("１０.0.0.0/8", "Use the digits 0–9 on a standard keyboard; the range contains digits from another script."),
            (
                "192.168.1.10/24",
                "192.168.1.10/24 is not the start of a range; enter 192.168.1.0/24 for the whole range"
            ),
            ("203.0.113.7", "203.0.113.7 is a single address; enter 203.0.113.7/32 to trust just that address"),
            ("2001:db8::/32", "IPv6 is not yet supported"),
            ("::ffff:10.0.0.0/104", "IPv6 is not yet supported"),
            ("224.0.0.0/4", "Multicast and reserved addresses"),
            ("240.0.0.0/4", "Multicast and reserved addresses"),
            ("192.168.100.100/321", "This is too long to be an IPv4 range"),
            ("", "Enter an IPv4 range such as 192.168.1.0/24."),
        ]
        for (network, message) in cases {
            let response = try add(fixture, network)
            #expect(response.status == .unprocessableContent, "\(network)")
            let html = PortalHarness.text(response)
            #expect(html.contains(message), "\(network): \(message)")
            #expect(html.contains("<p class=\"field-error\" id=\"network-error\">"), "\(network)")
            #expect(html.contains("<li><a href=\"#network\">"), "\(network)")
            #expect(html.contains("value=\"\(network)\""), "\(network)")
        }
        for (description, message) in [
            ("", "Enter the description"), (String(repeating: "d", count: 201), "at most 200"),
        ] {
            let response = try add(fixture, "198.51.100.0/24", description)
            #expect(response.status == .unprocessableContent)
            #expect(PortalHarness.text(response).contains(message))
        }
        #expect(try harness.telephonySnapshot() == before)
    }

    @Test("0.0.0.0/0 and other ranges wider than /8 need a checkbox that says how many addresses they admit")
    func wideRangesNeedConfirmation() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let before = try harness.telephonySnapshot()
        let unconfirmed = try add(fixture, "0.0.0.0/0", "Everyone")
        #expect(unconfirmed.status == .unprocessableContent)
        let html = PortalHarness.text(unconfirmed)
        #expect(html.contains("0.0.0.0/0 is the whole internet."))
        #expect(html.contains("<input type=\"checkbox\" id=\"confirm_wide\" name=\"confirm_wide\" value=\"0.0.0.0/0\""))
        #expect(html.contains("Yes, trust 0.0.0.0/0, which admits 4,294,967,296 addresses"))
        #expect(try add(fixture, "0.0.0.0/0", "Everyone", confirm: "10.0.0.0/7").status == .unprocessableContent)
        #expect(try harness.telephonySnapshot() == before)
        let seven = try add(fixture, "10.0.0.0/7", "Wide")
        #expect(PortalHarness.text(seven).contains("which admits 33,554,432 addresses"))
        #expect(try add(fixture, "0.0.0.0/0", "Everyone", confirm: "0.0.0.0/0").status == .seeOther)
        #expect(try add(fixture, "10.0.0.0/8", "Ten, no confirmation needed").status == .seeOther)
    }

    @Test("the same range twice is refused naming the existing entry; a range inside a wider one is added with a note")
    func duplicatesAndWiderRanges() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        #expect(try add(fixture, "10.0.0.0/8", "Head office").status == .seeOther)
        let duplicate = try add(fixture, "10.0.0.0/8", "Again")
        #expect(duplicate.status == .unprocessableContent)
        #expect(PortalHarness.text(duplicate).contains("10.0.0.0/8 is already trusted, as “Head office”"))
        let inside = try add(fixture, "10.1.0.0/16", "Branch")
        #expect(inside.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: inside) == "range-inside-wider")
        let html = PortalHarness.text(try harness.get(tab(fixture), session: fixture.administrator))
        #expect(html.contains("Inside <code>10.0.0.0/8</code> (Head office), which already trusts it."))
        #expect(try harness.auditEvents(action: "trusted_network.added").count == 2)
        let otherInstall = try harness.post(
            "/installs/\(fixture.secondInstall)/trusted-ips", session: fixture.administrator,
            fields: [("network", "10.0.0.0/8"), ("description", "Same range, other install")])
        #expect(PortalHarness.cookie("hotdesk_flash", in: otherInstall) == "range-added")
    }

    @Test("Remove asks first, then removes the range and audits it; another install's range id answers 404")
    func removeAfterConfirmation() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        #expect(try add(fixture, "198.51.100.0/24", "Depot").status == .seeOther)
        let id: Int = try harness.pool.query("SELECT id FROM hotdesk.trusted_networks")[0].decode("id")
        let confirmation = PortalHarness.text(
            try harness.get(tab(fixture) + "/\(id)/remove", session: fixture.administrator))
        #expect(confirmation.contains("Remove 198.51.100.0/24?"))
        #expect(confirmation.contains("“Depot” will no longer be trusted"))
        let foreign = "/installs/\(fixture.secondInstall)/trusted-ips/\(id)/remove"
        #expect(try harness.get(foreign, session: fixture.administrator).status == .notFound)
        #expect(try harness.post(foreign, session: fixture.administrator).status == .notFound)
        #expect(try harness.pool.query("SELECT id FROM hotdesk.trusted_networks").count == 1)
        let removed = try harness.post(tab(fixture) + "/\(id)/remove", session: fixture.administrator)
        #expect(removed.status == .seeOther)
        #expect(PortalHarness.cookie("hotdesk_flash", in: removed) == "range-removed")
        #expect(try harness.pool.query("SELECT id FROM hotdesk.trusted_networks").count == 0)
        let event = try harness.auditEvents(action: "trusted_network.removed")[0]
        #expect(try event.decode("target_label", as: String?.self) == "198.51.100.0/24")
        #expect(try harness.post(tab(fixture) + "/\(id)/remove", session: fixture.administrator).status == .notFound)
    }
}

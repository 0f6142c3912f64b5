import HotDesk
import Testing

extension Values {
    @Suite("A registration's source, read from usrloc's received value, and the trusted range that admits it")
    struct SourceEndpointTests {
        @Test(
            "sip:ADDRESS:PORT is read, IPv6 with or without brackets",
            arguments: [
                ("sip:192.0.2.7:5060", "192.0.2.7", 5060), ("sips:10.0.0.1:5061", "10.0.0.1", 5061),
                ("sip:[2001:db8::7]:5062", "2001:db8::7", 5062), ("sip:2001:db8::8:5063", "2001:db8::8", 5063),
            ])
        func readsReceived(received: String, address: String, port: Int) {
            #expect(SourceEndpoint(received: received) == SourceEndpoint(address: address, port: port))
        }

        @Test(
            "anything else reads as no source",
            arguments: [
                "", "garbage", "sip:192.0.2.7", "sip::5060", "sip:evil;x:5060", "sip:192.0.2.7:99999",
                "sip:192.0.2.7:5060x", "tel:192.0.2.7:5060", "sip:192.0.2.7:", "sip:[]:5060", "sip:１９２.0.2.7:5060",
                "sip:5:0", "sip:192.0.2.7:00000",
            ])
        func refusesAnythingElse(received: String) {
            #expect(SourceEndpoint(received: received) == nil)
        }

        @Test("the admitting range is the most specific one that contains the address, and none for IPv6")
        func admittingRange() throws {
            let ranges = try ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "192.0.2.0/24"].map {
                try IPv4Network(text: $0)
            }
            func range(_ address: String) -> String? {
                SourceEndpoint(address: address, port: 5060).admittingRange(among: ranges)?.description
            }
            #expect(range("10.1.2.3") == "10.1.2.0/24")
            #expect(range("10.1.3.3") == "10.1.0.0/16")
            #expect(range("10.9.9.9") == "10.0.0.0/8")
            #expect(range("198.51.100.1") == nil)
            #expect(range("2001:db8::1") == nil)
            #expect(SourceEndpoint(address: "10.1.2.3", port: 5060).admittingRange(among: []) == nil)
        }
    }
}

import HotDesk
import Testing

extension Values {
    @Suite("IPv4 address: a strict dotted quad")
    struct IPv4AddressParsingTests {
        @Test(
            "dotted quads of 0–255 without leading zeros are addresses",
            arguments: [
                ("203.0.113.7", UInt32(0xCB00_7107)), ("0.0.0.0", 0), ("255.255.255.255", 0xFFFF_FFFF),
                ("10.0.0.1", 0x0A00_0001), ("100.64.0.10", 0x6440_000A),
            ])
        func acceptsAddresses(_ text: String, value: UInt32) throws {
            let address = try IPv4Address(text: text)
            #expect(address.value == value)
            #expect(address.description == text)
            #expect(IPv4Address(value) == address)
            #expect(try IPv4Address(text: " \(text)\n") == address)
        }

        @Test("an empty field is refused")
        func refusesEmpty() {
            #expect(throws: IPv4AddressError.empty) { try IPv4Address(text: " ") }
        }

        @Test(
            "more than 15 characters is refused",
            arguments: ["255.255.255.2555", "1234567890123456", "203.000.113.0007"])
        func refusesTooLong(_ text: String) {
            #expect(throws: IPv4AddressError.tooLong) { try IPv4Address(text: text) }
        }

        @Test("IPv6 is refused with its own message", arguments: ["::1", "::ffff:1.2.3.4", "2001:db8::1", "fe80::1"])
        func refusesIPv6(_ text: String) {
            #expect(throws: IPv4AddressError.ipv6) { try IPv4Address(text: text) }
        }

        @Test(
            "anything but a strict dotted quad is refused",
            arguments: [
                "10.1", "10", "010.0.0.1", "10.0.0.01", "256.0.0.1", "10.0.0.1/8", "1.2.3.4:5060", "0x7f.0.0.1",
                "2130706433", "١.٢.٣.٤", "１.２.３.４", "10.0.0.1.", "10..0.1", "10.0.0.1 x", "10.0 .0.1", "-1.0.0.0",
            ])
        func refusesMalformed(_ text: String) {
            #expect(throws: IPv4AddressError.notAnAddress) { try IPv4Address(text: text) }
        }

        @Test("addresses sort numerically, not as text")
        func ordering() throws {
            let sorted = try ["10.0.0.10", "10.0.0.9", "9.255.255.255"].map(IPv4Address.init(text:)).sorted()
            #expect(sorted.map(\.description) == ["9.255.255.255", "10.0.0.9", "10.0.0.10"])
        }

        @Test("every message is a distinct sentence")
        func messages() {
            let errors: [IPv4AddressError] = [.empty, .tooLong, .ipv6, .notAnAddress]
            #expect(Set(errors.map(\.message)).count == errors.count)
            #expect(errors.allSatisfy { $0.message.hasSuffix(".") && $0.message.contains("203.0.113.7") })
        }
    }
}

import HotDesk
import Testing

extension Values {
    @Suite("IPv4 range: strict a.b.c.d/n, nothing else")
    struct IPv4NetworkParsingTests {
        @Test(
            "ranges that start on their boundary are accepted in canonical form",
            arguments: [
                ("192.168.1.0/24", UInt32(0xC0A8_0100), 24), ("10.0.0.0/8", 0x0A00_0000, 8), ("0.0.0.0/0", 0, 0),
                ("203.0.113.7/32", 0xCB00_7107, 32), ("172.16.0.0/12", 0xAC10_0000, 12),
                ("223.255.255.255/32", 0xDFFF_FFFF, 32), ("192.0.0.0/3", 0xC000_0000, 3),
                ("128.0.0.0/1", 0x8000_0000, 1),
                ("192.0.0.0/2", 0xC000_0000, 2), ("0.0.0.0/32", 0, 32), ("192.168.100.100/32", 0xC0A8_6464, 32),
            ])
        func acceptsRanges(_ text: String, address: UInt32, prefixLength: Int) throws {
            let network = try IPv4Network(text: text)
            #expect(network.address == address)
            #expect(network.prefixLength == prefixLength)
            #expect(network.description == text)
            #expect(try IPv4Network(text: network.description) == network)
        }

        @Test(
            "surrounding whitespace is trimmed",
            arguments: ["  192.168.1.0/24", "192.168.1.0/24 ", "\t192.168.1.0/24\r\n"])
        func trimsWhitespace(_ text: String) throws {
            #expect(try IPv4Network(text: text).description == "192.168.1.0/24")
        }

        @Test("an empty field is refused", arguments: ["", "   ", "\n"])
        func refusesEmpty(_ text: String) {
            #expect(throws: IPv4NetworkError.empty) { try IPv4Network(text: text) }
        }

        @Test(
            "text longer than 18 characters after trimming is refused before parsing",
            arguments: [
                "192.168.001.000/024", "255.255.255.255/32x", "1234567890123456789", "10.0.0.0/8 # office",
                String(repeating: "1", count: 1_000), "1.2.3.4/32 " + String(repeating: ":", count: 60),
            ])
        func refusesTooLong(_ text: String) {
            #expect(throws: IPv4NetworkError.tooLong) { try IPv4Network(text: text) }
            #expect(IPv4NetworkError.tooLong.message.contains("too long to be an IPv4 range"))
        }

        @Test(
            "IPv6 in any form is refused with its own message",
            arguments: [
                "2001:db8::/32", "::1", "::ffff:10.0.0.0/104", "::/0", "fe80::/10", "2001:DB8::/32", "[2001:db8::1]",
                "2001:0db8:85a3::/48", "2001:0db8:0000:0000:0000:0000:0000:0000/128", "0:0:0:0:0:0:0:0/0",
            ])
        func refusesIPv6(_ text: String) {
            #expect(throws: IPv4NetworkError.ipv6) { try IPv4Network(text: text) }
            #expect(
                IPv4NetworkError.ipv6.message
                    == "IPv6 is not yet supported; enter an IPv4 range such as 203.0.113.0/24.")
        }

        @Test(
            "a bare address is refused, suggesting its /32",
            arguments: [
                ("203.0.113.7", "203.0.113.7/32"), ("10.0.0.0", "10.0.0.0/32"), ("0.0.0.0", "0.0.0.0/32"),
                (" 192.168.1.10 ", "192.168.1.10/32"),
            ])
        func refusesBareAddress(_ text: String, suggested: String) throws {
            let error = IPv4NetworkError.missingPrefixLength(suggestion: try IPv4Network(text: suggested))
            #expect(throws: error) { try IPv4Network(text: text) }
            #expect(error.message.contains("enter \(suggested)"))
        }

        @Test(
            "host bits set are refused, suggesting the range they lie in",
            arguments: [
                ("192.168.1.10/24", "192.168.1.10", "192.168.1.0/24"), ("10.1.2.3/8", "10.1.2.3", "10.0.0.0/8"),
                ("0.0.0.1/0", "0.0.0.1", "0.0.0.0/0"), ("203.0.113.7/31", "203.0.113.7", "203.0.113.6/31"),
                ("128.0.0.0/0", "128.0.0.0", "0.0.0.0/0"), ("223.255.255.255/3", "223.255.255.255", "192.0.0.0/3"),
            ])
        func refusesHostBits(_ text: String, address: String, suggested: String) throws {
            let error = IPv4NetworkError.hostBitsSet(
                address: try IPv4Address(text: address), suggestion: try IPv4Network(text: suggested))
            #expect(throws: error) { try IPv4Network(text: text) }
            #expect(error.message.contains("enter \(suggested)"))
            #expect(error.message.contains("\(address)/32"))
        }

        @Test(
            "anything that is not strict a.b.c.d/n is refused as not a CIDR range",
            arguments: [
                "010.0.0.0/8", "10.0.0.0/08", "10.0.0.00/8", "10.00.0.0/16", "256.0.0.0/8", "10.0.0.256/32",
                "999.0.0.0/8",
                "10/8", "10.1/16", "10.1.2/24", "10..1.0/24", ".10.0.0/8", "10.0.0.0./8", "10.0.0.0.0/8",
                "0x0a.0.0.0/8", "0xa/8", "0A.0.0.0/8", "167772160/8", "167772160", "012.1.1.1", "1e1.0.0.0/8",
                "10.0.0.0 /8", "10.0.0.0/ 8", "10 .0.0.0/8", "10.0.0.0\u{A0}/8", "10.0.0.0/8\u{A0}", "\u{A0}10.0.0.0/8",
                "10.0.0.0/33", "10.0.0.0/100", "10.0.0.0/", "/8", "/", "10.0.0.0/+8", "10.0.0.0/-1", "+10.0.0.0/8",
                "10.0.0.0/8x", "10.0.0.0/8/8", "10.0.0.0/8.", "10.0.0.0/0x8", "10.0.0.0/32.0", "1.2.3.4:5060",
                "1.2.3.4/32:5060", "a.b.c.d/n", "10.0.0.0/8\u{0}", "10.0.0.-1/32", "10.0.0.0//8",
                "10,0,0,0/8",
            ])
        func refusesMalformed(_ text: String) {
            #expect(throws: IPv4NetworkError.notCIDR) { try IPv4Network(text: text) }
        }

        @Test(
            "digits from other scripts are refused with their own message",
            arguments: [
                "١٠.٠.٠.٠/٨", "１０.０.０.０/８", "10.0.0.0/٨", "10.0.0.0/８", "1٠.0.0.0/8", "１９２.１６８.１００.１００/３２",
                "१०.०.०.०/८", "۱۰.۰.۰.۰/۸", "¹⁰.0.0.0/8", "10.0.0.0/⁸", "𝟏𝟎.0.0.0/8",
            ])
        func refusesNonASCIIDigits(_ text: String) {
            #expect(throws: IPv4NetworkError.nonASCIIDigits) { try IPv4Network(text: text) }
        }

        @Test(
            "multicast and reserved space (inside 224.0.0.0/3) is refused",
            arguments: [
                "224.0.0.0/4", "240.0.0.0/4", "224.0.0.0/3", "239.1.2.0/24", "255.255.255.255/32", "224.0.0.1/32",
                "239.255.255.255/32", "239.1.2.3/24", "224.0.0.1", "255.255.255.255", "250.0.0.0/8", "224.0.0.0/5",
            ])
        func refusesMulticastAndReserved(_ text: String) {
            #expect(throws: IPv4NetworkError.multicastOrReserved) { try IPv4Network(text: text) }
        }

        @Test(
            "prefixes shorter than /8 need confirmation and say how many addresses they admit",
            arguments: [
                (0, "4,294,967,296", true), (1, "2,147,483,648", true), (7, "33,554,432", true),
                (8, "16,777,216", false),
                (16, "65,536", false), (22, "1,024", false), (24, "256", false), (31, "2", false), (32, "1", false),
            ])
        func addressCounts(_ prefixLength: Int, formatted: String, confirm: Bool) throws {
            let network = try IPv4Network(text: "0.0.0.0/\(prefixLength)")
            #expect(network.addressCount == UInt64(1) << UInt64(32 - prefixLength))
            #expect(network.formattedAddressCount == formatted)
            #expect(network.requiresConfirmation == confirm)
        }

        @Test("the formatted count groups every prefix's count in threes", arguments: 0...32)
        func formattedCountsGroupDigits(_ prefixLength: Int) throws {
            let network = try IPv4Network(text: "0.0.0.0/\(prefixLength)")
            let groups = network.formattedAddressCount.split(separator: ",", omittingEmptySubsequences: false)
            #expect(groups.joined() == String(network.addressCount))
            #expect(groups.dropFirst().allSatisfy { $0.count == 3 })
            #expect((1...3).contains(groups[0].count))
        }

        @Test("containment: a range contains itself and the ranges and addresses inside it")
        func containment() throws {
            let ten = try IPv4Network(text: "10.0.0.0/8")
            #expect(ten.contains(ten))
            #expect(ten.contains(try IPv4Network(text: "10.1.0.0/16")))
            #expect(ten.contains(try IPv4Network(text: "10.255.255.255/32")))
            #expect(!ten.contains(try IPv4Network(text: "11.0.0.0/16")))
            #expect(!ten.contains(try IPv4Network(text: "0.0.0.0/0")))
            #expect(!(try IPv4Network(text: "10.1.0.0/16")).contains(ten))
            #expect(try IPv4Network(text: "0.0.0.0/0").contains(try IPv4Network(text: "203.0.113.7/32")))
            #expect(ten.contains(try IPv4Address(text: "10.20.30.40")))
            #expect(!ten.contains(try IPv4Address(text: "9.255.255.255")))
            #expect(try IPv4Network(text: "203.0.113.7/32").contains(try IPv4Address(text: "203.0.113.7")))
            #expect(try IPv4Network(text: "0.0.0.0/0").contains(try IPv4Address(text: "255.255.255.255")))
            #expect(try IPv4Network(text: "192.168.1.0/24").netmask.description == "255.255.255.0")
            #expect(try IPv4Network(text: "0.0.0.0/0").netmask.description == "0.0.0.0")
        }

        @Test("ranges sort by first address, wider before narrower")
        func ordering() throws {
            let sorted = try ["192.168.1.0/24", "10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0"].map(IPv4Network.init(text:))
                .sorted()
            #expect(sorted.map(\.description) == ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "192.168.1.0/24"])
        }

        @Test("every message is a distinct sentence")
        func messages() throws {
            let suggestion = try IPv4Network(text: "192.168.1.0/24")
            let errors: [IPv4NetworkError] = [
                .empty, .tooLong, .ipv6, .missingPrefixLength(suggestion: suggestion),
                .hostBitsSet(address: try IPv4Address(text: "192.168.1.10"), suggestion: suggestion), .notCIDR,
                .nonASCIIDigits, .multicastOrReserved,
            ]
            #expect(Set(errors.map(\.message)).count == errors.count)
            #expect(errors.allSatisfy { $0.message.hasSuffix(".") })
            #expect(IPv4NetworkError.notCIDR.message.contains("use the form a.b.c.d/n, e.g. 192.168.1.0/24"))
            #expect(IPv4NetworkError.multicastOrReserved.message.contains("cannot be trusted"))
        }
    }
}

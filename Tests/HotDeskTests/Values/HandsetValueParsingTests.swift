import Foundation
import HotDesk
import Testing

extension Values {
    @Suite("Handset values: line key, key label, expiry, port, MAC address and provisioning token")
    struct HandsetValueParsingTests {
        @Test(
            "line keys from 1 to the family's count are accepted",
            arguments: [
                ("1", HandsetFamily.t46), ("27", .t46), ("29", .t48), ("15", .t41T42), ("3", .t40), ("6", .t38),
                (" 3 ", .t46),
            ])
        func acceptsLineKeys(_ text: String, family: HandsetFamily) throws {
            #expect(try LineKeyPosition(text, family: family).number == Int(text.trimmingCharacters(in: .whitespaces)))
        }

        @Test(
            "line key 0 and keys beyond the family are refused, naming the family's range",
            arguments: [
                ("0", HandsetFamily.t46), ("28", .t46), ("30", .t48), ("16", .t41T42), ("4", .t40), ("7", .t38),
            ])
        func refusesOutOfRange(_ text: String, family: HandsetFamily) {
            #expect(throws: LineKeyPositionError.outOfRange(family)) { try LineKeyPosition(text, family: family) }
            #expect(LineKeyPositionError.outOfRange(family).message.contains("1 to \(family.lineKeyCount)"))
        }

        @Test("a line key that is not digits is refused", arguments: ["abc", "3.0", "-3", "３", "1e1", "3 4"])
        func refusesNonNumbers(_ text: String) {
            #expect(throws: LineKeyPositionError.notNumber) { try LineKeyPosition(text, family: .t46) }
        }

        @Test("expiry from 60 to 600 seconds is accepted", arguments: ["60", "500", "600", " 300 "])
        func acceptsExpiry(_ text: String) throws {
            #expect((60...600).contains(try RegistrationExpiry(text).seconds))
        }

        @Test(
            "expiry 601, 0, 59 and non-numbers are refused with their message",
            arguments: [
                ("601", RegistrationExpiryError.tooLong), ("3600", .tooLong), ("0", .tooShort), ("59", .tooShort),
                ("abc", .notNumber), ("５００", .notNumber), ("500s", .notNumber), ("", .empty),
            ])
        func refusesExpiry(_ text: String, error: RegistrationExpiryError) {
            #expect(throws: error) { try RegistrationExpiry(text) }
        }

        @Test("the expiry messages say what to type")
        func expiryMessages() {
            #expect(RegistrationExpiryError.tooLong.message.contains("every ten minutes"))
            #expect(RegistrationExpiryError.tooShort.message.contains("at least 60"))
        }

        @Test("a key label of up to 32 characters is kept, trimmed")
        func acceptsLabel() throws {
            let longest = String(repeating: "x", count: 32)
            #expect(try HotDeskKeyLabel(longest).text == longest)
            #expect(try HotDeskKeyLabel("  Register ").text == "Register")
        }

        @Test(
            "a key label with a line break, another control character, 33 characters or nothing is refused",
            arguments: [
                ("Hot\nDesking", "line break"),
                ("Hot Desking\r\nhotdesking.dsskey_sip_server_enable = 1", "line break"),
                ("Tab\there", "line break"), (String(repeating: "x", count: 33), "at most 32"),
                ("   ", "Enter the key label"),
                ("Hot\u{202E}Desk", "text-direction"),
            ])
        func refusesLabel(_ text: String, message: String) {
            do {
                _ = try HotDeskKeyLabel(text)
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }

        @Test("ports 1 to 65535 are accepted; 0, 65536 and text are refused")
        func ports() throws {
            #expect(try SIPPort("1").number == 1)
            #expect(try SIPPort("65535").number == 65535)
            for bad in ["0", "65536", "abc", "50 60", "-1", "５０６０"] {
                #expect(throws: SIPPortError.invalid) { try SIPPort(bad) }
            }
        }

        @Test("a MAC address is 12 hex digits in either case, kept in lowercase")
        func macAddresses() {
            #expect(MACAddress("001565A1B2C3")?.hexDigits == "001565a1b2c3")
            #expect(MACAddress("001565a1b2c3")?.hexDigits == "001565a1b2c3")
            for bad in [
                "00:15:65:a1:b2:c3", "00-15-65-a1-b2-c3", "001565a1b2c", "001565a1b2c3d", "00156zz1b2c3", "",
                "００1565a1b2c3",
            ] {
                #expect(MACAddress(bad) == nil, "\(bad)")
            }
        }

        @Test("a provisioning token is exactly 43 base64url characters")
        func tokens() {
            let good = String(repeating: "aZ09-_", count: 7) + "x"
            #expect(ProvisioningToken(good)?.text == good)
            #expect(ProvisioningToken(String(good.dropLast())) == nil)
            #expect(ProvisioningToken(good + "x") == nil)
            #expect(ProvisioningToken(String(good.dropLast()) + "=") == nil)
            #expect(ProvisioningToken(String(good.dropLast()) + "/") == nil)
        }
    }
}

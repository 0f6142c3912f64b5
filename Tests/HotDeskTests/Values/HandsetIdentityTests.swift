import HotDesk
import Testing

extension Values {
    @Suite("A handset's identity, read from its User-Agent")
    struct HandsetIdentityTests {
        @Test("a Yealink User-Agent gives the model, the firmware and the MAC")
        func yealinkUserAgent() {
            let handset = HandsetIdentity(userAgent: "Yealink SIP-T46U 108.86.0.20 80:5E:C0:11:22:33")
            #expect(handset.model == "Yealink T46U")
            #expect(handset.firmware == "108.86.0.20")
            #expect(handset.macAddress == "80:5e:c0:11:22:33")
            #expect(handset.summary == "Yealink T46U · 108.86.0.20")
        }

        @Test(
            "a MAC is found in any User-Agent, separated by colons or dashes or not at all",
            arguments: [
                ("Grandstream GXP2170 1.0.11.3 00-0B-82-AA-BB-CC", "00:0b:82:aa:bb:cc"),
                ("yealink T54W 96.86.0.70 805ec0a1b2c3", "80:5e:c0:a1:b2:c3"),
                ("Snom D785 10.1.54.13", nil), ("Yealink T46U 80:5e:c0:11:22", nil),
            ])
        func findsTheMAC(userAgent: String, mac: String?) {
            #expect(HandsetIdentity(userAgent: userAgent).macAddress == mac)
        }

        @Test("any other User-Agent is shown as sent, and an empty one as Unknown")
        func otherUserAgents() {
            let snom = HandsetIdentity(userAgent: "Snom D785 10.1.54.13")
            #expect(snom.model == nil && snom.firmware == nil)
            #expect(snom.summary == "Snom D785 10.1.54.13")
            #expect(HandsetIdentity(userAgent: "").summary == "Unknown")
            #expect(HandsetIdentity(userAgent: "Yealink").model == nil)
            #expect(HandsetIdentity(userAgent: "Yealink SIP-W60B v2").firmware == nil)
        }
    }
}

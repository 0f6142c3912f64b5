import HotDesk
import Testing

extension Values {
    @Suite("Hot desk PIN: four ASCII digits that are not weak")
    struct HotDeskPINWeaknessTests {
        /// DataGenetics' twenty most common four-digit PINs, as the issue lists them.
        static let commonPINs = [
            "1234", "1111", "0000", "1212", "7777", "1004", "2000", "4444", "2222", "6969",
            "9999", "3333", "5555", "6666", "1122", "1313", "8888", "4321", "2001", "1010",
        ]

        @Test(
            "PINs that break no rule are accepted, and only the digits property shows them",
            arguments: [
                "5821", "0429", "7890", "8901", "9012", "0987", "1236", "1478", "2468", "1357", "9173", "0101", "2589",
            ])
        func acceptsStrongPINs(_ text: String) throws {
            let pin = try HotDeskPIN(text, for: nil)
            #expect(pin.digits == text)
            #expect(try HotDeskPIN(" \(text)\t", for: Extension("4711")).digits == text)
        }

        @Test(
            "a digit three times in a row is refused",
            arguments: ["0007", "1000", "1111", "7771", "0555", "5550", "2999", "9990", "0000", "2000", "8888"])
        func refusesRepeatedDigits(_ text: String) {
            #expect(throws: HotDeskPINError.weak(.repeatedDigit)) { try HotDeskPIN(text, for: nil) }
        }

        @Test(
            "ascending and descending runs of four are refused",
            arguments: [
                "0123", "1234", "2345", "3456", "4567", "5678", "6789",
                "9876", "8765", "7654", "6543", "5432", "4321", "3210",
            ])
        func refusesRuns(_ text: String) {
            #expect(throws: HotDeskPINError.weak(.consecutiveRun)) { try HotDeskPIN(text, for: nil) }
        }

        @Test("runs do not wrap around from 9 to 0", arguments: ["7890", "8901", "9012", "0987", "1098", "2109"])
        func runsDoNotWrap(_ text: String) throws {
            #expect(try HotDeskPIN(text, for: nil).digits == text)
        }

        @Test(
            "straight keypad columns are refused either way",
            arguments: ["2580", "0852", "1470", "0741", "3690", "0963"])
        func refusesKeypadColumns(_ text: String) {
            #expect(throws: HotDeskPINError.weak(.keypadColumn)) { try HotDeskPIN(text, for: nil) }
        }

        @Test(
            "keypad rows and partial columns are not refused as columns",
            arguments: ["1236", "1478", "2589", "3698", "7412", "0258"])
        func acceptsNonColumns(_ text: String) throws {
            #expect(try HotDeskPIN(text, for: nil).digits == text)
        }

        @Test("every one of the twenty most common PINs is refused", arguments: commonPINs)
        func refusesCommonPINs(_ text: String) {
            #expect(throws: HotDeskPINError.self) { try HotDeskPIN(text, for: nil) }
        }

        @Test(
            "common PINs with no pattern are refused for being common",
            arguments: ["1212", "1004", "6969", "1122", "1313", "2001", "1010"])
        func refusesCommonByList(_ text: String) {
            #expect(throws: HotDeskPINError.weak(.commonPIN)) { try HotDeskPIN(text, for: nil) }
        }

        @Test(
            "the user's own extension and its reverse are refused",
            arguments: [
                ("5821", "5821", HotDeskPINWeakness.matchesExtension), ("1285", "5821", .reversedExtension),
                ("0429", "0429", .matchesExtension), ("9240", "0429", .reversedExtension),
                ("1001", "1001", .matchesExtension), ("1234", "1234", .matchesExtension),
                ("4321", "1234", .reversedExtension),
            ])
        func refusesExtension(_ pin: String, extensionText: String, weakness: HotDeskPINWeakness) throws {
            let userExtension = try Extension(extensionText)
            #expect(throws: HotDeskPINError.weak(weakness)) { try HotDeskPIN(pin, for: userExtension) }
        }

        @Test("another user's extension is an acceptable PIN")
        func acceptsOtherExtensions() throws {
            #expect(try HotDeskPIN("5821", for: nil).digits == "5821")
            #expect(try HotDeskPIN("5821", for: Extension("5822")).digits == "5821")
            #expect(try HotDeskPIN("1285", for: Extension("1286")).digits == "1285")
        }

        @Test("exactly 9,783 of the 10,000 four-digit PINs are acceptable (9,781 for a user with an extension)")
        func countsAcceptablePINs() throws {
            let all = (0..<10_000).map { number in
                let text = String(number)
                return String(repeating: "0", count: 4 - text.count) + text
            }
            #expect(all.filter { (try? HotDeskPIN($0, for: nil)) != nil }.count == 9_783)
            let userExtension = try Extension("5821")
            #expect(all.filter { (try? HotDeskPIN($0, for: userExtension)) != nil }.count == 9_781)
        }

        @Test("malformed PINs are refused before the weakness rules")
        func refusesMalformed() {
            #expect(throws: HotDeskPINError.empty) { try HotDeskPIN("  ", for: nil) }
            #expect(throws: HotDeskPINError.wrongLength(3)) { try HotDeskPIN("582", for: nil) }
            #expect(throws: HotDeskPINError.wrongLength(5)) { try HotDeskPIN("58210", for: nil) }
            #expect(throws: HotDeskPINError.notDigits) { try HotDeskPIN("58a1", for: nil) }
            #expect(throws: HotDeskPINError.notDigits) { try HotDeskPIN("58 21", for: nil) }
        }

        @Test(
            "digits from other scripts are refused with their own message",
            arguments: ["٥٨٢١", "۵۸۲۱", "５８２１", "⁵⁸²¹", "५८२१", "58２1"])
        func refusesNonASCIIDigits(_ text: String) {
            #expect(throws: HotDeskPINError.nonASCIIDigits) { try HotDeskPIN(text, for: nil) }
            #expect(HotDeskPINError.nonASCIIDigits.message.hasPrefix("Use the digits 0–9 on a standard keyboard"))
        }

        @Test("each weakness has its own message, and no message repeats the PIN")
        func distinctMessages() {
            let messages = HotDeskPINWeakness.allCases.map(\.message)
            #expect(Set(messages).count == HotDeskPINWeakness.allCases.count)
            for weakness in HotDeskPINWeakness.allCases {
                #expect(HotDeskPINError.weak(weakness).message == weakness.message)
                #expect(weakness.message.hasSuffix("."))
                #expect(!weakness.message.contains("5821"))
            }
        }

        @Test("printing, interpolating, debugging or dumping a PIN never shows its digits")
        func neverRevealed() throws {
            let pin = try HotDeskPIN("5821", for: nil)
            #expect(pin.description == "••••")
            #expect("\(pin)" == "••••")
            #expect(!String(reflecting: pin).contains("5821"))
            #expect(!String(describing: [pin]).contains("5821"))
            var dumped = ""
            dump(pin, to: &dumped)
            #expect(!dumped.contains("5821"))
            #expect(pin.digits == "5821")
        }
    }
}

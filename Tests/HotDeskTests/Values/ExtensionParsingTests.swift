import HotDesk
import Testing

extension Values {
    @Suite("Extension: exactly four ASCII digits")
    struct ExtensionParsingTests {
        @Test(
            "four ASCII digits are an extension, leading zeros kept",
            arguments: ["0042", "0000", "9999", "1234", "1001", "0007"])
        func acceptsFourDigits(_ text: String) throws {
            let parsed = try Extension(text)
            #expect(parsed.digits == text)
            #expect(parsed.description == text)
            #expect("\(parsed)" == text)
        }

        @Test(
            "surrounding ASCII whitespace is trimmed",
            arguments: [" 0042", "0042 ", "\t0042\n", "\r\n 0042 \t", "\u{0B}0042\u{0C}"])
        func trimsWhitespace(_ text: String) throws {
            #expect(try Extension(text).digits == "0042")
        }

        @Test("an empty field is refused", arguments: ["", " ", "\t\n  "])
        func refusesEmpty(_ text: String) {
            #expect(throws: ExtensionError.empty) { try Extension(text) }
        }

        @Test(
            "ASCII digits of the wrong length are refused with the count typed",
            arguments: [("0", 1), ("123", 3), ("12345", 5), ("00042", 5), ("12345678901234567890", 20)])
        func refusesWrongLength(_ text: String, count: Int) {
            #expect(throws: ExtensionError.wrongLength(count)) { try Extension(text) }
        }

        @Test(
            "digits from other scripts or fullwidth keyboards get their own message",
            arguments: [
                "١٢٣٤",  // Arabic-Indic
                "۱۲۳۴",  // Extended Arabic-Indic (Persian)
                "１２３４",  // fullwidth
                "¹²³⁴",  // superscript
                "१२३४",  // Devanagari
                "𝟏𝟐𝟑𝟒",  // mathematical bold
                "12３4",  // one fullwidth digit among ASCII ones
                "١٢٣",  // wrong length too: the script is the more useful hint
            ])
        func refusesNonASCIIDigits(_ text: String) {
            #expect(throws: ExtensionError.nonASCIIDigits) { try Extension(text) }
            #expect(ExtensionError.nonASCIIDigits.message.hasPrefix("Use the digits 0–9 on a standard keyboard"))
        }

        @Test(
            "letters, signs, inner spaces and other characters are refused",
            arguments: [
                "12a4", "12 4", "+123", "-123", "12.4", "0x12", "abcd", "½123", "ⅠⅡⅢⅣ", "1234\u{A0}", "12\u{200B}34",
                "12\u{0}4", "1,234",
            ])
        func refusesNonDigits(_ text: String) {
            #expect(throws: ExtensionError.notDigits) { try Extension(text) }
        }

        @Test("every message is a sentence that says what to type")
        func messagesAreSentences() {
            let errors: [ExtensionError] = [.empty, .wrongLength(3), .wrongLength(1), .nonASCIIDigits, .notDigits]
            for error in errors {
                #expect(error.message.hasSuffix("."))
                #expect(error.message.contains("0–9") || error.message.contains("0042"))
                #expect(error.description == error.message)
            }
            #expect(ExtensionError.wrongLength(3).message.contains("3 digits"))
            #expect(ExtensionError.wrongLength(1).message.contains("1 digit)"))
        }

        @Test("extensions sort in numeric order and compare by their digits")
        func ordering() throws {
            let sorted = try ["1000", "0042", "0999", "9000"].map(Extension.init).sorted()
            #expect(sorted.map(\.digits) == ["0042", "0999", "1000", "9000"])
            #expect(try Extension(" 0042") == Extension("0042"))
            #expect(try Extension("0042") != Extension("4200"))
        }
    }
}

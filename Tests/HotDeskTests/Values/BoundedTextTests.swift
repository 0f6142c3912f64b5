import HotDesk
import Testing

extension Values {
    @Suite("Names and descriptions: trimmed, 1–200 characters, nothing hidden")
    struct BoundedTextTests {
        /// Each wrapper's parser and rule, so every rule is checked for every field.
        static let fields: [(String, @Sendable (String) throws -> String, BoundedText)] = [
            ("DisplayName", { try DisplayName($0).text }, DisplayName.rule),
            ("InstallName", { try InstallName($0).text }, InstallName.rule),
            ("RangeDescription", { try RangeDescription($0).text }, RangeDescription.rule),
        ]

        static func refusal(_ parse: (String) throws -> String, _ text: String) -> BoundedTextError? {
            do {
                _ = try parse(text)
                return nil
            } catch {
                return error as? BoundedTextError
            }
        }

        @Test(
            "ordinary text in any script is accepted and trimmed",
            arguments: [
                ("Ann Smith", "Ann Smith"), ("  Ann Smith \t", "Ann Smith"),
                ("\u{3000}Zoë Ångström\u{A0}\n", "Zoë Ångström"),
                ("李小龙", "李小龙"), ("محمد علي", "محمد علي"), ("O'Brien-Smith", "O'Brien-Smith"), ("Ann 👍🏽", "Ann 👍🏽"),
                ("<script>alert(1)</script>", "<script>alert(1)</script>"), ("שלום\u{200F} 2", "שלום\u{200F} 2"),
                ("Reception (2nd floor) & lobby", "Reception (2nd floor) & lobby"),
            ])
        func acceptsText(_ text: String, trimmed: String) throws {
            for (_, parse, _) in Self.fields {
                #expect(try parse(text) == trimmed)
            }
            #expect(try DisplayName(text).description == trimmed)
        }

        @Test("empty or blank text is refused", arguments: ["", "   ", "\n\t", "\u{3000}\u{A0}"])
        func refusesEmpty(_ text: String) {
            for (_, parse, rule) in Self.fields {
                #expect(Self.refusal(parse, text) == .empty(rule))
            }
        }

        @Test("200 characters are accepted and 201 refused, counted as Characters")
        func lengthBoundary() throws {
            for (_, parse, rule) in Self.fields {
                #expect(rule.maximumLength == 200)
                for unit in ["a", "é", "李", "👍"] {
                    #expect(try parse(String(repeating: unit, count: 200)).count == 200)
                    #expect(Self.refusal(parse, String(repeating: unit, count: 201)) == .tooLong(rule))
                }
                #expect(try parse(" " + String(repeating: "a", count: 200) + " ").count == 200)
            }
        }

        @Test("text that fits in Characters but not in the database's code points is refused")
        func lengthInScalars() {
            let decomposed = String(repeating: "e\u{301}", count: 150)
            #expect(decomposed.count == 150)
            #expect(decomposed.unicodeScalars.count == 300)
            for (_, parse, rule) in Self.fields {
                #expect(Self.refusal(parse, decomposed) == .tooLong(rule))
            }
        }

        @Test(
            "control characters inside the text are refused",
            arguments: [
                "\u{0}", "\u{7}", "\t", "\n", "\r", "\r\n", "\u{1B}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}",
                "\u{2028}",
                "\u{2029}",
            ])
        func refusesControlCharacters(_ control: String) {
            for (_, parse, rule) in Self.fields {
                #expect(Self.refusal(parse, "Ann\(control)Smith") == .controlCharacter(rule))
            }
        }

        @Test(
            "bidirectional overrides and isolates are refused",
            arguments: [
                "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}",
                "\u{2069}",
            ])
        func refusesDirectionControls(_ control: String) {
            for (_, parse, rule) in Self.fields {
                #expect(Self.refusal(parse, "admin\(control)nimda") == .directionControl(rule))
                #expect(Self.refusal(parse, "\(control)Ann") == .directionControl(rule))
            }
        }

        @Test(
            "zero-width characters are refused, even at the edges",
            arguments: ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}"])
        func refusesInvisibleCharacters(_ invisible: String) {
            for (_, parse, rule) in Self.fields {
                #expect(Self.refusal(parse, "Ann\(invisible)Smith") == .invisibleCharacter(rule))
                #expect(Self.refusal(parse, "\(invisible)Ann Smith") == .invisibleCharacter(rule))
                #expect(Self.refusal(parse, "Ann Smith\(invisible)") == .invisibleCharacter(rule))
            }
        }

        @Test("emoji joined with a zero-width joiner are refused too (the rule has no exceptions)")
        func refusesJoinedEmoji() {
            #expect(Self.refusal({ try DisplayName($0).text }, "Ann 👩🏽‍💻") == .invisibleCharacter(DisplayName.rule))
        }

        @Test("messages name the field and are distinct sentences")
        func messages() {
            for (_, _, rule) in Self.fields {
                let errors: [BoundedTextError] = [
                    .empty(rule), .tooLong(rule), .controlCharacter(rule), .directionControl(rule),
                    .invisibleCharacter(rule),
                ]
                #expect(Set(errors.map(\.message)).count == errors.count)
                #expect(errors.allSatisfy { $0.message.contains(rule.fieldName) && $0.message.hasSuffix(".") })
            }
            #expect(
                BoundedTextError.empty(InstallName.rule).message == "Enter the install name, for example Head office.")
            #expect(
                BoundedTextError.tooLong(RangeDescription.rule).message
                    == "Shorten the description to at most 200 characters.")
        }
    }
}

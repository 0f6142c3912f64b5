import HotDesk
import Testing

extension Values {
    @Suite("SIP domain: a lowercase DNS host name the database accepts")
    struct SIPDomainParsingTests {
        /// The database's `installs_sip_domain_hostname` check, as an independent oracle.
        static let databasePattern =
            #"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"#

        static func satisfiesDatabaseCheck(_ name: String) throws -> Bool {
            let pattern = try Regex(databasePattern)
            return (1...253).contains(name.utf8.count) && name.wholeMatch(of: pattern) != nil
        }

        @Test(
            "host names are accepted, trimmed and lowercased",
            arguments: [
                ("pbx.example.com", "pbx.example.com"), ("PBX.Example.COM", "pbx.example.com"),
                ("  pbx.example.com\t", "pbx.example.com"), ("sip-1.example.co.uk", "sip-1.example.co.uk"),
                ("1pbx.example.com", "1pbx.example.com"), ("pbx.123example.com", "pbx.123example.com"),
                ("xn--bcher-kva.example", "xn--bcher-kva.example"), ("a.b", "a.b"), ("10.0.0.pbx", "10.0.0.pbx"),
                ("a--b.example", "a--b.example"), ("pbx.example.c0m", "pbx.example.c0m"),
            ])
        func acceptsHostNames(_ text: String, name: String) throws {
            let domain = try SIPDomain(text)
            #expect(domain.name == name)
            #expect(domain.description == name)
            #expect(try Self.satisfiesDatabaseCheck(domain.name))
        }

        @Test(
            "one trailing dot (the fully qualified form) is dropped",
            arguments: ["pbx.example.com.", "PBX.example.com. "])
        func dropsTrailingDot(_ text: String) throws {
            #expect(try SIPDomain(text).name == "pbx.example.com")
        }

        @Test("a label of 63 characters is accepted and one of 64 refused")
        func labelLengthBoundary() throws {
            let longest = String(repeating: "a", count: 63) + ".example.com"
            #expect(try SIPDomain(longest).name == longest)
            #expect(throws: SIPDomainError.labelTooLong(64)) {
                try SIPDomain(String(repeating: "a", count: 64) + ".example.com")
            }
        }

        @Test("a name of 253 characters is accepted and one of 254 refused")
        func totalLengthBoundary() throws {
            let three = Array(repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".")
            let longest = three + "." + String(repeating: "b", count: 61)
            #expect(longest.utf8.count == 253)
            #expect(try SIPDomain(longest).name == longest)
            #expect(try SIPDomain(longest + ".").name == longest)
            #expect(throws: SIPDomainError.tooLong(254)) {
                try SIPDomain(three + "." + String(repeating: "b", count: 62))
            }
        }

        @Test("an empty field is refused", arguments: ["", "   "])
        func refusesEmpty(_ text: String) {
            #expect(throws: SIPDomainError.empty) { try SIPDomain(text) }
        }

        @Test(
            "non-ASCII names are refused, suggesting punycode",
            arguments: [
                "bücher.example", "pbx。example。com", "ｐｂｘ.example.com", "pbx.example.com\u{A0}", "pbx.éxample.com",
            ])
        func refusesNonASCII(_ text: String) {
            #expect(throws: SIPDomainError.nonASCII) { try SIPDomain(text) }
            #expect(SIPDomainError.nonASCII.message.contains("punycode"))
        }

        @Test("a name without a dot is refused", arguments: ["localhost", "pbx", "PBX", "pbx."])
        func refusesSingleLabel(_ text: String) {
            #expect(throws: SIPDomainError.singleLabel) { try SIPDomain(text) }
            #expect(SIPDomainError.singleLabel.message.contains("pbx.example.com"))
        }

        @Test(
            "IP addresses are refused: enter the host name",
            arguments: [
                "203.0.113.7", "10.0.0.1", "2001:db8::1", "[2001:db8::1]", "::1", "pbx.123", "1.2.3.4.5", "10.0.0.1.",
            ])
        func refusesIPAddresses(_ text: String) {
            #expect(throws: SIPDomainError.ipAddress) { try SIPDomain(text) }
            #expect(SIPDomainError.ipAddress.message.contains("not its IP address"))
        }

        @Test(
            "URLs, ports, paths and user parts are refused",
            arguments: [
                "sip:pbx.example.com", "https://pbx.example.com", "pbx.example.com:5060", "pbx.example.com/",
                "user@pbx.example.com", "203.0.113.7:5060",
            ])
        func refusesURLs(_ text: String) {
            #expect(throws: SIPDomainError.notJustHostName) { try SIPDomain(text) }
        }

        @Test(
            "empty labels are refused",
            arguments: ["pbx..example.com", ".pbx.example.com", "pbx.example.com..", ".", ".."])
        func refusesEmptyLabels(_ text: String) {
            #expect(throws: SIPDomainError.emptyLabel) { try SIPDomain(text) }
        }

        @Test(
            "labels starting or ending with a hyphen are refused",
            arguments: [
                "-pbx.example.com", "pbx-.example.com", "pbx.example.com-", "pbx.-example.com", "-.example.com",
            ])
        func refusesHyphenEdges(_ text: String) {
            #expect(throws: SIPDomainError.hyphenAtLabelEdge) { try SIPDomain(text) }
        }

        @Test(
            "characters other than letters, digits, hyphens and dots are refused and named",
            arguments: [
                ("pbx_1.example.com", "“_”"), ("pbx example.com", "the space"),
                ("pbx\texample.com", "the control character"),
                ("pbx*.example.com", "“*”"), ("pbx.exa%mple.com", "“%”"),
            ])
        func refusesInvalidCharacters(_ text: String, named: String) throws {
            let offending = try #require(
                text.unicodeScalars.first { !($0.properties.isAlphabetic || $0 == "." || $0 == "-") })
            #expect(throws: SIPDomainError.invalidCharacter(offending)) { try SIPDomain(text) }
            #expect(SIPDomainError.invalidCharacter(offending).message.contains(named))
        }

        @Test(
            "random text is accepted exactly when the database check would accept it (with a dot and a non-numeric end)"
        )
        func agreesWithDatabaseCheck() throws {
            let alphabet = Array("ab09-.-.A_:".unicodeScalars)
            var generator = SplitMix64(seed: 42)
            var accepted = 0
            for _ in 0..<20_000 {
                let length = Int.random(in: 0...10, using: &generator)
                var text = ""
                text.unicodeScalars.append(
                    contentsOf: (0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                let expectedName =
                    text.lowercased().hasSuffix(".") ? String(text.lowercased().dropLast()) : text.lowercased()
                let labels = expectedName.split(separator: ".", omittingEmptySubsequences: false)
                let shouldAccept =
                    try Self.satisfiesDatabaseCheck(expectedName) && labels.count >= 2
                    && !labels.last!.allSatisfy { $0.isASCII && $0.isNumber }
                let domain = try? SIPDomain(text)
                #expect((domain != nil) == shouldAccept, "\(text)")
                if let domain {
                    accepted += 1
                    #expect(domain.name == expectedName)
                    #expect(try Self.satisfiesDatabaseCheck(domain.name))
                }
            }
            #expect(accepted > 200, "the random texts include enough valid names")
        }

        @Test("every message is a distinct sentence")
        func messages() {
            let errors: [SIPDomainError] = [
                .empty, .nonASCII, .notJustHostName, .ipAddress, .tooLong(300), .invalidCharacter("_"), .emptyLabel,
                .labelTooLong(70), .hyphenAtLabelEdge, .singleLabel,
            ]
            #expect(Set(errors.map(\.message)).count == errors.count)
            #expect(errors.allSatisfy { $0.message.hasSuffix(".") })
        }
    }
}

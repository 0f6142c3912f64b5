import HotDesk
import Testing

extension Values {
    @Suite("Email address: one @, a sane local part, a host name domain")
    struct EmailAddressParsingTests {
        @Test(
            "addresses are accepted with the domain lowercased and the local part as typed",
            arguments: [
                ("ann@example.com", "ann@example.com"), ("Ann.Smith@Example.COM", "Ann.Smith@example.com"),
                ("  ann@example.com\n", "ann@example.com"),
                ("ann+hotdesk@mail.example.co.uk", "ann+hotdesk@mail.example.co.uk"),
                ("ännä@example.com", "ännä@example.com"), ("a@b.co", "a@b.co"),
                ("o'brien@xn--bcher-kva.example", "o'brien@xn--bcher-kva.example"),
            ])
        func acceptsAddresses(_ text: String, canonical: String) throws {
            let address = try EmailAddress(text)
            #expect(address.description == canonical)
            #expect("\(address.localPart)@\(address.domain)" == canonical)
        }

        @Test("normalized lowercases everything, for case-insensitive lookups")
        func normalizedForLookups() throws {
            let typed = try EmailAddress("Ann.Smith@Example.COM")
            let other = try EmailAddress("ann.smith@example.com")
            #expect(typed.normalized == "ann.smith@example.com")
            #expect(typed.normalized == other.normalized)
            #expect(typed != other, "the local part keeps its case as typed")
            #expect(try EmailAddress("ann@EXAMPLE.com") == EmailAddress("ann@example.com"))
        }

        @Test("the local part may have 64 octets and the address 254")
        func lengthBoundaries() throws {
            let local64 = String(repeating: "l", count: 64)
            let domain189 = [63, 63, 61].map { String(repeating: "d", count: $0) }.joined(separator: ".")
            #expect(try EmailAddress("\(local64)@\(domain189)").description.utf8.count == 254)
            #expect(throws: EmailAddressError.tooLong) { try EmailAddress("\(local64)@\(domain189)d") }
            #expect(throws: EmailAddressError.localPartTooLong) { try EmailAddress("\(local64)l@example.com") }
            #expect(throws: EmailAddressError.localPartTooLong) {
                try EmailAddress(String(repeating: "ä", count: 33) + "@example.com")
            }
        }

        @Test(
            "each malformed address gets its own error",
            arguments: [
                ("", EmailAddressError.empty), ("  ", .empty), ("ann.example.com", .missingAt),
                ("ann@@example.com", .multipleAt),
                ("a@b@example.com", .multipleAt), ("@example.com", .emptyLocalPart),
                ("ann smith@example.com", .localPartInvalidCharacter),
                ("ann\t@example.com", .localPartInvalidCharacter),
                ("ann\u{200B}@example.com", .localPartInvalidCharacter),
                ("ann\u{202E}@example.com", .localPartInvalidCharacter),
                ("ann\u{A0}x@example.com", .localPartInvalidCharacter),
                ("ann\u{7F}@example.com", .localPartInvalidCharacter), ("ann@", .incompleteDomain),
                ("ann@localhost", .incompleteDomain), ("ann@example", .incompleteDomain),
                ("ann@bücher.example", .domainNotASCII),
                ("ann@ｅxample.com", .domainNotASCII), ("ann@example..com", .invalidDomain),
                ("ann@-example.com", .invalidDomain),
                ("ann@exa_mple.com", .invalidDomain), ("ann@example.com.", .invalidDomain),
                ("ann@[10.0.0.1]", .invalidDomain),
                ("ann@10.0.0.1", .invalidDomain), ("ann@exa mple.com", .invalidDomain),
                ("ann@.example.com", .invalidDomain),
                ("Ann <ann@example.com>", .localPartInvalidCharacter),
            ])
        func refusesMalformed(_ text: String, error: EmailAddressError) {
            #expect(throws: error) { try EmailAddress(text) }
        }

        @Test("every message is a distinct sentence")
        func messages() {
            let errors: [EmailAddressError] = [
                .empty, .tooLong, .missingAt, .multipleAt, .emptyLocalPart, .localPartTooLong,
                .localPartInvalidCharacter,
                .incompleteDomain, .domainNotASCII, .invalidDomain,
            ]
            #expect(Set(errors.map(\.message)).count == errors.count)
            #expect(errors.allSatisfy { $0.message.hasSuffix(".") })
        }
    }
}

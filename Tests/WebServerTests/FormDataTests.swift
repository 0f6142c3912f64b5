import Testing
import WebServer

@Suite("FormData")
struct FormDataTests {
    private func parse(_ text: String) throws(HTTPError) -> FormData {
        try FormData(parsing: Array(text.utf8))
    }

    @Test("decodes + as space and %XX escapes, keeping repeated keys in order")
    func decoding() throws {
        let form = try parse("name=Ann+Lee&tag=a&city=S%C3%A3o%20Paulo&tag=b&plus=1%2B1")
        #expect(form.keys == ["name", "tag", "city", "plus"])
        #expect(try form.value(for: "name") == "Ann Lee")
        #expect(try form.value(for: "city") == "São Paulo")
        #expect(try form.value(for: "plus") == "1+1")
        #expect(form.values(for: "tag") == ["a", "b"])
        #expect(try form.value(for: "absent") == nil)
    }

    @Test("tolerates empty pairs and reads a pair without = as an empty value")
    func emptyPairs() throws {
        let form = try parse("a=1&&b=2&flag&=x&")
        #expect(form.keys == ["a", "b", "flag", ""])
        #expect(try form.value(for: "flag") == "")
        #expect(try parse("").keys.isEmpty)
    }

    @Test("refuses a bad %-escape with 400", arguments: ["a=%zz", "a=%4", "a=%", "%g1=x", "a=1&b=%2"])
    func badEscapes(_ text: String) {
        let error = #expect(throws: HTTPError.self) { try parse(text) }
        #expect(error?.status == .badRequest)
    }

    @Test(
        "refuses bytes that are not UTF-8 after decoding, and NUL characters, with 400",
        arguments: [[UInt8]("a=%ff".utf8), [UInt8]("a=%C3".utf8), [0x61, 0x3D, 0xFF], [UInt8]("a=%00".utf8)])
    func invalidText(_ bytes: [UInt8]) {
        let error = #expect(throws: HTTPError.self) { try FormData(parsing: bytes) }
        #expect(error?.status == .badRequest)
    }

    @Test("value(for:) refuses a key that was sent twice with 400")
    func duplicatedKey() throws {
        let form = try parse("pin=1234&pin=9999")
        let error = #expect(throws: HTTPError.self) { try form.value(for: "pin") }
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains("“pin”") == true)
    }

    @Test("requireOnly refuses the first unknown field by name with 400")
    func requireOnly() throws {
        let form = try parse("name=a&role=admin&extra=1")
        try form.requireOnly(["name", "role", "extra"])
        let error = #expect(throws: HTTPError.self) { try form.requireOnly(["name"]) }
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains("“role”") == true)
    }

    @Test("encoded renders fields that parse back to the same fields, whatever their text")
    func encodedRoundTrips() throws {
        let fields = [
            ("next", "/installs/3/users"), ("q", "café au lait & more=+%"), ("", "empty name"), ("emoji 🎉", ""),
            ("bidi", "\u{202E}x"), ("q", "second"),
        ]
        let form = FormData(fields)
        #expect(form.encoded.hasPrefix("next=/installs/3/users&q=caf%C3%A9+au+lait+%26+more%3D%2B%25&"))
        let parsed = try parse(form.encoded)
        #expect(parsed.keys == ["next", "q", "", "emoji 🎉", "bidi"])
        #expect(parsed.values(for: "q") == ["café au lait & more=+%", "second"])
        #expect(parsed.encoded == form.encoded)
    }
}

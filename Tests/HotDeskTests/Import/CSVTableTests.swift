import HotDesk
import Testing

@Suite("CSV files, read by RFC 4180's rules, with the line each record starts on")
struct CSVTableTests {
    private func records(_ text: String) throws -> [CSVTable.Record] {
        try CSVTable(parsing: Array(text.utf8)).records
    }

    private func error(_ bytes: [UInt8]) -> CSVError? {
        do {
            _ = try CSVTable(parsing: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("fields split at commas; records end with CRLF, LF or the end of the file; blank lines are skipped")
    func plainRecords() throws {
        #expect(
            try records("a,b\r\nc,d\ne,f") == [
                .init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["c", "d"]),
                .init(line: 3, fields: ["e", "f"]),
            ])
        #expect(
            try records("a,,\n\n\r\nb\n") == [.init(line: 1, fields: ["a", "", ""]), .init(line: 4, fields: ["b"])])
        #expect(try records("") == [])
        #expect(try records("\n\n") == [])
    }

    @Test("a quoted field holds commas, doubled quotes and line breaks, and the next record's line counts them")
    func quotedFields() throws {
        #expect(
            try records("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\nthree\"\nnext,\"\"\n") == [
                .init(line: 1, fields: ["a,b", "say \"hi\"", "two\r\nlines\nthree"]),
                .init(line: 4, fields: ["next", ""]),
            ])
    }

    @Test("a UTF-8 byte-order mark is dropped, and text stays as written (spaces, accents)")
    func byteOrderMarkAndText() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(" Zoë , Müller \n".utf8)
        #expect(try CSVTable(parsing: bytes).records == [.init(line: 1, fields: [" Zoë ", " Müller "])])
    }

    @Test("a file that is not UTF-8 is refused naming its first bad line")
    func notUTF8() {
        #expect(error(Array("a\nb\nM".utf8) + [0xFC] + Array("ller\n".utf8)) == .notUTF8(line: 3))
        #expect(error([0xC0, 0xAF]) == .notUTF8(line: 1), "an overlong encoding")
        #expect(error(Array("ok\n".utf8) + [0xE2, 0x82]) == .notUTF8(line: 2), "a sequence cut short")
        #expect(error([0xED, 0xA0, 0x80]) == .notUTF8(line: 1), "a surrogate")
    }

    @Test("broken quoting is refused with the line: unclosed, text after the closing quote, a quote inside a field")
    func brokenQuoting() {
        #expect(error(Array("a\n\"open,b\nc\n".utf8)) == .unterminatedQuote(line: 2))
        #expect(error(Array("\"a\"b,c\n".utf8)) == .textAfterClosingQuote(line: 1))
        #expect(error(Array("a,b\"c\n".utf8)) == .quoteInUnquotedField(line: 1))
        #expect(error(Array("a,b\rc\n".utf8)) == .strayCarriageReturn(line: 1))
        #expect(CSVError.unterminatedQuote(line: 2).message.contains("line 2"))
    }

    @Test("a written line reads back as the same fields, quoting only what needs it")
    func writtenLinesReadBack() throws {
        let fields = ["plain", "with,comma", "with \"quote\"", "two\nlines", " padded ", "", "Zoë"]
        let line = CSVTable.line(fields)
        #expect(line == "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\",\" padded \",,Zoë\r\n")
        #expect(try records(line) == [.init(line: 1, fields: fields)])
    }

    @Test("what the fuzzer found: a first field starting with U+FEFF and a record of one empty field read back")
    func fuzzerFindings() throws {
        for fields in [["\u{FEFF}t"], [""], ["", ""]] {
            #expect(try records(CSVTable.line(fields)).map(\.fields) == [fields], "\(fields)")
        }
    }

    @Test("what the fuzzer found in CI: a quote followed by a combining mark (one Character) is still doubled")
    func fuzzerFindingsInCI() throws {
        let bytes: [UInt8] = [
            0, 0, 0, 44, 34, 34, 34, 34, 34, 34, 34, 105, 34, 10, 34, 34, 34, 10, 34, 34, 34, 34, 34, 34, 34, 44, 34,
            101, 120, 116, 101, 110, 115, 105, 34, 34, 34, 10, 34, 101, 110, 115, 105, 34, 34, 34, 10, 34, 34, 34, 34,
            10, 34, 34, 34, 10, 34, 34, 34, 10, 34, 34, 34, 10, 34, 34, 34, 34, 34, 34, 34, 34, 240, 147, 145, 144, 17,
            34, 10,
        ]
        let table = try CSVTable(parsing: bytes)
        let written = table.records.map { CSVTable.line($0.fields) }.joined()
        let again = try CSVTable(parsing: Array(written.utf8))
        #expect(again.records.map(\.fields) == table.records.map(\.fields))
        let lines = bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        #expect(table.records.allSatisfy { $0.line >= 1 && $0.line <= lines })
    }

    @Test("a quote before a combining mark is written doubled, so the line reads back")
    func quoteBeforeCombiningMark() throws {
        let fields = ["a\"\u{13450}b", "\"\u{301}"]
        #expect(try records(CSVTable.line(fields)).map(\.fields) == [fields])
    }
}

/// A CSV file read by RFC 4180's rules: the records of a file, each with the line it starts on.
///
/// It exists because a bulk import must say exactly where a file is wrong (line numbers, which the lines of a
/// quoted field's line breaks would otherwise shift), refuse what it cannot read rather than guess, and read
/// exactly what the export writes. Rules: fields separated by commas; records ended by CRLF or LF (the last
/// one may have no line end); a field in double quotes may hold commas, line breaks and doubled quotes (`""`);
/// an optional UTF-8 byte-order mark is dropped; the text must be UTF-8; blank lines are skipped.
public struct CSVTable: Sendable, Equatable {
    /// One record: its fields, and the line of the file it starts on (counting from 1).
    public struct Record: Sendable, Equatable {
        /// The line the record starts on.
        public let line: Int
        /// The fields, unquoted.
        public let fields: [String]

        /// A record starting on `line`.
        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The records, in file order; blank lines are not records.
    public let records: [Record]

    /// Reads `bytes` as a CSV file.
    ///
    /// - Throws: `CSVError` naming the line of the first problem.
    public init(parsing bytes: [UInt8]) throws(CSVError) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if let line = Self.firstLineNotUTF8(bytes[start...]) { throw .notUTF8(line: line) }
        var parser = Parser(bytes: bytes, position: start)
        records = try parser.records()
    }

    /// The line of the first byte sequence that is not UTF-8, or nil when all of it is.
    private static func firstLineNotUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var line = 1
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return line
            }
            guard index + length <= bytes.endIndex else { return line }
            let sequence = bytes[index..<index + length]
            guard String(validating: sequence, as: UTF8.self) != nil else { return line }
            index += length
        }
        return nil
    }

    /// Reads records from `position` on.
    private struct Parser {
        let bytes: [UInt8]
        var position: Int
        var line = 1

        mutating func records() throws(CSVError) -> [Record] {
            var records: [Record] = []
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "\n") {
                    position += 1
                    line += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "\r"), position + 1 < bytes.count,
                    bytes[position + 1] == UInt8(ascii: "\n")
                {
                    position += 2
                    line += 1
                    continue
                }
                let startLine = line
                records.append(Record(line: startLine, fields: try record()))
            }
            return records
        }

        /// One record's fields, through its line end.
        private mutating func record() throws(CSVError) -> [String] {
            var fields: [String] = []
            while true {
                fields.append(try field())
                guard position < bytes.count else { return fields }
                switch bytes[position] {
                case UInt8(ascii: ","):
                    position += 1
                case UInt8(ascii: "\n"):
                    position += 1
                    line += 1
                    return fields
                case UInt8(ascii: "\r") where position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\n"):
                    position += 2
                    line += 1
                    return fields
                default:
                    throw .strayCarriageReturn(line: line)
                }
            }
        }

        /// One field, up to the comma or line end that follows it.
        private mutating func field() throws(CSVError) -> String {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return try unquoted() }
            let startLine = line
            position += 1
            var text: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                        text.append(byte)
                        position += 2
                        continue
                    }
                    position += 1
                    if position < bytes.count, !Self.endsField(bytes, at: position) {
                        throw .textAfterClosingQuote(line: line)
                    }
                    return String(decoding: text, as: UTF8.self)
                }
                if byte == UInt8(ascii: "\n") { line += 1 }
                text.append(byte)
                position += 1
            }
            throw .unterminatedQuote(line: startLine)
        }

        private mutating func unquoted() throws(CSVError) -> String {
            let start = position
            while position < bytes.count, !Self.endsField(bytes, at: position) {
                switch bytes[position] {
                case UInt8(ascii: "\""): throw .quoteInUnquotedField(line: line)
                case UInt8(ascii: "\r"): throw .strayCarriageReturn(line: line)
                default: position += 1
                }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// A comma, LF or CRLF at `index`.
        private static func endsField(_ bytes: [UInt8], at index: Int) -> Bool {
            switch bytes[index] {
            case UInt8(ascii: ","), UInt8(ascii: "\n"): return true
            case UInt8(ascii: "\r"): return index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")
            default: return false
            }
        }
    }
}

extension CSVTable {
    /// One record as RFC 4180 text, ended by CRLF: a field holding a comma, a double quote, a line break, white
    /// space at either end, or starting with U+FEFF (which would read as a byte-order mark at the start of a
    /// file) is quoted, with its quotes doubled.
    /// A record of one empty field is written `""`, since an empty line is no record.
    public static func line(_ fields: [String]) -> String {
        if fields == [""] { return "\"\"\r\n" }
        return fields.map { field in
            let needsQuotes =
                field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
                || field.first?.isWhitespace == true || field.last?.isWhitespace == true
                || field.unicodeScalars.first == "\u{FEFF}"
            guard needsQuotes else { return field }
            // Doubled scalar by scalar: a quote followed by a combining mark is one Character, which a
            // Character-wise replacement would leave single (the fuzzer found U+13450 doing so).
            var quoted = "\""
            for scalar in field.unicodeScalars {
                if scalar == "\"" { quoted.unicodeScalars.append("\"") }
                quoted.unicodeScalars.append(scalar)
            }
            quoted.unicodeScalars.append("\"")
            return quoted
        }.joined(separator: ",") + "\r\n"
    }
}

/// Why a file is not a CSV file the import can read; each names the line, for the person who fixes the file.
public enum CSVError: FieldError, Hashable {
    /// A byte sequence that is not UTF-8 (a file saved in another encoding).
    case notUTF8(line: Int)
    /// A quoted field that is never closed.
    case unterminatedQuote(line: Int)
    /// Something other than a comma or a line end after a closing quote.
    case textAfterClosingQuote(line: Int)
    /// A double quote inside a field that does not start with one.
    case quoteInUnquotedField(line: Int)
    /// A carriage return that is not part of a CRLF line end.
    case strayCarriageReturn(line: Int)

    /// The sentence shown above the import form.
    public var message: String {
        switch self {
        case .notUTF8(let line):
            return "Line \(line) is not UTF-8 text. Save the file as UTF-8 (in Excel: “CSV UTF-8”) and upload it again."
        case .unterminatedQuote(let line):
            return "The quoted field that starts on line \(line) is never closed: add the closing double quote."
        case .textAfterClosingQuote(let line):
            return "On line \(line) a quoted field is followed by more text: put a comma after the closing quote, "
                + "or write a quote inside a quoted field as two quotes (\"\")."
        case .quoteInUnquotedField(let line):
            return "Line \(line) has a double quote inside a field: quote the whole field and double the quote "
                + "(\"Ann \"\"Nan\"\" Smith\")."
        case .strayCarriageReturn(let line):
            return
                "Line \(line) has a carriage return that does not end the line; save the file with ordinary line ends."
        }
    }
}

// libFuzzer target: the CSV reader of the users import (`CSVTable`) and the export's formula guard
// (`SpreadsheetCell`).
//
// Properties: a file that reads is written back record by record (`CSVTable.line`) and reads again to the same
// fields; every record starts on a line no later than the file has; any text guarded for a spreadsheet comes
// back unguarded as it was.
@testable import HotDesk

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let table = try? CSVTable(parsing: bytes) {
        let lines = bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        precondition(table.records.allSatisfy { $0.line >= 1 && $0.line <= lines }, "a record starts past the file")
        let written = table.records.map { CSVTable.line($0.fields) }.joined()
        guard let again = try? CSVTable(parsing: Array(written.utf8)) else {
            preconditionFailure("a written file does not read")
        }
        precondition(again.records.map(\.fields) == table.records.map(\.fields), "fields changed on the way back")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    precondition(SpreadsheetCell.unguarded(SpreadsheetCell.guarding(text)) == text, "a guarded cell came back changed")
    return 0
}

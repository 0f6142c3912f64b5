/// Keeps an exported cell from being run as a formula when the file is opened in a spreadsheet (OWASP "CSV
/// Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which
/// spreadsheets show as text; so does a cell that already starts with `'`, so that reading it back is exact.
enum SpreadsheetCell {
    /// The characters that make a spreadsheet read a cell as a formula, and the guard itself.
    private static let guarded: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "'"]

    /// `text` as the export writes it.
    static func guarding(_ text: String) -> String {
        guard let first = text.first, guarded.contains(first) else { return text }
        return "'" + text
    }

    /// A cell as it was before `guarding`: one leading `'` before a guarded character is dropped.
    static func unguarded(_ cell: String) -> String {
        guard cell.first == "'", let second = cell.dropFirst().first, guarded.contains(second) else { return cell }
        return String(cell.dropFirst())
    }
}

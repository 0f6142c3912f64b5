import Foundation

/// How an import treats the install's users.
public enum ImportMode: String, Sendable, CaseIterable {
    /// Add the file's users; an extension the install already has is an error.
    case addOnly = "add"
    /// Add new users and update existing ones.
    case addAndUpdate = "update"
    /// Add, update, and remove the users the file leaves out (after a confirmation naming how many).
    case synchronize = "sync"
}

/// What an import does with a user's PIN.
enum PINInstruction: Sendable, Equatable {
    /// A blank `pin` cell (or no `pin` column): the current PIN stays (a new user gets none).
    case keep
    /// `generate`: a random PIN, not weak for the user, shown once after the import.
    case generate
    /// Four digits, not weak for the user.
    case set(HotDeskPIN)
}

/// One user as the install holds it, as far as an import compares.
struct ImportedUserState: Sendable, Equatable {
    let id: Int
    let `extension`: Extension
    let displayName: String
    let hasAccess: Bool
    let hasPIN: Bool
    let version: Int
}

/// What the import will do with one line of the file, or with a user the file leaves out.
public struct ImportLine: Sendable, Equatable {
    /// The outcome of one line.
    public enum Outcome: Sendable, Equatable {
        /// A new user.
        case add
        /// An existing user; carries the fields that change (`name`, `hot_desk_access`, `pin`).
        case update([String])
        /// An existing user the file leaves as it is.
        case unchanged
        /// A user the file leaves out (synchronize mode only).
        case remove
        /// The line cannot be imported; carries each refused field and why, as the forms say it.
        case refused([InputProblem])
    }

    /// The line of the file (counting the header as line 1); nil for a user the file leaves out.
    public let line: Int?
    /// The extension, as written (or as stored, for a removal).
    public let `extension`: String
    /// The name, as written (or as stored).
    public let name: String
    /// What happens to it.
    public let outcome: Outcome
}

/// A file read against an install's users: every line's outcome, before anything is written.
public struct UserImportPlan: Sendable {
    /// Every line of the file in order, then every user the file leaves out (synchronize mode).
    public let lines: [ImportLine]
    /// What is wrong with the file as a whole (not CSV, a bad header), when something is.
    public let fileProblem: InputProblem?
    /// The typed changes, for apply; meaningful only when nothing was refused.
    let changes: [Change]
    /// The users the file leaves out, to remove (synchronize mode).
    let removals: [ImportedUserState]

    /// One change to make.
    struct Change: Sendable {
        let `extension`: Extension
        let displayName: DisplayName
        let hasAccess: Bool
        let pin: PINInstruction
        /// The user as it stands; nil for a new one.
        let current: ImportedUserState?
    }

    /// How many lines have each outcome.
    public var counts: (add: Int, update: Int, unchanged: Int, remove: Int, refused: Int) {
        var counts = (add: 0, update: 0, unchanged: 0, remove: 0, refused: 0)
        for line in lines {
            switch line.outcome {
            case .add: counts.add += 1
            case .update: counts.update += 1
            case .unchanged: counts.unchanged += 1
            case .remove: counts.remove += 1
            case .refused: counts.refused += 1
            }
        }
        return counts
    }

    /// True when the file can be applied as it is: it was read, and no line was refused.
    public var canApply: Bool { fileProblem == nil && counts.refused == 0 }

    /// The columns a file may have; the first three are required.
    static let columns = ["extension", "name", "hot_desk_access", "pin"]
    /// The columns the export adds, read back and ignored, so an exported file re-imports as it is.
    static let exportedOnly = ["has_pin", "last_changed"]

    /// Reads `table` against `users` (the install's users) in `mode`.
    init(_ table: CSVTable, mode: ImportMode, users: [ImportedUserState]) {
        guard let header = table.records.first else {
            self.init(
                problem: InputProblem(
                    field: "file", message: "The file is empty: it needs a header row and a row per user."))
            return
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let unknown = names.first(where: { !Self.columns.contains($0) && !Self.exportedOnly.contains($0) }) {
            self.init(
                problem: InputProblem(
                    field: "file",
                    message: "Line 1 names the column “\(unknown)”, which the import does not know: the columns are "
                        + "extension, name, hot_desk_access and, optionally, pin (an export's has_pin and "
                        + "last_changed are read and ignored)."))
            return
        }
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            self.init(problem: InputProblem(field: "file", message: "Line 1 names the column “\(repeated)” twice."))
            return
        }
        if let missing = Self.columns.prefix(3).first(where: { !names.contains($0) }) {
            self.init(
                problem: InputProblem(
                    field: "file",
                    message: "Line 1 has no “\(missing)” column: the header must name extension, name and "
                        + "hot_desk_access (pin is optional)."))
            return
        }
        let byExtension = Dictionary(users.map { ($0.extension, $0) }, uniquingKeysWith: { first, _ in first })
        let records = table.records.dropFirst()
        var lineOf: [Extension: [Int]] = [:]
        for record in records {
            if let number = try? Extension(Self.cell(record, names, "extension")) {
                lineOf[number, default: []].append(record.line)
            }
        }
        var lines: [ImportLine] = []
        var changes: [Change] = []
        for record in records {
            let (line, change) = Self.read(
                record, names: names, mode: mode, byExtension: byExtension, duplicates: lineOf)
            lines.append(line)
            if let change { changes.append(change) }
        }
        var removals: [ImportedUserState] = []
        if mode == .synchronize {
            let inFile = Set(lineOf.keys)
            removals = users.filter { !inFile.contains($0.extension) }.sorted { $0.extension < $1.extension }
            lines += removals.map {
                ImportLine(line: nil, extension: $0.extension.digits, name: $0.displayName, outcome: .remove)
            }
        }
        self.init(lines: lines, fileProblem: nil, changes: changes, removals: removals)
    }

    private init(lines: [ImportLine], fileProblem: InputProblem?, changes: [Change], removals: [ImportedUserState]) {
        self.lines = lines
        self.fileProblem = fileProblem
        self.changes = changes
        self.removals = removals
    }

    private init(problem: InputProblem) {
        self.init(lines: [], fileProblem: problem, changes: [], removals: [])
    }

    /// A file that could not be read as CSV.
    init(unreadable error: CSVError) {
        self.init(problem: InputProblem(field: "file", message: error.message))
    }

    /// The cell of `column` in `record` ("" when the record is short), as written before the export guarded it
    /// against spreadsheet formulas (`SpreadsheetCell`).
    private static func cell(_ record: CSVTable.Record, _ names: [String], _ column: String) -> String {
        guard let index = names.firstIndex(of: column), index < record.fields.count else { return "" }
        return SpreadsheetCell.unguarded(record.fields[index])
    }

    /// One data line's outcome and, when it changes something, its change.
    private static func read(
        _ record: CSVTable.Record, names: [String], mode: ImportMode, byExtension: [Extension: ImportedUserState],
        duplicates: [Extension: [Int]]
    ) -> (ImportLine, Change?) {
        let typedExtension = cell(record, names, "extension")
        let typedName = cell(record, names, "name")
        func refused(_ problems: [InputProblem]) -> (ImportLine, Change?) {
            (
                ImportLine(line: record.line, extension: typedExtension, name: typedName, outcome: .refused(problems)),
                nil
            )
        }
        guard record.fields.count == names.count else {
            return refused([
                InputProblem(
                    field: "file",
                    message: "Line \(record.line) has \(record.fields.count) fields; the header has \(names.count).")
            ])
        }
        var problems: [InputProblem] = []
        let number: Extension?
        do {
            number = try Extension(typedExtension)
        } catch {
            number = nil
            problems.append(InputProblem(field: "extension", message: error.message))
        }
        let name: DisplayName?
        do {
            name = try DisplayName(typedName)
        } catch {
            name = nil
            problems.append(InputProblem(field: "name", message: error.message))
        }
        let access = Self.access(cell(record, names, "hot_desk_access"))
        if access == nil {
            problems.append(
                InputProblem(
                    field: "hot_desk_access",
                    message: "Write yes or no in hot_desk_access (true/false and 1/0 work too)."))
        }
        let current = number.flatMap { byExtension[$0] }
        var pin = PINInstruction.keep
        if let number {
            if let lines = duplicates[number], lines.count > 1 {
                let others = lines.filter { $0 != record.line }.map(String.init).joined(separator: ", ")
                problems.append(
                    InputProblem(
                        field: "extension",
                        message: "Extension \(number) is in the file more than once (also on line \(others)); "
                            + "keep one line per user."))
            }
            if mode == .addOnly, let current {
                problems.append(
                    InputProblem(
                        field: "extension",
                        message: "Extension \(number) already belongs to “\(current.displayName)”; choose “Add and "
                            + "update” to change existing users."))
            }
            let typedPIN = cell(record, names, "pin").trimmingCharacters(in: .whitespaces)
            if typedPIN.lowercased() == "generate" {
                pin = .generate
            } else if !typedPIN.isEmpty {
                do {
                    pin = .set(try HotDeskPIN(typedPIN, for: number))
                } catch {
                    problems.append(.pin(error))
                }
            }
        }
        guard let number, let name, let access, problems.isEmpty else { return refused(problems) }
        let change = Change(extension: number, displayName: name, hasAccess: access, pin: pin, current: current)
        guard let current else {
            return (ImportLine(line: record.line, extension: number.digits, name: name.text, outcome: .add), change)
        }
        var changed: [String] = []
        if current.displayName != name.text { changed.append("name") }
        if current.hasAccess != access { changed.append("hot_desk_access") }
        if pin != .keep { changed.append("pin") }
        let outcome: ImportLine.Outcome = changed.isEmpty ? .unchanged : .update(changed)
        return (
            ImportLine(line: record.line, extension: number.digits, name: name.text, outcome: outcome),
            changed.isEmpty ? nil : change
        )
    }

    /// `yes`/`no`, `true`/`false`, `1`/`0` in any case, trimmed; nil for anything else.
    static func access(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "yes", "true", "1": return true
        case "no", "false", "0": return false
        default: return nil
        }
    }
}

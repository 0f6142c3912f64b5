import Foundation

/// One numbered SQL file from the `migrations/` folder (`0001_domain.sql`).
///
/// Migrations are applied in `number` order, each in its own transaction; a file must therefore not
/// contain `BEGIN`/`COMMIT` of its own.
public struct Migration: Sendable, Equatable {
    /// The leading number, unique within the folder.
    public let number: Int
    /// The file name, `0001_domain.sql`.
    public let fileName: String
    /// The SQL text.
    public let sql: String

    /// Reads every `NNNN_name.sql` file of a folder, sorted by number.
    ///
    /// Throws when the folder is missing, a `.sql` file is not named `NNNN_name.sql`, or two files share
    /// a number, so that a typo never silently skips a migration.
    public static func load(from folder: String) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw .folderUnreadable(folder)
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let number = Self.number(in: name) else { throw .badFileName(name) }
            if let clash = migrations.first(where: { $0.number == number }) {
                throw .duplicateNumber(clash.fileName, name)
            }
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                let sql = String(data: data, encoding: .utf8)
            else { throw .folderUnreadable(folder + "/" + name) }
            migrations.append(Migration(number: number, fileName: name, sql: sql))
        }
        return migrations.sorted { $0.number < $1.number }
    }

    /// `1` for `0001_domain.sql`; `nil` unless the name is four or more ASCII digits, `_`, a name, `.sql`.
    static func number(in fileName: String) -> Int? {
        let stem = fileName.utf8.dropLast(4)
        let digits = stem.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let rest = stem.dropFirst(digits.count)
        guard digits.count >= 4, rest.first == UInt8(ascii: "_"), rest.count > 1,
            rest.dropFirst().allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            })
        else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}

/// Why migrations could not be read or applied; each case reads as advice to an operator.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case folderUnreadable(String)
    case badFileName(String)
    case duplicateNumber(String, String)
    case changedAfterApplied(fileName: String, recorded: String, current: String)
    case appliedButMissing(number: Int, fileName: String)
    case failed(fileName: String, reason: String)

    /// The sentence for the operator.
    public var description: String {
        switch self {
        case .folderUnreadable(let path):
            return "cannot read migrations from \(path): check --migrations (HOTDESK_MIGRATIONS)"
        case .badFileName(let name):
            return "migration file \(name) is not named NNNN_name.sql (four digits, underscore, lowercase name)"
        case .duplicateNumber(let first, let second):
            return "migration files \(first) and \(second) share a number; renumber one of them"
        case .changedAfterApplied(let fileName, let recorded, let current):
            return "migration \(fileName) was edited after it was applied (recorded checksum \(recorded.prefix(12))…, "
                + "file now \(current.prefix(12))…); restore the file and put the change in a new migration"
        case .appliedButMissing(let number, let fileName):
            return "migration \(number) (\(fileName)) is recorded as applied but its file is missing; "
                + "this binary is older than the database"
        case .failed(let fileName, let reason):
            return "migration \(fileName) failed and was rolled back: \(reason)"
        }
    }
}

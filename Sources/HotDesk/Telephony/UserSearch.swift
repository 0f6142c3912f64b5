import Foundation

/// What the Users tab's search box asks for, chosen so that every kind is answered from an index.
///
/// Digits search by extension prefix (`12` → 1200–1299, a range on the `(install_id, extension)`
/// unique index); anything else searches names that start with the text, case-insensitively (a range
/// on the `(install_id, lower(display_name) text_pattern_ops)` index). A "contains" search would need a
/// trigram index or a scan of the whole install, so names match from their start.
public enum UserSearch: Sendable, Equatable {
    /// No search: every user of the install.
    case everyone
    /// Extensions from `lowest` to `highest` inclusive, the range that a typed prefix covers.
    case extensionRange(lowest: String, highest: String)
    /// Names starting with the text; carries a `LIKE` pattern, already lowercased and escaped.
    case namePrefix(pattern: String)

    /// Reads the search box: surrounding white space is trimmed; one to four ASCII digits are an
    /// extension prefix; other text is a name prefix.
    public init(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = trimmed.utf8
        if trimmed.isEmpty {
            self = .everyone
        } else if bytes.count <= 4, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            let padding = 4 - bytes.count
            self = .extensionRange(
                lowest: trimmed + String(repeating: "0", count: padding),
                highest: trimmed + String(repeating: "9", count: padding))
        } else {
            self = .namePrefix(pattern: LikePattern.lowercasedPrefix(trimmed))
        }
    }
}

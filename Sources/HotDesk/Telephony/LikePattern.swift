/// A `LIKE` pattern for the text a search box sent: the searches of the Users tab and Telephony Settings.
enum LikePattern {
    /// Matches values that start with `text` lowercased: `%`, `_` and `\` in it are escaped, so they match
    /// themselves, and the pattern ends in `%`. Compared against `lower(column)`, it ignores case and is
    /// answered by a `text_pattern_ops` index as a range.
    static func lowercasedPrefix(_ text: String) -> String {
        var pattern = ""
        for character in text.lowercased() {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }
}

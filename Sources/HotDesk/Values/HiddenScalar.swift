/// Characters that must not appear inside names, descriptions or the local part of an email address,
/// because they are invisible or change how the surrounding text is displayed.
///
/// Such text is shown to other administrators (user lists, the audit log), so a name must look like
/// what it is: control characters break lines and layouts; bidirectional overrides and isolates can
/// make `Ann <script>` display reversed or disguise one name as another ("Trojan Source"); zero-width
/// characters make two different names look identical. Left-to-right and right-to-left marks
/// (U+200E, U+200F) are allowed: they only nudge neutral characters and mixed-script names use them.
enum HiddenScalar: Sendable, Hashable {
    /// C0 controls (U+0000–U+001F, tab and line feed among them), DEL (U+007F), C1 controls
    /// (U+0080–U+009F), and the Unicode line and paragraph separators (U+2028, U+2029).
    case control
    /// Bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
    case directionControl
    /// Zero-width space, non-joiner and joiner (U+200B–U+200D), word joiner (U+2060) and the zero-width
    /// no-break space or byte order mark (U+FEFF).
    case invisible

    /// The kind of `scalar`, or nil when it is an ordinary visible character.
    init?(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: self = .control
        case 0x202A...0x202E, 0x2066...0x2069: self = .directionControl
        case 0x200B...0x200D, 0x2060, 0xFEFF: self = .invisible
        default: return nil
        }
    }

    /// The first hidden character's kind in `text`, or nil when there is none.
    static func first(in text: some StringProtocol) -> HiddenScalar? {
        for scalar in text.unicodeScalars {
            if let kind = HiddenScalar(scalar) { return kind }
        }
        return nil
    }
}

/// The one rule for the portal's short free-text fields — user and account names, install names, range
/// descriptions — with a field name, an example and a length limit per field.
///
/// It exists so that every such field trims and refuses the same things in the same words, through one
/// piece of code: `DisplayName`, `InstallName` and `RangeDescription` are thin wrappers around a rule
/// each. Surrounding whitespace (any Unicode white space) is trimmed; the text must not be empty and
/// must not contain control, bidirectional-override or zero-width characters (see `HiddenScalar`).
///
/// Length is counted in Characters, what a person sees as one letter or emoji. The database's
/// `char_length` counts Unicode scalars instead, so the text must also fit the limit in scalars; the two
/// differ only for combining marks and emoji sequences, where the scalar count is the larger.
public struct BoundedText: Sendable, Hashable {
    /// How messages name the field, e.g. "name" or "install name".
    public let fieldName: String
    /// A sample value for the "enter …" message, e.g. "Ann Smith".
    public let example: String
    /// The most Characters (and Unicode scalars) the text may have.
    public let maximumLength: Int

    /// A rule for the field called `fieldName`, with an `example` and a `maximumLength`.
    public init(fieldName: String, example: String, maximumLength: Int) {
        self.fieldName = fieldName
        self.example = example
        self.maximumLength = maximumLength
    }

    /// The trimmed text when it follows the rule.
    public func parse(_ text: String) throws(BoundedTextError) -> String {
        let trimmed = Self.trimmingWhitespace(text)
        guard !trimmed.isEmpty else { throw .empty(self) }
        switch HiddenScalar.first(in: trimmed) {
        case .control: throw .controlCharacter(self)
        case .directionControl: throw .directionControl(self)
        case .invisible: throw .invisibleCharacter(self)
        case nil: break
        }
        guard trimmed.count <= maximumLength, trimmed.unicodeScalars.count <= maximumLength else {
            throw .tooLong(self)
        }
        return String(trimmed)
    }

    /// `text` without leading and trailing white space (spaces of every kind, tabs, line breaks).
    private static func trimmingWhitespace(_ text: String) -> Substring {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return text[first...last]
    }
}

/// Why text typed into a name or description field was refused; carries the field's rule, so the
/// message can name the field.
public enum BoundedTextError: FieldError, Hashable {
    /// The field was empty or held only white space.
    case empty(BoundedText)
    /// More than the field's maximum number of characters.
    case tooLong(BoundedText)
    /// A control character: tab, line break, or another C0/C1 control, DEL, U+2028 or U+2029.
    case controlCharacter(BoundedText)
    /// A hidden bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069).
    case directionControl(BoundedText)
    /// A zero-width character (U+200B–U+200D, U+2060, U+FEFF).
    case invisibleCharacter(BoundedText)

    /// The sentence shown next to the field.
    public var message: String {
        switch self {
        case .empty(let rule):
            return "Enter the \(rule.fieldName), for example \(rule.example)."
        case .tooLong(let rule):
            return "Shorten the \(rule.fieldName) to at most \(rule.maximumLength) characters."
        case .controlCharacter(let rule):
            return "Remove the line break, tab or other control character; the \(rule.fieldName) is one line of text."
        case .directionControl(let rule):
            return "Remove the hidden text-direction control from the \(rule.fieldName): "
                + "it can make text display in a misleading order. Retype the text if you pasted it."
        case .invisibleCharacter(let rule):
            return "Remove the invisible zero-width character from the \(rule.fieldName); "
                + "retype the text if you pasted it."
        }
    }
}

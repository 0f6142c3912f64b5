import HotDesk
import Templates

/// The messages of a form that could not be accepted (accounts and telephony alike), in field order: each is
/// shown beside its field and listed at the top of the form, linked to the field.
struct FormErrors {
    /// One message, with the id of the field it belongs to.
    struct Item: TemplateView {
        static let templateFields = TemplateFields(Self.self)
        let field: String
        let message: String
    }

    /// Every message, in the order they were added (one per field).
    private(set) var items: [Item] = []

    /// True when the form can be accepted.
    var isEmpty: Bool { items.isEmpty }

    /// The message for `field`, if any.
    subscript(field: String) -> String? { items.first { $0.field == field }?.message }

    /// Adds a message for `field`, unless it already has one.
    mutating func add(_ field: String, _ message: String) {
        if self[field] == nil { items.append(Item(field: field, message: message)) }
    }

    /// The value `parse` builds, or nil after recording its error's message for `field`.
    mutating func parse<Value, Failure: FieldError>(_ field: String, _ parse: () throws(Failure) -> Value) -> Value? {
        do {
            return try parse()
        } catch {
            add(field, error.message)
            return nil
        }
    }
}

/// The error summary at the top of a form (`error-summary` partial), listing each field's
/// message linked to the field.
struct ErrorSummaryView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let hasErrors: Bool
    let errors: [FormErrors.Item]

    init(_ errors: FormErrors) {
        hasErrors = !errors.isEmpty
        self.errors = errors.items
    }
}

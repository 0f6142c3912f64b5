import Foundation
import HotDesk
import Templates

/// One labelled text input of a Telephony form (`telephony-field` partial): what was typed, and the
/// message shown beside it, tied to the input by `aria-describedby`.
struct TelephonyFieldView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let id: String
    let label: String
    let value: String
    let type: String
    let autocomplete: String
    let inputMode: String?
    let maxLength: Int?
    let hint: String?
    let hintID: String?
    let error: String?
    let errorID: String?
    let describedBy: String?

    /// A field named `id` (also its `name`), showing `value` and the error `errors` holds for it.
    init(
        _ id: String, label: String, value: String, errors: FormErrors, type: String = "text",
        autocomplete: String = "off", inputMode: String? = nil, maxLength: Int? = nil, hint: String? = nil
    ) {
        self.id = id
        self.label = label
        self.value = value
        self.type = type
        self.autocomplete = autocomplete
        self.inputMode = inputMode
        self.maxLength = maxLength
        self.hint = hint
        hintID = hint == nil ? nil : id + "-hint"
        error = errors[id]
        errorID = error == nil ? nil : id + "-error"
        let described = [hintID, errorID].compactMap { $0 }
        describedBy = described.isEmpty ? nil : described.joined(separator: " ")
    }

    /// A four-digit PIN input: never pre-filled, numeric keypad on phones.
    static func pin(_ id: String, label: String, errors: FormErrors, hint: String? = nil) -> TelephonyFieldView {
        TelephonyFieldView(
            id, label: label, value: "", errors: errors, type: "password", autocomplete: "new-password",
            inputMode: "numeric", maxLength: 4, hint: hint)
    }
}

/// How Telephony screens write times and counts, whatever the server's locale.
enum TelephonyFormat {
    /// `10,000`: digits grouped in threes with commas.
    static func count(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }
}

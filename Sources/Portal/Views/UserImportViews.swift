import Foundation
import HotDesk
import Templates

/// One line of an import preview: what happens to it, and, for a refused line, each field's message.
struct ImportLineView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let line: String
    let `extension`: String
    let name: String
    let outcome: String
    /// `add`, `update`, `unchanged`, `remove` or `refused`, for the row's style.
    let kind: String
    let problems: [String]

    init(_ line: ImportLine) {
        self.line = line.line.map(String.init) ?? "–"
        `extension` = line.extension
        name = line.name
        switch line.outcome {
        case .add: (outcome, kind, problems) = ("Add", "add", [])
        case .update(let fields):
            let names = fields.map { ["name": "name", "hot_desk_access": "Hot Desk Access", "pin": "PIN"][$0] ?? $0 }
            (outcome, kind, problems) = ("Update: " + names.joined(separator: ", "), "update", [])
        case .unchanged: (outcome, kind, problems) = ("Unchanged", "unchanged", [])
        case .remove: (outcome, kind, problems) = ("Remove (not in the file)", "remove", [])
        case .refused(let refusals): (outcome, kind, problems) = ("Error", "refused", refusals.map(\.message))
        }
    }
}

/// A choice of import mode, as a radio button.
struct ImportModeView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let value: String
    let label: String
    let hint: String
    let isChecked: Bool

    /// Every mode, with `selected` checked.
    static func all(selected: ImportMode) -> [ImportModeView] {
        ImportMode.allCases.map { mode in
            let (label, hint): (String, String)
            switch mode {
            case .addOnly: (label, hint) = ("Add new users only", "An extension the install already has is an error.")
            case .addAndUpdate:
                (label, hint) = ("Add and update", "New extensions are added; existing ones take the file's values.")
            case .synchronize:
                (label, hint) = (
                    "Add, update and remove", "Users the file leaves out are removed (you confirm how many first)."
                )
            }
            return ImportModeView(value: mode.rawValue, label: label, hint: hint, isChecked: mode == selected)
        }
    }
}

/// Import users: the upload form and, once a file was read, its preview and the Apply form.
struct UserImportView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let csrfToken: String
    let summary: ErrorSummaryView
    let modes: [ImportModeView]
    let pasted: String
    let fileError: String?
    let preview: ImportPreviewView?

    init(
        install: Install, context: RequestContext, mode: ImportMode, pasted: String,
        preview: UserImportOperations.Preview?, file: [UInt8], errors: FormErrors
    ) {
        header = InstallHeaderView(install, tab: .users, actor: context.actor)
        csrfToken = context.session.csrfToken
        summary = ErrorSummaryView(errors)
        modes = ImportModeView.all(selected: mode)
        self.pasted = pasted
        fileError = errors["file"]
        self.preview = preview.map { ImportPreviewView($0, file: file, errors: errors) }
    }
}

/// The preview of a file: counts, every line, and the Apply form carrying the file itself (base64, so that
/// the browser sends back exactly the bytes previewed) and what binds it to this preview.
struct ImportPreviewView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let lines: TemplateRows
    let added: Int
    let updated: Int
    let unchanged: Int
    let removed: Int
    let refused: Int
    let canApply: Bool
    let mode: String
    let binding: String
    let file: String
    let removesUsers: Bool
    let confirmError: String?

    init(_ preview: UserImportOperations.Preview, file: [UInt8], errors: FormErrors) {
        let counts = preview.plan.counts
        lines = TemplateRows(preview.plan.lines.map(ImportLineView.init))
        (added, updated, unchanged, removed, refused) = (
            counts.add, counts.update, counts.unchanged, counts.remove, counts.refused
        )
        canApply = preview.plan.canApply
        mode = preview.mode.rawValue
        binding = preview.binding
        self.file = Data(file).base64EncodedString()
        removesUsers = counts.remove > 0
        confirmError = errors["confirm_removals"]
    }
}

/// After Apply: the counts and, when the file asked for them, the generated PINs, shown this once, with the
/// same list as a CSV file built in the page (a `data:` link), so it never passes through the server again.
struct UserImportDoneView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let header: InstallHeaderView
    let added: Int
    let updated: Int
    let unchanged: Int
    let removed: Int
    let pins: [GeneratedPINView]
    let hasPINs: Bool
    let pinsFile: String
    let pinsFileName: String

    /// A generated PIN as the page lists it.
    struct GeneratedPINView: TemplateView {
        static let templateFields = TemplateFields(Self.self)
        let `extension`: String
        let name: String
        let pin: String
    }

    init(_ applied: UserImportOperations.Applied, context: RequestContext) {
        header = InstallHeaderView(applied.install, tab: .users, actor: context.actor)
        (added, updated, unchanged, removed) = applied.counts
        pins = applied.generatedPINs.map {
            GeneratedPINView(extension: $0.extension.digits, name: $0.name, pin: $0.pin.digits)
        }
        hasPINs = !pins.isEmpty
        pinsFile =
            "data:text/csv;charset=utf-8;base64,"
            + Data(UserImportOperations.pinList(applied.generatedPINs).utf8).base64EncodedString()
        pinsFileName = DownloadName.of("pins", applied.install, fileExtension: "csv")
    }
}

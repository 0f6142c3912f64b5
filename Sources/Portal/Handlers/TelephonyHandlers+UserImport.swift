import Foundation
import HotDesk
import WebServer

extension TelephonyHandlers {
    /// The routes that take a CSV file, and the most each body may hold: the file (at most
    /// `UserImportOperations.maximumFileBytes`) as an upload, or, on Apply, base64 in a hidden field.
    static let uploadLimits = [
        "/installs/:id/users/import": UserImportOperations.maximumFileBytes + 64 * 1024,
        "/installs/:id/users/import/apply": UserImportOperations.maximumFileBytes / 3 * 4 + 64 * 1024,
    ]

    /// `GET /installs/:id/users/import`: upload or paste a CSV file, and choose the mode.
    func importForm(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            try renderImport(
                context, mode: .addAndUpdate, pasted: "", preview: nil, file: [], errors: FormErrors(), status: .ok)
        }
    }

    /// `POST /installs/:id/users/import` (`multipart/form-data`: `file` or `text`, `mode`): reads the file
    /// against the install's users and shows every line's outcome; nothing is written.
    func previewImport(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony, takesUpload: true) { context in
            try context.form.requireOnly(["_csrf", "text", "mode"])
            let mode = try Self.importMode(context.form)
            let pasted = try context.form.value(for: "text") ?? ""
            let file = request.uploadedFiles["file"]?.bytes ?? Array(pasted.utf8)
            var errors = FormErrors()
            guard !file.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
                errors.add("file", "Choose a CSV file, or paste its text, before asking for a preview.")
                return try renderImport(
                    context, mode: mode, pasted: pasted, preview: nil, file: [], errors: errors,
                    status: .unprocessableContent)
            }
            switch try errors.submit({
                try portal.operations.userImports.preview(
                    context.caller, installID: try context.pathID("id"), file: file, mode: mode)
            }) {
            case .done(let preview):
                if let problem = preview.plan.fileProblem { errors.add(problem.field, problem.message) }
                return try renderImport(
                    context, mode: mode, pasted: pasted, preview: preview, file: file, errors: errors,
                    status: preview.plan.canApply ? .ok : .unprocessableContent)
            case .refused, .unconfirmed, .stale:
                return try renderImport(
                    context, mode: mode, pasted: pasted, preview: nil, file: [], errors: errors,
                    status: .unprocessableContent)
            }
        }
    }

    /// `POST /installs/:id/users/import/apply`: applies the previewed file in one transaction. A file or users
    /// changed since the preview get a fresh preview (409); removals need their confirmation. The generated
    /// PINs are shown on the page this request answers, and nowhere else.
    func applyImport(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony, takesUpload: true) { context in
            let form = context.form
            try form.requireOnly(["_csrf", "mode", "binding", "file", "confirm_removals"])
            let mode = try Self.importMode(form)
            guard let encoded = try form.value(for: "file"), let data = Data(base64Encoded: encoded),
                let binding = try form.value(for: "binding")
            else {
                throw HTTPError(
                    status: .badRequest, message: "The form is incomplete (its file is missing). Preview again.")
            }
            let file = Array(data)
            let confirmed = try form.wholeNumber("confirm_removals") ?? 0
            let installID = try context.pathID("id")
            var errors = FormErrors()
            let outcome = try errors.submit {
                try portal.operations.userImports.apply(
                    context.caller, installID: installID, file: file, mode: mode, binding: binding,
                    confirmedRemovals: confirmed)
            }
            switch outcome {
            case .done(let applied):
                return try portal.page(
                    "user-import-done", title: "\(applied.install.name) · Users imported",
                    context: UserImportDoneView(applied, context: context), for: request, session: context.session)
            case .stale:
                errors.add(
                    "file",
                    "Someone changed this install's users since the preview, so nothing was imported. Here is a fresh "
                        + "preview: check it and apply again.")
                fallthrough
            case .refused, .unconfirmed:
                let preview = try portal.operations.userImports.preview(
                    context.caller, installID: installID, file: file, mode: mode)
                return try renderImport(
                    context, mode: mode, pasted: "", preview: preview, file: file, errors: errors,
                    status: outcome.isStale ? .conflict : .unprocessableContent)
            }
        }
    }

    /// `GET /installs/:id/users/export`: every user as CSV (no PIN), in the shape the import reads back.
    func exportUsers(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageTelephony) { context in
            let (install, text) = try portal.operations.userImports.export(
                context.caller, installID: try context.pathID("id"))
            var response = Response.text(text)
            response.headers.replaceOrAdd("Content-Type", "text/csv; charset=utf-8")
            response.headers.replaceOrAdd(
                "Content-Disposition",
                "attachment; filename=\"\(DownloadName.of("users", install, fileExtension: "csv"))\"")
            return response
        }
    }

    /// The form's `mode`; 400 for anything but the three modes.
    private static func importMode(_ form: FormData) throws(HTTPError) -> ImportMode {
        guard let mode = try form.value(for: "mode").flatMap(ImportMode.init(rawValue:)) else {
            throw HTTPError(status: .badRequest, message: "Choose how the import treats existing users.")
        }
        return mode
    }

    private func renderImport(
        _ context: RequestContext, mode: ImportMode, pasted: String, preview: UserImportOperations.Preview?,
        file: [UInt8], errors: FormErrors, status: HTTPStatus
    ) throws -> Response {
        let install =
            try preview?.install
            ?? portal.operations.installs.install(
                context.caller, id: try context.pathID("id"), requiring: .manageTelephony)
        let view = UserImportView(
            install: install, context: context, mode: mode, pasted: pasted, preview: preview, file: file,
            errors: errors)
        return try portal.page(
            "user-import", title: "\(install.name) · Import users", context: view, for: context.request,
            session: context.session, status: status)
    }
}

extension Submission {
    /// True for a lost race.
    var isStale: Bool {
        if case .stale = self { return true }
        return false
    }
}

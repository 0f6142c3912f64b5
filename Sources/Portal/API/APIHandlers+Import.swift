import HotDesk
import WebServer

extension APIHandlers {
    /// The import route, whose body may be larger than the server's default.
    static let importPath = "/api/v1/installs/{install_id}/users:import"
    /// The body limit of the import route: a 2 MiB file, escaped as a JSON string.
    static let importBodyLimit = UserImportOperations.maximumFileBytes * 2 + 64 * 1024

    /// `POST /api/v1/installs/{install_id}/users:import`: the Users tab's import, with the same preview and apply.
    /// `{"csv": …, "mode": "add" | "update" | "sync", "dry_run": true}` answers the preview (each line's outcome
    /// and the `binding`) and writes nothing; the same body with `"dry_run": false` and that `binding` applies it in
    /// one transaction, all or nothing, refused with 412 when the file's users changed since the dry run, and
    /// answers the generated PINs, this once. Removing users (`sync`) needs `confirm_removals`, their number.
    func importUsers(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            let installID = try context.pathID("install_id")
            var body = try APIJSON.object(in: request)
            let csv = body.string("csv")
            let typedMode = body.string("mode")
            let dryRun = body.bool("dry_run")
            let binding = body.string("binding")
            let confirmed = body.integer("confirm_removals") ?? 0
            if csv == nil { body.missing("csv", "Send the CSV file's text.") }
            if dryRun == nil { body.missing("dry_run", "Send true to preview, false to apply a previewed file.") }
            try body.finish()
            guard let mode = typedMode.map(ImportMode.init(rawValue:)) ?? .addAndUpdate else {
                throw APIProblem.validation([
                    .init(field: "mode", code: "invalid", message: "Send add, update or sync.")
                ])
            }
            guard (0...UserImportOperations.maximumRemovals).contains(confirmed) else {
                throw APIProblem.validation([
                    .init(
                        field: "confirm_removals", code: "invalid",
                        message: "Send how many users the dry run said the import removes.")
                ])
            }
            let file = Array((csv ?? "").utf8)
            guard dryRun == false else {
                let preview = try portal.operations.userImports.preview(
                    context.caller, installID: installID, file: file, mode: mode)
                return APIJSON.response(ImportPreviewBody(preview))
            }
            guard let binding else {
                throw APIProblem.validation([
                    .init(
                        field: "binding", code: "required",
                        message: "Applying needs the binding of a dry run of this file: run it with dry_run true first."
                    )
                ])
            }
            do {
                let applied = try portal.operations.userImports.apply(
                    context.caller, installID: installID, file: file, mode: mode, binding: binding,
                    confirmedRemovals: confirmed)
                return APIJSON.response(ImportAppliedBody(applied))
            } catch OperationError.staleVersion {
                throw APIProblem(
                    .preconditionFailed, code: "stale_preview", title: "Precondition failed",
                    detail: "This file or the install's users changed since the dry run, so nothing was imported. "
                        + "Run the dry run again, check it, and apply with its new binding.")
            }
        }
    }

    /// `GET /api/v1/installs/{install_id}/users:export`: every user as CSV (no PIN), the file the import reads back
    /// with no change.
    func exportUsers(_ request: Request) throws -> Response {
        authorized(request, .manageTelephony) { context in
            try context.requireOnlyQuery([])
            let (_, text) = try portal.operations.userImports.export(
                context.caller, installID: try context.pathID("install_id"))
            var response = Response.text(text)
            response.headers.replaceOrAdd("Content-Type", "text/csv; charset=utf-8")
            response.headers.replaceOrAdd("Cache-Control", "no-store")
            return response
        }
    }

    /// A dry run: every line's outcome, the counts, and the binding that applies exactly this.
    private struct ImportPreviewBody: Encodable {
        struct Line: Encodable {
            let line: Int?
            let `extension`: String
            let name: String
            let outcome: String
            let changes: [String]?
            let errors: [APIProblem.FieldProblem]?
        }

        let mode: String
        let binding: String
        let canApply: Bool
        let fileProblem: APIProblem.FieldProblem?
        let counts: ImportCounts
        let lines: [Line]

        init(_ preview: UserImportOperations.Preview) {
            mode = preview.mode.rawValue
            binding = preview.binding
            canApply = preview.plan.canApply
            fileProblem = preview.plan.fileProblem.map { .init(field: $0.field, code: "invalid", message: $0.message) }
            let counts = preview.plan.counts
            self.counts = ImportCounts(
                add: counts.add, update: counts.update, unchanged: counts.unchanged, remove: counts.remove,
                refused: counts.refused)
            lines = preview.plan.lines.map { line in
                switch line.outcome {
                case .add:
                    Line(
                        line: line.line, extension: line.extension, name: line.name, outcome: "add", changes: nil,
                        errors: nil)
                case .update(let fields):
                    Line(
                        line: line.line, extension: line.extension, name: line.name, outcome: "update", changes: fields,
                        errors: nil)
                case .unchanged:
                    Line(
                        line: line.line, extension: line.extension, name: line.name, outcome: "unchanged", changes: nil,
                        errors: nil)
                case .remove:
                    Line(
                        line: line.line, extension: line.extension, name: line.name, outcome: "remove", changes: nil,
                        errors: nil)
                case .refused(let problems):
                    Line(
                        line: line.line, extension: line.extension, name: line.name, outcome: "error", changes: nil,
                        errors: problems.map { .init(field: $0.field, code: "invalid", message: $0.message) })
                }
            }
        }

        enum CodingKeys: String, CodingKey {
            case mode, binding, counts, lines
            case canApply = "can_apply"
            case fileProblem = "file_problem"
        }
    }

    /// What an apply did, with the generated PINs (this once).
    private struct ImportAppliedBody: Encodable {
        struct PIN: Encodable {
            let `extension`: String
            let name: String
            let pin: String
        }

        let counts: ImportCounts
        let generatedPINs: [PIN]

        init(_ applied: UserImportOperations.Applied) {
            counts = ImportCounts(
                add: applied.counts.add, update: applied.counts.update, unchanged: applied.counts.unchanged,
                remove: applied.counts.remove, refused: 0)
            generatedPINs = applied.generatedPINs.map {
                PIN(extension: $0.extension.digits, name: $0.name, pin: $0.pin.digits)
            }
        }

        enum CodingKeys: String, CodingKey {
            case counts
            case generatedPINs = "generated_pins"
        }
    }

    private struct ImportCounts: Encodable {
        let add: Int
        let update: Int
        let unchanged: Int
        let remove: Int
        let refused: Int
    }
}

import Crypto
import Foundation
import PostgresClient

/// Bulk users for administrators: a CSV file read against an install's users (the preview), applied in one
/// transaction (all or nothing), and the install's users exported as CSV. The file's rows pass the same rules
/// as the forms (`Extension`, `DisplayName`, the weak-PIN rules for the user's extension) and every change
/// writes the same audit events as the forms (`UserEvents`), plus one for the import.
public struct UserImportOperations: Sendable {
    /// The largest file accepted: about 10,000 rows, an install's most users.
    public static let maximumFileBytes = 2 * 1024 * 1024
    /// The most users one import can remove: an install's most users.
    public static let maximumRemovals = 10_000

    let database: Database
    let installs = InstallStore()
    let users = UserStore()

    /// A file read against the install: every line's outcome, and what binds an apply to this very preview.
    public struct Preview: Sendable {
        /// The install.
        public let install: Install
        /// The mode the file was read in.
        public let mode: ImportMode
        /// Every line's outcome.
        public let plan: UserImportPlan
        /// The file's SHA-256 and the state of the users it touches: an apply with another binding is refused.
        public let binding: String
    }

    /// What an apply did.
    public struct Applied: Sendable {
        /// The install.
        public let install: Install
        /// How many users were added, updated, left unchanged and removed.
        public let counts: (add: Int, update: Int, unchanged: Int, remove: Int)
        /// The PINs the import generated, to be handed out once: never stored in the clear, never shown again.
        public let generatedPINs: [GeneratedPIN]
    }

    /// A PIN an import drew for a user.
    public struct GeneratedPIN: Sendable {
        /// The user's extension.
        public let `extension`: Extension
        /// The user's name.
        public let name: String
        /// The new PIN.
        public let pin: HotDeskPIN
    }

    /// Reads `file` against the install's users in `mode`; writes nothing.
    ///
    /// - Throws: `invalid` (`file`) for a file over `maximumFileBytes`.
    public func preview(_ caller: Caller, installID: Int, file: [UInt8], mode: ImportMode) throws -> Preview {
        try caller.require(.manageTelephony)
        try Self.requireSize(file)
        let (install, current) = try database.read { connection in
            try connection.run(installs.find(id: installID, for: caller.actor), users.all(installID: installID))
        }
        guard let install else { throw OperationError.notFound }
        let plan = Self.plan(file, mode: mode, users: current)
        return Preview(
            install: install, mode: mode, plan: plan, binding: Self.binding(file, plan: plan, users: current))
    }

    /// Applies `file` in `mode` in one transaction, if the file and the users it touches are still as the
    /// preview that gave `binding` saw them (otherwise `staleVersion`: preview again). Removing users needs
    /// `confirmedRemovals` to be their number. Two imports into one install wait for each other. Audited per
    /// changed user as the forms audit, and once as `users.imported` (file hash, mode, counts).
    public func apply(
        _ caller: Caller, installID: Int, file: [UInt8], mode: ImportMode, binding: String, confirmedRemovals: Int
    ) throws -> Applied {
        try caller.require(.manageTelephony)
        try Self.requireSize(file)
        return try database.write(changing: [.install(installID)]) { connection in
            // The install's row lock serializes imports into it: the second one then finds the first one's work.
            let install = try installs.lock(id: installID, for: caller.actor, on: connection)
            let current = try connection.run(users.all(installID: installID))
            let plan = Self.plan(file, mode: mode, users: current)
            guard Self.binding(file, plan: plan, users: current) == binding else { throw OperationError.staleVersion }
            guard plan.canApply else {
                throw OperationError.invalid(
                    plan.fileProblem
                        ?? InputProblem(
                            field: "file", message: "Some lines cannot be imported; fix them and try again."))
            }
            if !plan.removals.isEmpty && confirmedRemovals != plan.removals.count {
                throw OperationError.unconfirmed(
                    InputProblem(
                        field: "confirm_removals",
                        message:
                            "This import removes \(plan.removals.count) user\(plan.removals.count == 1 ? "" : "s") "
                            + "the file leaves out: tick the box to confirm."))
            }
            return try make(plan, file: file, mode: mode, install: install, caller: caller, on: connection)
        }
    }

    /// Every user of the install as CSV, in extension order, in the shape an import reads back with no change:
    /// extension, name, hot_desk_access, has_pin, last_changed. Never a PIN. Cells a spreadsheet would run as
    /// formulas are guarded (`SpreadsheetCell`).
    public func export(_ caller: Caller, installID: Int) throws -> (Install, String) {
        try caller.require(.manageTelephony)
        let (install, current) = try database.read { connection in
            try connection.run(installs.find(id: installID, for: caller.actor), users.all(installID: installID))
        }
        guard let install else { throw OperationError.notFound }
        var text = CSVTable.line(["extension", "name", "hot_desk_access", "has_pin", "last_changed"])
        text.reserveCapacity(current.count * 64)
        for user in current {
            text += CSVTable.line([
                user.extension.digits, SpreadsheetCell.guarding(user.displayName), user.hasAccess ? "yes" : "no",
                user.hasPIN ? "yes" : "no", DisplayTime.minute(user.updatedAt),
            ])
        }
        return (install, text)
    }

    /// The generated PINs as the CSV file handed out once: extension, name, pin.
    public static func pinList(_ pins: [GeneratedPIN]) -> String {
        pins.reduce(into: CSVTable.line(["extension", "name", "pin"])) { text, generated in
            text += CSVTable.line([
                generated.extension.digits, SpreadsheetCell.guarding(generated.name), generated.pin.digits,
            ])
        }
    }

    /// Makes the plan's changes and writes their audit events.
    private func make(
        _ plan: UserImportPlan, file: [UInt8], mode: ImportMode, install: Install, caller: Caller,
        on connection: PostgresConnection
    ) throws -> Applied {
        var generated: [GeneratedPIN] = []
        func pin(for change: UserImportPlan.Change) -> HotDeskPIN? {
            switch change.pin {
            case .keep: return nil
            case .set(let pin): return pin
            case .generate:
                let pin = HotDeskPIN.generate(for: change.extension)
                generated.append(GeneratedPIN(extension: change.extension, name: change.displayName.text, pin: pin))
                return pin
            }
        }
        let additions = plan.changes.filter { $0.current == nil }.map { change in
            (
                extension: change.extension, displayName: change.displayName, hasAccess: change.hasAccess,
                pin: pin(for: change)
            )
        }
        let updates = plan.changes.compactMap { change in
            change.current.map { current in
                (current: current, displayName: change.displayName, hasAccess: change.hasAccess, pin: pin(for: change))
            }
        }
        let ids = try users.insert(additions, installID: install.id, on: connection)
        try users.update(
            updates.map { (id: $0.current.id, displayName: $0.displayName, hasAccess: $0.hasAccess, pin: $0.pin) },
            installID: install.id, on: connection)
        try users.delete(ids: plan.removals.map(\.id), installID: install.id, on: connection)

        var events: [AuditEvent] = []
        for added in additions {
            guard let id = ids[added.extension] else { throw OperationError.staleVersion }
            let name = added.displayName.text
            events.append(
                UserEvents.created(id: id, installID: install.id, extension: added.extension, displayName: name))
            events += UserEvents.changed(
                id: id, installID: install.id, extension: added.extension,
                from: UserEvents.State(displayName: name, hasAccess: false, hasPIN: false),
                to: UserEvents.State(displayName: name, hasAccess: added.hasAccess, hasPIN: added.pin != nil),
                setsPIN: added.pin != nil)
        }
        for updated in updates {
            let current = updated.current
            events += UserEvents.changed(
                id: current.id, installID: install.id, extension: current.extension,
                from: UserEvents.State(
                    displayName: current.displayName, hasAccess: current.hasAccess, hasPIN: current.hasPIN),
                to: UserEvents.State(
                    displayName: updated.displayName.text, hasAccess: updated.hasAccess,
                    hasPIN: current.hasPIN || updated.pin != nil),
                setsPIN: updated.pin != nil)
        }
        for removed in plan.removals {
            events.append(
                UserEvents.deleted(
                    id: removed.id, installID: install.id, extension: removed.extension,
                    displayName: removed.displayName))
        }
        let counts = plan.counts
        events.append(
            AuditEvent(
                action: "users.imported", installID: install.id, targetType: "install", targetID: install.id,
                targetLabel: install.name,
                changes: [
                    AuditChange("file_sha256", from: nil, to: Secrets.sha256Hex(bytes: file)),
                    AuditChange("mode", from: nil, to: mode.rawValue),
                    AuditChange("added", from: nil, to: String(counts.add)),
                    AuditChange("updated", from: nil, to: String(counts.update)),
                    AuditChange("unchanged", from: nil, to: String(counts.unchanged)),
                    AuditChange("removed", from: nil, to: String(counts.remove)),
                ]))
        try AuditLog.record(events, context: caller.audit, on: connection)
        return Applied(
            install: install, counts: (counts.add, counts.update, counts.unchanged, counts.remove),
            generatedPINs: generated)
    }

    private static func requireSize(_ file: [UInt8]) throws(OperationError) {
        guard file.count <= maximumFileBytes else {
            throw .invalid(
                InputProblem(
                    field: "file",
                    message: "The file is larger than 2 MiB (about 10,000 users, an install's most); split it in two."))
        }
    }

    private static func plan(_ file: [UInt8], mode: ImportMode, users: [HotDeskUser]) -> UserImportPlan {
        let states = users.map {
            ImportedUserState(
                id: $0.id, extension: $0.extension, displayName: $0.displayName, hasAccess: $0.hasAccess,
                hasPIN: $0.hasPIN, version: $0.version)
        }
        do {
            return UserImportPlan(try CSVTable(parsing: file), mode: mode, users: states)
        } catch {
            return UserImportPlan(unreadable: error)
        }
    }

    /// The file's SHA-256, then the SHA-256 of the state of the users the plan touches (id and version of each
    /// existing one, the absence of each new one), so that an apply knows it applies what was previewed.
    private static func binding(_ file: [UInt8], plan: UserImportPlan, users: [HotDeskUser]) -> String {
        let byExtension = Dictionary(users.map { ($0.extension.digits, $0) }, uniquingKeysWith: { first, _ in first })
        let touched = plan.lines.map(\.extension).sorted()
        let state = touched.map { number in
            byExtension[number].map { "\(number):\($0.id):\($0.version)" } ?? "\(number):-"
        }
        return Secrets.sha256Hex(bytes: file) + ":" + Secrets.sha256Hex(state.joined(separator: "\n"))
    }
}

import HotDesk

/// What became of the operation a form asked for. The form's own refusals are here, with their messages beside
/// their fields in the form's `FormErrors`; every other `OperationError` goes on to `Portal.guarded`, which
/// answers it with an error page. Together they are the one place the screens map domain errors.
enum Submission<Value> {
    /// The operation did it.
    case done(Value)
    /// An input cannot be accepted as things stand; its message is in the form's errors.
    case refused
    /// The change needs a confirmation the form did not carry; its message is in the form's errors.
    case unconfirmed
    /// Someone saved meanwhile and nothing changed: show the saved values.
    case stale
}

extension FormErrors {
    /// Runs `operation` for this form, turning its refusals, missing confirmations and lost races into a
    /// `Submission`.
    mutating func submit<Value>(_ operation: () throws -> Value) throws -> Submission<Value> {
        do {
            return .done(try operation())
        } catch OperationError.invalid(let problem) {
            add(problem.field, problem.message)
            return .refused
        } catch OperationError.unconfirmed(let problem) {
            add(problem.field, problem.message)
            return .unconfirmed
        } catch OperationError.staleVersion {
            return .stale
        }
    }
}

/// Why an operation did not do what it was asked, in terms any front end can show: each case knows nothing of
/// HTTP, and each front end maps them to its answers in one place.
public enum OperationError: Error, Sendable, Equatable {
    /// No such install, user, range or account within what the caller may see.
    case notFound
    /// The caller's role may not use this operation.
    case forbidden
    /// Someone else saved the row after the caller read it; nothing was overwritten.
    case staleVersion
    /// One input cannot be accepted as things stand (a SIP domain another install uses, a weak PIN for this
    /// user's extension…): nothing changed.
    case invalid(InputProblem)
    /// The change needs the caller's explicit confirmation, which was not given: nothing changed.
    case unconfirmed(InputProblem)
    /// The email address and password do not match an active account.
    case unauthenticated
    /// Too many failed attempts: the next one is considered after this wait.
    case throttled(retryAfter: Duration)
    /// The database or the password hasher cannot serve right now; trying again later may work.
    case unavailable(Unavailability)
}

/// One input an operation refused, named as the forms and the API name it, and what to do instead.
public struct InputProblem: Sendable, Equatable, CustomStringConvertible {
    /// The input's name (`sip_domain`, `pin`, `confirm_wide`…).
    public let field: String
    /// One sentence telling the user what to enter instead; never a PIN or a password.
    public let message: String

    /// Creates a problem.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Why an operation cannot be served right now.
public enum Unavailability: Sendable, Equatable {
    /// The database cannot be reached.
    case databaseUnreachable
    /// Every database connection stayed in use past the pool's timeout.
    case databaseBusy
    /// A statement ran past the statement timeout (a lock held elsewhere, say).
    case databaseTooSlow
    /// Too many password checks are running at once.
    case passwordChecksBusy

    /// One sentence for the user.
    public var message: String {
        switch self {
        case .databaseUnreachable:
            return "The database cannot be reached right now. Nothing was changed; please try again in a moment."
        case .databaseBusy:
            return "The portal is too busy to answer right now: every database connection is in use. "
                + "Please try again in a moment."
        case .databaseTooSlow:
            return "The database took too long to answer. Please try again in a moment."
        case .passwordChecksBusy:
            return "Too many sign-ins are being checked right now. Please try again."
        }
    }
}

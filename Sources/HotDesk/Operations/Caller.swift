/// Who asks for an operation: the account on whose behalf it runs and, for the audit log, the request and the
/// address it came from. Every operation takes one, checks its permission and scope inside its own transaction,
/// and records the change as made by it.
public struct Caller: Sendable {
    /// The signed-in account.
    public let actor: Actor
    /// The request id, also in the access log and on error pages.
    public let requestID: String?
    /// The client address.
    public let sourceAddress: String?

    /// Creates a caller.
    public init(actor: Actor, requestID: String?, sourceAddress: String?) {
        self.actor = actor
        self.requestID = requestID
        self.sourceAddress = sourceAddress
    }

    /// Who, from where, in which request: for audit events.
    var audit: AuditContext {
        AuditContext(requestID: requestID, actor: actor, sourceAddress: sourceAddress)
    }

    /// Refuses the operation unless the caller's role has `permission`.
    func require(_ permission: Permission) throws(OperationError) {
        guard actor.may(permission) else { throw .forbidden }
    }
}

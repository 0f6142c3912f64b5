import HotDesk
import WebServer

/// A request from a signed-in account, after the session, origin and CSRF checks passed.
struct RequestContext: Sendable {
    /// The request itself.
    let request: Request
    /// The live session.
    let session: Session
    /// The form, parsed and CSRF-checked, for POST requests; empty for GET.
    let form: FormData

    /// The signed-in account.
    var actor: Actor { session.actor }

    /// The account, the request and its address, as every operation takes them.
    var caller: Caller {
        Caller(actor: actor, requestID: request.id, sourceAddress: request.remoteAddress)
    }

    /// An integer path parameter, or a 404 when it is missing or not a number.
    func pathID(_ name: String) throws(HTTPError) -> Int {
        guard let text = request.parameters[name], text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            text.utf8.count <= 18,
            let id = Int(text)
        else { throw .noSuchPage }
        return id
    }
}

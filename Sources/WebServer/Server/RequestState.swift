import Synchronization

/// What the server knows about one request while libmicrohttpd calls back about it.
///
/// Created in the URI log callback, it travels as libmicrohttpd's per-request pointer (retained) and is
/// released in the request-completed callback. libmicrohttpd calls back about one connection from one thread
/// at a time, so the fields it fills need no lock. `@unchecked Sendable`: while a handler thread answers the
/// request, libmicrohttpd leaves the connection suspended and the state untouched; the answer itself passes
/// through a `Mutex`.
final class RequestState: @unchecked Sendable {
    /// The parts of the request known once its header has arrived.
    struct Head {
        let method: HTTPMethod
        let target: RequestTarget
        let headers: HTTPHeaders
    }

    let id = Request.makeID()
    let started = ContinuousClock.now
    /// The request-target exactly as received, not yet percent-decoded.
    let rawTarget: [UInt8]
    /// The method as sent, for the access log (it may be one the server does not know).
    var methodText = ""
    /// The TCP peer's address.
    var peerAddress = ""
    /// The client and scheme, once the header has arrived (the peer until then).
    var origin = RequestOrigin(clientAddress: "", scheme: .http, forwarding: .direct)
    /// The route the router matched, shared with the request it built.
    var route: MatchedRoute?
    /// Nil until the first access-handler call.
    var head: Head?
    var body: [UInt8] = []
    /// The most body bytes accepted for this request's route.
    var maxBodyBytes = 0
    /// How many body bytes have arrived.
    var bodyBytes = 0
    /// Set once the body passed `maxBodyBytes`; the rest is read and dropped, then 413 is sent.
    var bodyTooLarge = false
    /// Reads a `multipart/form-data` body into parts as it arrives (then `body` stays empty).
    var multipart: MultipartReader?
    /// The handler thread's answer, waiting for libmicrohttpd to resume the connection and send it.
    private let answer = Mutex<Response?>(nil)

    /// Keeps the handler thread's answer until the resumed connection sends it.
    func store(_ response: Response) {
        answer.withLock { $0 = response }
    }

    /// The stored answer, once; nil when the handler has not answered yet.
    func takeAnswer() -> Response? {
        answer.withLock { answer in
            defer { answer = nil }
            return answer
        }
    }

    init(rawTarget: [UInt8]) {
        self.rawTarget = rawTarget
    }
}

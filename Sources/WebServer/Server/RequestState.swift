/// What the server knows about one request while libmicrohttpd calls back about it.
///
/// Created in the URI log callback, it travels as libmicrohttpd's per-request pointer (retained) and is
/// released in the request-completed callback. libmicrohttpd calls back about one connection from one thread
/// at a time, so the mutable fields need no lock.
final class RequestState {
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
    var remoteAddress = ""
    /// Nil until the first access-handler call.
    var head: Head?
    var body: [UInt8] = []
    /// Set once the body passed `maxBodyBytes`; the rest is read and dropped, then 413 is sent.
    var bodyTooLarge = false

    init(rawTarget: [UInt8]) {
        self.rawTarget = rawTarget
    }
}

import Logging
import Synchronization

/// The server's shared state that libmicrohttpd's callbacks reach through their context pointer: the
/// responder, the error page, the logger, the handler threads, and the count of requests in flight.
///
/// It exists so the C callbacks stay tiny: they convert pointers and call in here, where the request
/// protocol (head, body chunks, final call) is written in Swift.
final class ServerContext: Sendable {
    let configuration: HTTPServer.Configuration
    let responder: any HTTPResponder
    let errorPage: @Sendable (HTTPError, String, String) -> Response
    let logger: Logger
    /// Requests between the URI log callback and the request-completed callback.
    let inFlight = Atomic<Int>(0)
    /// Set when shutdown begins: responses then carry `Connection: close`.
    let isShuttingDown = Atomic<Bool>(false)
    /// Where responders run, off libmicrohttpd's threads.
    let handlers: HandlerPool
    /// `configuration.bodyLimits` with the patterns parsed once, not on every request.
    private let bodyLimits: [(pattern: RoutePattern, limit: Int)]

    init(
        configuration: HTTPServer.Configuration,
        responder: any HTTPResponder,
        errorPage: @escaping @Sendable (HTTPError, String, String) -> Response,
        logger: Logger
    ) {
        self.configuration = configuration
        self.responder = responder
        self.errorPage = errorPage
        self.logger = logger
        handlers = HandlerPool(threadCount: configuration.threadCount)
        bodyLimits = configuration.bodyLimits.map { (RoutePattern($0.key), max($0.value, configuration.maxBodyBytes)) }
    }

    /// The largest body accepted for `path`: its route's own limit, else the configuration's `maxBodyBytes`.
    func maxBodyBytes(for path: String) -> Int {
        guard !bodyLimits.isEmpty else { return configuration.maxBodyBytes }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return bodyLimits.first { $0.pattern.match(segments) != nil }?.limit ?? configuration.maxBodyBytes
    }

    deinit {
        handlers.close()
    }

    /// A request line has arrived.
    func requestStarted(rawTarget: [UInt8]) -> RequestState {
        inFlight.add(1, ordering: .relaxed)
        return RequestState(rawTarget: rawTarget)
    }

    /// libmicrohttpd is done with a request (answered, failed or timed out).
    func requestCompleted() {
        inFlight.subtract(1, ordering: .releasing)
    }

    /// Handles one access-handler call; `upload` holds the body chunk of this call (empty on the first
    /// and the final call, and on the call after a handler thread answered). Returns false when the
    /// connection must be closed.
    func handle(
        _ connection: Connection,
        methodText: String,
        versionText: String,
        state: RequestState,
        upload: UnsafeRawBufferPointer
    ) -> Bool {
        guard let head = state.head else {
            return receiveHead(connection, methodText: methodText, versionText: versionText, state: state)
        }
        if let answer = state.takeAnswer() {
            return send(answer, state, connection)
        }
        if !upload.isEmpty {
            if !state.bodyTooLarge {
                state.bodyBytes += upload.count
                if state.bodyBytes > state.maxBodyBytes {
                    state.bodyTooLarge = true
                    state.body = []
                    state.multipart = nil
                } else if let multipart = state.multipart {
                    multipart.feed(upload)
                } else {
                    state.body.append(contentsOf: upload)
                }
            }
            return true
        }
        if state.bodyTooLarge {
            return send(errorResponse(bodyTooLargeError(state), state: state), state, connection)
        }
        let parts = state.multipart?.finish() ?? []
        if state.multipart?.isMalformed == true {
            let error = HTTPError(
                status: .badRequest, message: "The uploaded form is malformed (a broken multipart body). Try again.")
            return send(errorResponse(error, state: state), state, connection)
        }
        let request = Request(
            method: head.method,
            path: head.target.path,
            query: head.target.query,
            headers: head.headers,
            body: state.body,
            parts: parts,
            remoteAddress: state.origin.clientAddress,
            peerAddress: state.peerAddress,
            scheme: state.origin.scheme,
            id: state.id)
        state.route = request.route
        respondOnHandlerThread(to: request, state: state, connection: connection)
        return true
    }

    /// Suspends the connection and lets a handler thread answer; the resumed connection sends the answer.
    /// A request that waited longer than `queueTimeout` for a thread is answered 503 without running the
    /// responder: its user has likely given up, and the server is evidently overloaded.
    private func respondOnHandlerThread(to request: Request, state: RequestState, connection: Connection) {
        let suspended = connection.suspend()
        let queued = ContinuousClock.now
        let accepted = handlers.submit { [self] in
            if queued.duration(to: .now) > configuration.queueTimeout {
                state.store(errorResponse(busyError, state: state))
            } else {
                state.store(respond(to: request, state: state))
            }
            suspended.resume()
        }
        if !accepted {
            state.store(errorResponse(busyError, state: state))
            suspended.resume()
        }
    }

    /// The first call for a request: its header is complete. Answers at once (and so closes the connection
    /// without reading a body) when the header is too large, the method unknown, the target malformed, the
    /// framing ambiguous or the announced body too large; otherwise remembers the head and asks for the body.
    private func receiveHead(
        _ connection: Connection,
        methodText: String,
        versionText: String,
        state: RequestState
    ) -> Bool {
        state.methodText = methodText
        state.peerAddress = connection.remoteAddress()
        let headers = connection.requestHeaders()
        state.origin = configuration.trustedProxies.origin(
            peer: state.peerAddress, headers: headers, peerScheme: configuration.tls == nil ? .http : .https)
        switch state.origin.forwarding {
        case .direct, .forwarded: break
        case .ignoredUntrustedPeer:
            logger.debug(
                "Forwarding headers ignored: the peer is not a trusted proxy",
                metadata: ["request_id": "\(state.id)", "peer_address": "\(state.peerAddress)"])
        case .ignoredMalformed:
            logger.debug(
                "Forwarding headers ignored: a trusted proxy sent a malformed value",
                metadata: ["request_id": "\(state.id)", "peer_address": "\(state.peerAddress)"])
        }
        let headBytes =
            methodText.utf8.count + state.rawTarget.count + versionText.utf8.count + 6
            + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        if headBytes > configuration.maxHeaderBytes {
            let error = HTTPError(
                status: .requestHeaderFieldsTooLarge,
                message: "The request header is larger than \(configuration.maxHeaderBytes) bytes.")
            return send(errorResponse(error, state: state), state, connection)
        }
        guard let method = HTTPMethod(rawValue: methodText) else {
            let error = HTTPError(status: .notImplemented, message: "The request method is not supported.")
            return send(errorResponse(error, state: state), state, connection)
        }
        let target: RequestTarget
        do {
            target = try RequestTarget(raw: state.rawTarget)
        } catch {
            return send(errorResponse(error, state: state), state, connection)
        }
        // libmicrohttpd would use the chunked framing, ignore Content-Length and keep the connection open,
        // which a proxy in front that trusts Content-Length would frame differently (request smuggling).
        if headers.contains("Transfer-Encoding"), headers.contains("Content-Length") {
            let error = HTTPError(
                status: .badRequest,
                message: "The request has both Content-Length and Transfer-Encoding.")
            return send(errorResponse(error, state: state), state, connection)
        }
        state.maxBodyBytes = maxBodyBytes(for: target.path)
        if let length = headers["Content-Length"].flatMap({ Int($0) }), length > state.maxBodyBytes {
            return send(errorResponse(bodyTooLargeError(state), state: state), state, connection)
        }
        if let type = headers["Content-Type"], Request.isMultipartContentType(type) {
            state.multipart = connection.multipartReader()
        }
        state.head = RequestState.Head(method: method, target: target, headers: headers)
        return true
    }

    /// The responder's answer, or the error page for what it threw.
    private func respond(to request: Request, state: RequestState) -> Response {
        do {
            return try responder.respond(to: request)
        } catch let error as HTTPError {
            return errorResponse(error, state: state)
        } catch {
            logger.error(
                "Request handler failed: \(error)",
                metadata: ["request_id": "\(state.id)", "error": "\(String(reflecting: error))"])
            let generic = HTTPError(
                status: .internalServerError,
                message: "Something went wrong on our side. Please try again later.")
            return errorResponse(generic, state: state)
        }
    }

    /// The error page for `error`, with the error's status and its headers (replacing the page's own).
    func errorResponse(_ error: HTTPError, state: RequestState) -> Response {
        // Before the head is parsed (an unknown method, say) the raw target stands in for the path.
        var page = errorPage(
            error, state.id, state.head?.target.path ?? String(decoding: state.rawTarget, as: UTF8.self))
        page.status = error.status
        for (name, _) in error.headers {
            page.headers.remove(name)
        }
        for (name, value) in error.headers {
            page.headers.add(name, value)
        }
        return page
    }

    private var busyError: HTTPError {
        let seconds = configuration.queueTimeout.components.seconds
        return HTTPError(
            status: .serviceUnavailable,
            message: "The server is too busy to answer right now. Please try again in a moment.",
            headers: ["Retry-After": "\(max(1, seconds))"])
    }

    private func bodyTooLargeError(_ state: RequestState) -> HTTPError {
        HTTPError(status: .payloadTooLarge, message: "The request body is larger than \(state.maxBodyBytes) bytes.")
    }
}

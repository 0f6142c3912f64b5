import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server on libmicrohttpd that hands each fully read request to a responder.
///
/// It exists so the rest of the program serves HTTP without seeing a C type. Handlers run on a pool of handler
/// threads and may block; libmicrohttpd's own threads only read and write, so a slow handler never stalls
/// other connections. The server answers errors through an error-page closure, adds the configured
/// default headers and an `X-Request-ID` to every response, writes an access log line per request, refuses
/// bodies over the limit with 413, and shuts down gracefully.
public final class HTTPServer: Sendable {
    private enum State {
        case ready
        case running(Daemon)
        case stopped
    }

    private let context: ServerContext
    private let state = Mutex<State>(.ready)

    /// Creates a server; nothing listens until ``start()``.
    ///
    /// - Parameters:
    ///   - responder: answers every request with a known method and a well-formed target.
    ///   - errorPage: renders an ``HTTPError`` (thrown by the responder or raised by the server, such as 413)
    ///     for the request with the given id and path (a JSON API answers its own paths' errors in JSON); the
    ///     server sets the response status to the error's status.
    ///   - logger: receives the access log (info) and handler failures (error).
    public init(
        configuration: Configuration = Configuration(),
        responder: any HTTPResponder,
        errorPage: @escaping @Sendable (HTTPError, _ requestID: String, _ path: String) -> Response =
            HTTPServer.plainTextErrorPage,
        logger: Logger
    ) {
        context = ServerContext(
            configuration: configuration, responder: responder, errorPage: errorPage, logger: logger)
    }

    /// Binds the configured host and port and starts the worker threads.
    ///
    /// - Throws: ``WebServerError`` naming host and port when the address cannot be used (port in use, host
    ///   not an address literal or not on this machine), the configuration is invalid, or the server was
    ///   already started (a server starts once, even after ``shutdown(gracePeriod:)``).
    public func start() throws {
        let configuration = context.configuration
        try state.withLock { state throws(WebServerError) in
            guard case .ready = state else {
                throw WebServerError("The server on \(configuration.host):\(configuration.port) cannot start twice.")
            }
            state = .running(try Daemon(configuration: configuration, context: context))
        }
        context.logger.debug(
            "HTTP server listening on \(configuration.host) port \(port)",
            metadata: ["host": "\(configuration.host)", "port": "\(port)"])
    }

    /// The port the server listens on (useful with port 0), or 0 when it is not running.
    /// The corresponding C function is `MHD_get_daemon_info`.
    public var port: UInt16 {
        state.withLock { state in
            if case .running(let daemon) = state { daemon.port } else { 0 }
        }
    }

    /// The connections open now (0 when not running), for the metrics. The corresponding C function is
    /// `MHD_get_daemon_info`.
    public var openConnectionCount: Int {
        state.withLock { state in
            if case .running(let daemon) = state { daemon.connectionCount } else { 0 }
        }
    }

    /// Stops the server gracefully: refuses new connections at once, lets requests in flight finish for up to
    /// `gracePeriod`, then closes every connection. Returns when the server has stopped; calling it again,
    /// or before ``start()``, does nothing.
    ///
    /// A handler still running when the grace period ends is waited for, since a thread cannot be interrupted.
    /// Call it from the thread that waits for ``TerminationSignal``, never from a handler (it joins the threads
    /// handlers run on).
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        let daemon: Daemon? = state.withLock { state in
            defer { state = .stopped }
            if case .running(let daemon) = state { return daemon } else { return nil }
        }
        guard let daemon else { return }
        let deadline = ContinuousClock.now + gracePeriod
        context.isShuttingDown.store(true, ordering: .relaxed)
        daemon.stopAccepting()
        while context.inFlight.load(ordering: .acquiring) > 0, ContinuousClock.now < deadline {
            usleep(5_000)
        }
        let unfinished = context.inFlight.load(ordering: .acquiring)
        daemon.stop()
        context.logger.debug("HTTP server stopped", metadata: ["unfinished_requests": "\(unfinished)"])
    }

    /// The default error page: the status, the error's message and the request id, as plain text.
    public static func plainTextErrorPage(_ error: HTTPError, requestID: String, path: String) -> Response {
        .text("\(error.status)\n\n\(error.message)\n\nRequest ID: \(requestID)\n", status: error.status)
    }
}

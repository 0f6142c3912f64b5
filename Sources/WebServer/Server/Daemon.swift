import CMicroHTTPD
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running libmicrohttpd daemon, owned by one object and stopped when it is stopped or freed.
///
/// `@unchecked Sendable`: the handle never changes and libmicrohttpd's daemon calls used here may come from
/// any thread; the quiesced listening socket and the stopped flag, the only mutable state, are guarded by a
/// `Mutex`.
final class Daemon: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Retained here because libmicrohttpd holds it only as a raw context pointer.
    private let context: ServerContext
    private let lifecycle = Mutex<(listenSocket: Int32?, isStopped: Bool)>((nil, false))
    /// The port the daemon listens on.
    let port: UInt16

    /// Binds and starts the worker threads. The corresponding C function is `MHD_start_daemon`.
    init(configuration: HTTPServer.Configuration, context: ServerContext) throws(WebServerError) {
        try configuration.validate()
        let hostAndPort =
            configuration.host.contains(":")
            ? "[\(configuration.host)]:\(configuration.port)" : "\(configuration.host):\(configuration.port)"
        guard let address = SocketAddress(host: configuration.host, port: configuration.port) else {
            throw WebServerError("Cannot listen on \(hostAndPort): the host must be an IPv4 or IPv6 address literal.")
        }
        var flags =
            MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue
            | MHD_ALLOW_SUSPEND_RESUME.rawValue
        #if os(Linux)
            flags |= MHD_USE_EPOLL.rawValue
        #else
            flags |= MHD_USE_POLL.rawValue
        #endif
        if address.isIPv6 {
            flags |= MHD_USE_IPv6.rawValue
        }
        let contextPointer = Unmanaged.passUnretained(context).toOpaque()
        errno = 0
        let started = address.withSocketAddressPointer { socketAddress in
            hotdesk_mhd_start(
                flags, socketAddress,
                accessRequested, contextPointer,
                requestCompleted, contextPointer,
                uriReceived, contextPointer,
                // A pool of one is the single internal thread, which libmicrohttpd wants spelled 0.
                UInt32(configuration.eventThreadCount == 1 ? 0 : configuration.eventThreadCount),
                UInt32(configuration.connectionTimeoutSeconds),
                Self.memoryLimit(maxHeaderBytes: configuration.maxHeaderBytes),
                UInt32(configuration.connectionLimit),
                UInt32(configuration.perIPConnectionLimit))
        }
        guard let started else {
            let reason = errno == 0 ? "libmicrohttpd could not start" : String(cString: strerror(errno))
            throw WebServerError("Cannot listen on \(hostAndPort): \(reason).")
        }
        handle = started
        self.context = context
        port = hotdesk_mhd_bound_port(started)
    }

    deinit {
        stop()
    }

    /// Stops accepting connections at once: new connections are refused while open ones carry on.
    /// The corresponding C function is `MHD_quiesce_daemon`.
    func stopAccepting() {
        lifecycle.withLock { lifecycle in
            guard !lifecycle.isStopped, lifecycle.listenSocket == nil else { return }
            let socket = MHD_quiesce_daemon(handle)
            guard socket >= 0 else { return }
            // libmicrohttpd's threads may still hold the descriptor until MHD_stop_daemon, so it is only
            // shut down here (which makes the kernel refuse new connections) and closed in `stop()`.
            shutdown(socket, Int32(SHUT_RDWR))
            lifecycle.listenSocket = socket
        }
    }

    /// Waits for running handlers to return (they resume their connections: libmicrohttpd must not stop with
    /// a connection suspended), then closes every connection and joins the threads. Requests that complete
    /// meanwhile are answered 503. Safe to call more than once. The corresponding C function is `MHD_stop_daemon`.
    func stop() {
        lifecycle.withLock { lifecycle in
            guard !lifecycle.isStopped else { return }
            lifecycle.isStopped = true
            context.handlers.close()
            context.handlers.waitUntilIdle()
            MHD_stop_daemon(handle)
            if let socket = lifecycle.listenSocket {
                close(socket)
            }
        }
    }

    /// The per-connection memory pool for a header limit.
    ///
    /// libmicrohttpd keeps the request line and header fields in this pool (plus about 64 bytes per field)
    /// and builds the response header in what is left; the body only streams through it. Measured with
    /// 0.9.75: with a pool of `limit` bytes a head of about `limit - 184` bytes is answered 431 by
    /// libmicrohttpd, and a head that fits but leaves no room for the response header gets its connection
    /// closed without an answer. The 8 KiB above `maxHeaderBytes` keeps room for the response header of any
    /// head up to the limit (the server itself answers 431 above the limit); normal requests and bodies of
    /// any size work.
    static func memoryLimit(maxHeaderBytes: Int) -> Int {
        maxHeaderBytes + 8192
    }
}

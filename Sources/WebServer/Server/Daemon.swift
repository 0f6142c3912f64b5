import CMicroHTTPD
import Logging
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
    /// libmicrohttpd's error messages, kept alive for the daemon's lifetime.
    private let errorLog: DaemonErrorLog
    /// The PEM texts and priorities, as C strings libmicrohttpd may read until it stops.
    private let tlsStrings: [UnsafeMutablePointer<CChar>]
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
        if configuration.tls != nil, MHD_is_feature_supported(.FEATURE_TLS) != .YES {
            throw WebServerError(
                "Cannot serve HTTPS on \(hostAndPort): this libmicrohttpd was built without TLS (Debian's is built "
                    + "with GnuTLS).")
        }
        let contextPointer = Unmanaged.passUnretained(context).toOpaque()
        let errorLog = DaemonErrorLog(logger: context.logger)
        let tlsTexts = configuration.tls.map { [$0.keyPEM, $0.certificatePEM, TLSCredentials.priorities] } ?? []
        let tlsStrings = tlsTexts.map { text in strdup(text)! }
        errno = 0
        let started = address.withSocketAddressPointer { socketAddress in
            hotdesk_mhd_start(
                flags, errorLog.pointer,
                tlsStrings.isEmpty ? nil : UnsafePointer(tlsStrings[0]),
                tlsStrings.isEmpty ? nil : UnsafePointer(tlsStrings[1]),
                tlsStrings.isEmpty ? nil : UnsafePointer(tlsStrings[2]),
                socketAddress,
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
            for string in tlsStrings { free(string) }
            let messages = errorLog.startMessages()
            if configuration.tls != nil, !messages.isEmpty {
                throw WebServerError(
                    "Cannot serve HTTPS on \(hostAndPort): \(messages.joined(separator: " ")) Check that "
                        + "--tls-certificate and --tls-key are a certificate and its own private key, in PEM.")
            }
            let reason =
                errno == 0
                ? (messages.isEmpty ? "libmicrohttpd could not start" : messages.joined(separator: " "))
                : String(cString: strerror(errno))
            throw WebServerError("Cannot listen on \(hostAndPort): \(reason).")
        }
        errorLog.started()
        handle = started
        self.errorLog = errorLog
        self.tlsStrings = tlsStrings
        self.context = context
        port = hotdesk_mhd_bound_port(started)
    }

    deinit {
        stop()
        for string in tlsStrings { free(string) }
    }

    /// The connections open now. The corresponding C function is `MHD_get_daemon_info`.
    var connectionCount: Int {
        Int(hotdesk_mhd_connection_count(handle))
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

/// Receives libmicrohttpd's error messages: kept while the daemon starts (to explain a failed start, such as a
/// key that does not match its certificate), logged as warnings once it runs (a failed TLS handshake, say).
///
/// `@unchecked Sendable`: the C struct it hands to libmicrohttpd is written once, in `init`; the messages are
/// guarded by a `Mutex`.
final class DaemonErrorLog: @unchecked Sendable {
    private let logger: Logger
    private let state = Mutex<(isRunning: Bool, startMessages: [String])>((false, []))
    private let cStruct: UnsafeMutablePointer<hotdesk_mhd_logger>

    init(logger: Logger) {
        self.logger = logger
        cStruct = .allocate(capacity: 1)
        cStruct.initialize(
            to: hotdesk_mhd_logger(
                log: { context, message in
                    guard let context, let message else { return }
                    Unmanaged<DaemonErrorLog>.fromOpaque(context).takeUnretainedValue().receive(
                        String(cString: message))
                },
                context: nil))
        cStruct.pointee.context = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        cStruct.deallocate()
    }

    /// The struct libmicrohttpd's logger option takes.
    var pointer: UnsafePointer<hotdesk_mhd_logger> { UnsafePointer(cStruct) }

    /// The messages logged before the daemon ran.
    func startMessages() -> [String] {
        state.withLock { $0.startMessages }
    }

    /// From now on messages are logged.
    func started() {
        state.withLock { $0.isRunning = true }
    }

    private func receive(_ message: String) {
        let text = String(message.reversed().drop { $0 == "\n" || $0 == " " }.reversed())
        let isRunning = state.withLock { state in
            if !state.isRunning { state.startMessages.append(text) }
            return state.isRunning
        }
        if isRunning {
            logger.warning("libmicrohttpd: \(text)")
        }
    }
}

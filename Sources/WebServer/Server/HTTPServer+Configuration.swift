#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPServer {
    /// Where the server listens and the limits it enforces on every connection.
    ///
    /// It exists so the executable reads its settings once and hands them down; every property has a
    /// production default.
    public struct Configuration: Sendable {
        /// The IPv4 or IPv6 address literal to listen on ("127.0.0.1", "0.0.0.0", "::1"); not a host name.
        public var host: String
        /// The TCP port; 0 picks a free ephemeral port (read it back from ``HTTPServer/port``).
        public var port: UInt16
        /// The number of threads handlers run on (they may block); libmicrohttpd's own threads, which only
        /// read requests and write responses, are one per core, at most this many.
        public var threadCount: Int
        /// How long a complete request may wait for a free handler thread before it is answered 503.
        public var queueTimeout: Duration
        /// Seconds of inactivity after which a connection is closed (slow or idle clients).
        public var connectionTimeoutSeconds: Int
        /// The largest request body accepted; larger bodies are answered with 413.
        public var maxBodyBytes: Int
        /// Larger bodies for a few routes only (a file upload), by route pattern (`/installs/:id/users/import`):
        /// each raises `maxBodyBytes` for the paths it matches.
        public var bodyLimits: [String: Int] = [:]
        /// The largest request head (request line and header fields, in bytes) accepted; a larger one is answered
        /// 431. libmicrohttpd's per-connection memory pool is this plus 8 KiB: past that, libmicrohttpd itself
        /// answers 431 (or 414 for a long request line).
        public var maxHeaderBytes: Int
        /// The most connections open at once.
        public var connectionLimit: Int
        /// The most connections open at once from one IP address; 0 means no limit.
        public var perIPConnectionLimit: Int
        /// Header fields added to every response the server sends (handler, error, static file, 413) unless
        /// the response already has a field of that name; for example security headers.
        public var defaultHeaders: HTTPHeaders
        /// Path prefixes (such as "/provision/") whose next path segment is a secret, for example a token in
        /// a URL that devices fetch without signing in: the access log writes that segment as `[secret]`.
        public var secretPathPrefixes: [String]
        /// The reverse proxies whose `Forwarded` / `X-Forwarded-*` headers name the client; none by default.
        public var trustedProxies = TrustedProxies()
        /// The certificate and key to speak HTTPS with (TLS 1.2 or newer); nil serves plain HTTP. HTTPS responses
        /// carry `Strict-Transport-Security`.
        public var tls: TLSCredentials?

        /// Handler threads per active CPU core, by default: enough that a few requests waiting on the
        /// database do not leave a core idle.
        public static let threadsPerCore = 4

        /// Creates a configuration; `threadCount` defaults to `threadsPerCore` per active CPU core.
        public init(
            host: String = "127.0.0.1",
            port: UInt16 = 8080,
            threadCount: Int = threadsPerCore * Self.activeCoreCount,
            queueTimeout: Duration = .seconds(5),
            connectionTimeoutSeconds: Int = 15,
            maxBodyBytes: Int = 65_536,
            maxHeaderBytes: Int = 16_384,
            connectionLimit: Int = 1024,
            perIPConnectionLimit: Int = 0,
            defaultHeaders: HTTPHeaders = [:],
            secretPathPrefixes: [String] = []
        ) {
            self.host = host
            self.port = port
            self.threadCount = threadCount
            self.queueTimeout = queueTimeout
            self.connectionTimeoutSeconds = connectionTimeoutSeconds
            self.maxBodyBytes = maxBodyBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.connectionLimit = connectionLimit
            self.perIPConnectionLimit = perIPConnectionLimit
            self.defaultHeaders = defaultHeaders
            self.secretPathPrefixes = secretPathPrefixes
        }

        /// libmicrohttpd's threads: one per core, at most `threadCount`.
        var eventThreadCount: Int { max(1, min(threadCount, Self.activeCoreCount)) }

        /// The number of CPU cores online. The corresponding C function is `sysconf`.
        public static var activeCoreCount: Int {
            max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        }

        /// Checks that libmicrohttpd can run with these values.
        func validate() throws(WebServerError) {
            if threadCount < 1 {
                throw WebServerError("The thread count must be at least 1 (it is \(threadCount)).")
            }
            if connectionLimit < threadCount {
                throw WebServerError(
                    "The connection limit (\(connectionLimit)) must be at least the thread count (\(threadCount)).")
            }
            if connectionTimeoutSeconds < 0 || maxBodyBytes < 0 || maxHeaderBytes < 1 || perIPConnectionLimit < 0 {
                throw WebServerError(
                    "The connection timeout, body limit and per-IP limit cannot be negative, "
                        + "and the header limit must be positive.")
            }
        }
    }
}

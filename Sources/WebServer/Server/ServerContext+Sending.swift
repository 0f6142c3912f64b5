import Logging

extension ServerContext {
    /// Completes a response (default headers, `X-Request-ID`, `Connection: close` while shutting down),
    /// queues it and writes the access log line. Returns false when the connection must be closed.
    func send(_ response: Response, _ state: RequestState, _ connection: Connection) -> Bool {
        var response = completed(response, state: state)
        if let bad = response.headers.first(where: { !Self.isValidField(name: $0.name, value: $0.value) }) {
            logger.error(
                "Response has a header field that cannot be sent: \(bad.name)",
                metadata: ["request_id": "\(state.id)"])
            let error = HTTPError(
                status: .internalServerError,
                message: "Something went wrong on our side. Please try again later.")
            response = completed(errorResponse(error, state: state), state: state)
        }
        let queued = connection.queue(response)
        logAccess(status: response.status, state: state)
        ServerMetrics.record(
            route: state.route?.recorded, method: state.head?.method, status: response.status,
            duration: state.started.duration(to: .now))
        if !queued {
            logger.error("libmicrohttpd refused the response", metadata: ["request_id": "\(state.id)"])
        }
        return queued
    }

    private func completed(_ response: Response, state: RequestState) -> Response {
        var response = response
        let own = response.headers
        for (name, value) in configuration.defaultHeaders where !own.contains(name) {
            response.headers.add(name, value)
        }
        response.headers.replaceOrAdd("X-Request-ID", state.id)
        // Browsers that reached us over HTTPS (here, or at a trusted proxy) keep to HTTPS for a year.
        if state.origin.scheme == .https, !own.contains("Strict-Transport-Security") {
            response.headers.add("Strict-Transport-Security", Self.strictTransportSecurity)
        }
        if isShuttingDown.load(ordering: .relaxed) {
            response.headers.replaceOrAdd("Connection", "close")
        }
        return response
    }

    /// The HSTS policy on HTTPS responses: one year, this host only (subdomains may be other services).
    static let strictTransportSecurity = "max-age=31536000"

    /// Whether a header field can be sent: the name is a token and the value has no CR, LF or NUL.
    private static func isValidField(name: String, value: String) -> Bool {
        let tokenPunctuation = Set("!#$%&'*+-.^_`|~".utf8)
        let nameIsToken =
            !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte.lowercasedASCII)
                    || tokenPunctuation.contains(byte)
            }
        return nameIsToken && !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }

    /// The access line's facts; the peer's address too when a trusted proxy named the client.
    private static func accessMetadata(
        _ state: RequestState, path: String, status: HTTPStatus, milliseconds: String
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "method": "\(state.methodText)",
            "path": "\(path)",
            "status": "\(status.code)",
            "duration_ms": "\(milliseconds)",
            "request_id": "\(state.id)",
            "remote_address": "\(state.origin.clientAddress.isEmpty ? state.peerAddress : state.origin.clientAddress)",
        ]
        if state.origin.forwarding == .forwarded {
            metadata["peer_address"] = "\(state.peerAddress)"
        }
        return metadata
    }

    /// Writes `GET /installs/3/users 200 1.2ms` at info level, with the same facts as metadata.
    private func logAccess(status: HTTPStatus, state: RequestState) {
        let elapsed = state.started.duration(to: .now).components
        let microseconds = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
        let milliseconds = "\(microseconds / 1000).\(microseconds % 1000 / 100)"
        let path = RequestTarget.loggablePath(raw: state.rawTarget, secretPrefixes: configuration.secretPathPrefixes)
        // Both arguments are autoclosures: below info level nothing is formatted.
        logger.info(
            "\(state.methodText) \(path) \(status.code) \(milliseconds)ms",
            metadata: Self.accessMetadata(state, path: path, status: status, milliseconds: milliseconds))
    }
}

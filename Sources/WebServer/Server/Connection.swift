import CMicroHTTPD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A libmicrohttpd connection, borrowed for the length of one callback.
///
/// It exists so the C calls made about a connection sit in one place, each turned into Swift values.
struct Connection {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    /// The request's header fields in the order received; bytes that are not UTF-8 become U+FFFD.
    /// The corresponding C function is `MHD_get_connection_values_n`.
    func requestHeaders() -> HTTPHeaders {
        var headers = HTTPHeaders()
        withUnsafeMutablePointer(to: &headers) { headersPointer in
            _ = MHD_get_connection_values_n(
                handle, .HEADER_KIND,
                { context, _, key, keyLength, value, valueLength in
                    guard let context, let key else { return .YES }
                    let name = String(decoding: UnsafeRawBufferPointer(start: key, count: keyLength), as: UTF8.self)
                    let text = value.map {
                        String(decoding: UnsafeRawBufferPointer(start: $0, count: valueLength), as: UTF8.self)
                    }
                    context.assumingMemoryBound(to: HTTPHeaders.self).pointee.add(name, text ?? "")
                    return .YES
                },
                headersPointer)
        }
        return headers
    }

    /// A reader for this request's `multipart/form-data` body, or nil when libmicrohttpd cannot parse its type.
    func multipartReader() -> MultipartReader? {
        MultipartReader(connection: handle)
    }

    /// The client's IP address as text, or "" when libmicrohttpd does not know it.
    /// The corresponding C function is `MHD_get_connection_info`.
    func remoteAddress() -> String {
        guard let address = hotdesk_mhd_client_address(handle) else { return "" }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let converted: UnsafePointer<CChar>?
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            converted = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                withUnsafePointer(to: ipv4.pointee.sin_addr) { inet_ntop(AF_INET, $0, &text, socklen_t(text.count)) }
            }
        case AF_INET6:
            converted = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                withUnsafePointer(to: ipv6.pointee.sin6_addr) { inet_ntop(AF_INET6, $0, &text, socklen_t(text.count)) }
            }
        default:
            converted = nil
        }
        guard converted != nil else { return "" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends `response` (libmicrohttpd copies the body and leaves it out for HEAD requests). Fields with an
    /// empty value, `Content-Length` and `Transfer-Encoding` are not sent: libmicrohttpd computes the
    /// framing itself. Returns false when libmicrohttpd refuses the response.
    /// The corresponding C function is `MHD_queue_response`.
    func queue(_ response: Response) -> Bool {
        let created = response.body.withUnsafeBytes { body in
            MHD_create_response_from_buffer(
                body.count, UnsafeMutableRawPointer(mutating: body.baseAddress), .RESPMEM_MUST_COPY)
        }
        guard let created else { return false }
        defer { MHD_destroy_response(created) }
        for (name, value) in response.headers where !value.isEmpty {
            if name.equalsIgnoringASCIICase("Content-Length") || name.equalsIgnoringASCIICase("Transfer-Encoding") {
                continue
            }
            guard MHD_add_response_header(created, name, value) == .YES else { return false }
        }
        return MHD_queue_response(handle, UInt32(response.status.code), created) == .YES
    }

    /// Takes the connection out of libmicrohttpd's event loop until ``SuspendedConnection/resume()``, so
    /// that another thread can work out the answer. Call it only from the access callback.
    /// The corresponding C function is `MHD_suspend_connection`.
    func suspend() -> SuspendedConnection {
        MHD_suspend_connection(handle)
        return SuspendedConnection(handle: handle)
    }
}

/// A connection libmicrohttpd has set aside while a handler thread answers its request.
///
/// `@unchecked Sendable`: libmicrohttpd lets any thread resume a suspended connection, and does not free it
/// while it is suspended.
struct SuspendedConnection: @unchecked Sendable {
    fileprivate let handle: OpaquePointer

    /// Hands the connection back to libmicrohttpd, which then calls the access callback again to send the
    /// stored answer. The corresponding C function is `MHD_resume_connection`.
    func resume() {
        MHD_resume_connection(handle)
    }
}

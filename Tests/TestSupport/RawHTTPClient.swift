import Foundation
import Glibc
import WebServer

/// A response read off a socket, split into status, headers and body.
public struct RawResponse: Sendable {
    /// The status line's code.
    public let statusCode: Int
    /// The response headers.
    public let headers: HTTPHeaders
    /// The body, de-chunked.
    public let body: [UInt8]
    /// Every byte the server sent.
    public let raw: [UInt8]

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A deliberately small HTTP client over POSIX sockets: it sends bytes exactly as given and reads until the
/// server closes the connection, so tests can send malformed and oversized requests.
public struct RawHTTPClient {
    /// Why no response was read.
    public enum Failure: Error, Equatable {
        case connect(errno: Int32)
        case malformedResponse(String)
    }

    /// The socket.
    public let descriptor: Int32

    /// Connects to 127.0.0.1 (or `host`) on `port`; receives time out after `timeoutSeconds`.
    public init(port: UInt16, host: String = "127.0.0.1", timeoutSeconds: Int = 10) throws(Failure) {
        let isIPv6 = host.contains(":")
        let descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw .connect(errno: error)
        }
        self.descriptor = descriptor
    }

    /// Sends every byte unless the server closes first; returns whether all were sent.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 {
                return false
            }
            offset += sent
        }
        return true
    }

    /// Sends `bytes` and reads one response.
    @discardableResult
    public func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Reads until the server closes the connection (or resets it, or the receive timeout passes).
    public func readToEnd() -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                return received
            }
            received += buffer[..<count]
        }
    }

    /// Reads exactly one response with a `Content-Length` body and leaves the connection open for the next
    /// request (keep-alive); nil when the server closed or the receive timeout passed before it was complete.
    public func readResponse() -> RawResponse? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            if let end = RawResponse.headerEnd(in: received) {
                let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
                let length =
                    head.components(separatedBy: "\r\n")
                    .first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count >= end + 4 + length { return try? RawResponse(parsing: received) }
            }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                return nil
            }
            received += buffer[..<count]
        }
    }

    /// Closes the socket.
    public func close() {
        Glibc.close(descriptor)
    }

    /// Sends `request` on a new connection and parses what comes back before the server closes it.
    public static func exchange(port: UInt16, _ request: [UInt8], host: String = "127.0.0.1") throws -> RawResponse {
        let client = try RawHTTPClient(port: port, host: host)
        defer { client.close() }
        client.send(request)
        return try RawResponse(parsing: client.readToEnd())
    }

    /// Sends `request` (with "\r\n" line ends) on a new connection and parses the answer.
    public static func exchange(port: UInt16, _ request: String, host: String = "127.0.0.1") throws -> RawResponse {
        try exchange(port: port, Array(request.utf8), host: host)
    }

    /// A GET (or other body-less) request with `Connection: close` and extra header lines.
    public static func request(_ method: String = "GET", _ target: String, headers: [String] = []) -> String {
        (["\(method) \(target) HTTP/1.1", "Host: localhost", "Connection: close"] + headers + ["", ""])
            .joined(separator: "\r\n")
    }

    /// A request with a body and `Content-Length`.
    public static func request(_ method: String, _ target: String, headers: [String] = [], body: [UInt8]) -> [UInt8] {
        let head =
            ([
                "\(method) \(target) HTTP/1.1", "Host: localhost", "Connection: close",
                "Content-Length: \(body.count)",
            ] + headers + ["", ""]).joined(separator: "\r\n")
        return Array(head.utf8) + body
    }
}

extension RawResponse {
    /// Parses the first response in `raw` (status line, header fields, and a `Content-Length` body).
    public init(parsing raw: [UInt8]) throws {
        guard let end = Self.headerEnd(in: raw) else {
            throw RawHTTPClient.Failure.malformedResponse(String(decoding: raw, as: UTF8.self))
        }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let code = Int(statusParts[1]) else {
            throw RawHTTPClient.Failure.malformedResponse(lines[0])
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(
                String(line[..<colon]),
                String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var body = Array(raw[(end + 4)...])
        if let length = headers["Content-Length"].flatMap({ Int($0) }), length <= body.count {
            body = Array(body[..<length])
        }
        self.init(statusCode: code, headers: headers, body: body, raw: raw)
    }

    /// The offset of the blank line (`\r\n\r\n`) that ends a response head, if it has arrived.
    static func headerEnd(in raw: [UInt8]) -> Int? {
        guard raw.count >= 4 else { return nil }
        return (0...(raw.count - 4)).first {
            raw[$0] == 13 && raw[$0 + 1] == 10 && raw[$0 + 2] == 13 && raw[$0 + 3] == 10
        }
    }
}

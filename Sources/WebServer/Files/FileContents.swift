#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole file with POSIX calls, for files read once at start-up (static files, TLS credentials).
enum FileContents {
    /// The bytes of the file at `path`; the error says "The <what> cannot be opened/read: <reason>."
    /// The corresponding C functions are `open` and `read`.
    static func bytes(at path: String, describing what: String) throws(WebServerError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw WebServerError("The \(what) cannot be opened: \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 {
                return bytes
            }
            if count < 0 {
                if errno == EINTR {
                    continue
                }
                throw WebServerError("The \(what) cannot be read: \(String(cString: strerror(errno))).")
            }
            bytes += chunk[..<count]
        }
    }
}

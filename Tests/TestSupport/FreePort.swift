import Glibc

/// Free ports below the kernel's ephemeral range (32768+), for listeners that tests start.
public enum FreePort {
    /// Thrown when 200 random candidates were all taken.
    public struct Exhausted: Error {}

    /// A UDP port that is free on `host`.
    public static func udp(host: String = "127.0.0.1") throws -> UInt16 {
        try find(type: Int32(SOCK_DGRAM.rawValue), host: host)
    }

    /// A TCP port that is free on `host`.
    public static func tcp(host: String = "127.0.0.1") throws -> UInt16 {
        try find(type: Int32(SOCK_STREAM.rawValue), host: host)
    }

    private static func find(type: Int32, host: String) throws -> UInt16 {
        for _ in 0..<200 {
            let candidate = UInt16.random(in: 20_000...32_000)
            let descriptor = socket(AF_INET, type, 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = candidate.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound == 0 { return candidate }
        }
        throw Exhausted()
    }
}

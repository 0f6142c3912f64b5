// libFuzzer target: the forwarding headers a trusted proxy sends (Forwarded, X-Forwarded-For,
// X-Forwarded-Proto) and the CIDR ranges of --trusted-proxies.
//
// Properties: the client the rule picks is the peer or an address named in the headers, never text that is
// not an address; a peer that is not trusted always stays the client; a range that parses prints as text that
// parses back to itself; nothing crashes.
@testable import WebServer

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForwarded(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
    let proxies = TrustedProxies(parsing: "127.0.0.1/32,10.0.0.0/8,fd00::/8")!
    let headers = HTTPHeaders([
        ("Forwarded", lines.count > 1 ? lines[1] : ""), ("X-Forwarded-For", lines[0]),
        ("X-Forwarded-Proto", lines.count > 2 ? lines[2] : "http"),
    ])
    for fields in [headers, HTTPHeaders([("X-Forwarded-For", lines[0])])] {
        let origin = proxies.origin(peer: "127.0.0.1", headers: fields, peerScheme: .http)
        precondition(
            origin.clientAddress == "127.0.0.1" || IPAddress(origin.clientAddress) != nil,
            "the client is not an address")
        if origin.forwarding == .ignoredMalformed { precondition(origin.clientAddress == "127.0.0.1") }
        let untrusted = proxies.origin(peer: "192.0.2.1", headers: fields, peerScheme: .http)
        precondition(untrusted.clientAddress == "192.0.2.1", "an untrusted peer's headers were believed")
    }
    if let range = IPAddressRange(lines[0]) {
        precondition(IPAddressRange(range.description) == range, "a range does not print as itself")
    }
    return 0
}

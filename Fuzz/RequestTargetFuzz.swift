// libFuzzer target: the request-target parser, the access log's path, the `Cookie` header parser and
// the form `Content-Type` check — everything the server reads from a request before a handler runs.
//
// Properties: a parsed target's path starts with "/" and holds no NUL; the logged path is printable
// ASCII whatever the bytes (no forged log lines); cookie names are non-empty and trimmed, and the first
// value of a name is the one the dictionary keeps; nothing crashes.
@testable import WebServer

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let target = try RequestTarget(raw: bytes)
        precondition(target.path.utf8.first == UInt8(ascii: "/"), "a parsed path does not start with /")
        precondition(!target.path.utf8.contains(0), "a parsed path holds NUL")
    } catch {
        precondition(error.status == .badRequest, "a malformed target is not a 400")
    }
    let logged = RequestTarget.loggablePath(raw: bytes)
    precondition(
        logged.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "the logged path holds a control or non-ASCII byte")

    let header = String(decoding: bytes, as: UTF8.self)
    let request = Request(method: .GET, path: "/", headers: HTTPHeaders([("Cookie", header)]))
    for (name, value) in request.cookies {
        precondition(!name.isEmpty, "an empty cookie name")
        precondition(name.trimmingSpacesForFuzzing == name, "a cookie name is not trimmed")
        precondition(request.cookieValues(named: name).first == value, "the first value of a cookie does not win")
    }
    _ = Request.isUTF8FormContentType(header)
    return 0
}

extension String {
    fileprivate var trimmingSpacesForFuzzing: String { String(Substring(self).trimmingSpaces) }
}

import CMicroHTTPD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The functions libmicrohttpd calls. They are top-level (nonisolated) so they may run on libmicrohttpd's
// threads; each turns its pointers back into Swift objects and calls the `ServerContext`.

/// Called once per request when its request line has arrived, with the request-target exactly as sent;
/// the returned state becomes the request's per-request pointer (retained until `requestCompleted`).
func uriReceived(
    context: UnsafeMutableRawPointer?,
    uri: UnsafePointer<CChar>?,
    connection: OpaquePointer?
) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
    let rawTarget = uri.map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? []
    return Unmanaged.passRetained(server.requestStarted(rawTarget: rawTarget)).toOpaque()
}

/// Called for the header, each body chunk and the end of a request; consumes every chunk it is given.
func accessRequested(
    context: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?,
    version: UnsafePointer<CChar>?,
    uploadData: UnsafePointer<CChar>?,
    uploadDataSize: UnsafeMutablePointer<Int>?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let context, let connection, let method, let uploadDataSize, let statePointer = requestContext?.pointee
    else { return .NO }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
    let state = Unmanaged<RequestState>.fromOpaque(statePointer).takeUnretainedValue()
    let upload = UnsafeRawBufferPointer(start: uploadData, count: uploadData == nil ? 0 : uploadDataSize.pointee)
    let keepOpen = server.handle(
        Connection(connection),
        methodText: String(cString: method),
        versionText: version.map { String(cString: $0) } ?? "",
        state: state,
        upload: upload)
    uploadDataSize.pointee = 0
    return keepOpen ? .YES : .NO
}

/// Called once libmicrohttpd is done with a request, however it ended; releases the per-request state.
func requestCompleted(
    context: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    reason: MHD_RequestTerminationCode
) {
    guard let context, let statePointer = requestContext?.pointee else { return }
    requestContext?.pointee = nil
    Unmanaged<RequestState>.fromOpaque(statePointer).release()
    Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue().requestCompleted()
}

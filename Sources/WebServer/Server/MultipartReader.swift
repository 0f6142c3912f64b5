import CMicroHTTPD

/// Reads a `multipart/form-data` body as it arrives, with libmicrohttpd's post processor, into `FormPart`s.
///
/// It owns the post processor and destroys it once, when the body ends (`finish()`) or, for a request that
/// ended early, in `deinit`. libmicrohttpd may hand one value over in several pieces; they are joined here.
final class MultipartReader {
    private var handle: OpaquePointer?
    /// The parts read so far; the last one may still grow.
    private(set) var parts: [FormPart] = []
    /// Set when the post processor refused the body (a malformed part or boundary).
    private(set) var isMalformed = false
    private var pending: (name: String, fileName: String?, contentType: String?, bytes: [UInt8])?

    /// A reader for the body of the request on `connection`, or nil when its `Content-Type` is not
    /// `multipart/form-data` with a boundary. The corresponding C function is `MHD_create_post_processor`.
    init?(connection: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        guard let handle = MHD_create_post_processor(connection, 64 * 1024, multipartValueReceived, context) else {
            return nil
        }
        self.handle = handle
    }

    deinit {
        if let handle { MHD_destroy_post_processor(handle) }
    }

    /// Feeds one chunk of the body. The corresponding C function is `MHD_post_process`.
    func feed(_ chunk: UnsafeRawBufferPointer) {
        guard let handle, let base = chunk.baseAddress, !isMalformed else { return }
        if MHD_post_process(handle, base.assumingMemoryBound(to: CChar.self), chunk.count) != .YES {
            isMalformed = true
        }
    }

    /// Ends the body: the post processor hands over what it still holds and is destroyed; the parts are then
    /// complete. The corresponding C function is `MHD_destroy_post_processor`.
    func finish() -> [FormPart] {
        if let handle {
            if MHD_destroy_post_processor(handle) != .YES { isMalformed = true }
            self.handle = nil
        }
        flush()
        return parts
    }

    /// One piece of a value, at `offset` within it.
    func received(name: String, fileName: String?, contentType: String?, bytes: UnsafeRawBufferPointer, offset: UInt64)
    {
        if offset == 0 || pending?.name != name || pending?.fileName != fileName { flush() }
        if pending == nil { pending = (name, fileName, contentType, []) }
        pending?.bytes.append(contentsOf: bytes)
    }

    private func flush() {
        guard let part = pending else { return }
        parts.append(
            FormPart(name: part.name, fileName: part.fileName, contentType: part.contentType, bytes: part.bytes))
        pending = nil
    }
}

/// libmicrohttpd's post processor calls this with each piece of each value; `context` is the reader.
private func multipartValueReceived(
    context: UnsafeMutableRawPointer?, kind: MHD_ValueKind, key: UnsafePointer<CChar>?,
    fileName: UnsafePointer<CChar>?, contentType: UnsafePointer<CChar>?, transferEncoding: UnsafePointer<CChar>?,
    data: UnsafePointer<CChar>?, offset: UInt64, size: Int
) -> MHD_Result {
    guard let context, let key else { return .YES }
    let reader = Unmanaged<MultipartReader>.fromOpaque(context).takeUnretainedValue()
    reader.received(
        name: String(cString: key), fileName: fileName.map { String(cString: $0) },
        contentType: contentType.map { String(cString: $0) }, bytes: UnsafeRawBufferPointer(start: data, count: size),
        offset: offset)
    return .YES
}

// libFuzzer target: the form and query-string parser (`FormData`, `PercentDecoding`).
//
// Properties: any bytes either parse or are refused with 400; parsed names and values hold no NUL;
// rendering parsed fields and parsing them again gives the same fields; and any text put into a field,
// rendered and parsed, comes back unchanged (or is refused when it holds a NUL).
@testable import WebServer

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormData(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let form = try parse(bytes)
        // The rendering escapes every NUL as %00, so this checks every name and value in one pass.
        precondition(!form.encoded.contains("%00"), "a parsed name or value holds NUL")
        let reparsed = try parse(Array(form.encoded.utf8))
        precondition(reparsed.encoded == form.encoded, "parse(render(form)) differs from form")
        precondition(reparsed.keys == form.keys, "parse(render(form)) has other names")
    } catch {
        precondition(error.status == .badRequest, "a malformed form is not a 400")
    }

    let text = String(decoding: bytes, as: UTF8.self)
    let field = FormData([("field", text), (text, "value")])
    do {
        let parsed = try parse(Array(field.encoded.utf8))
        precondition(!text.utf8.contains(0), "text with NUL was accepted")
        precondition(parsed.encoded == field.encoded, "rendered fields did not parse back to themselves")
        precondition(parsed.values(for: "field").first == text, "a field's text did not round-trip")
        precondition(parsed.values(for: text).last == "value", "a field's name did not round-trip")
    } catch {
        precondition(text.utf8.contains(0), "rendered text was refused")
    }
    return 0
}

/// Parses a form body the way a handler does, through `Request.form()`: a concrete call into the library,
/// whose generic parser is specialized there (a generic call from this module would run unspecialized).
private func parse(_ body: [UInt8]) throws(HTTPError) -> FormData {
    try Request(method: .POST, path: "/", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body)
        .form()
}

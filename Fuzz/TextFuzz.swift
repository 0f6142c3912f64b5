// libFuzzer target: the free-text and name parsers (`BoundedText` through `DisplayName`, `EmailAddress`,
// `SIPDomain`).
//
// Properties: accepted text is trimmed, within its length in characters and scalars, holds no control,
// text-direction or zero-width character, and parses to itself again; an accepted email address and SIP
// domain parse back from their canonical text, and a domain is lowercase ASCII.
@testable import HotDesk

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let name = try? DisplayName(text) {
        precondition(HiddenScalar.first(in: name.text) == nil, "a hidden character was accepted")
        precondition(name.text.count <= 200 && name.text.unicodeScalars.count <= 200, "a name is too long")
        precondition(name.text.first?.isWhitespace == false && name.text.last?.isWhitespace == false, "not trimmed")
        precondition((try? DisplayName(name.text)) == name, "a name does not parse to itself")
    }
    if let email = try? EmailAddress(text) {
        precondition(email.description.utf8.count <= EmailAddress.maximumLength, "an address is too long")
        precondition(HiddenScalar.first(in: email.localPart) == nil, "a hidden character was accepted")
        precondition((try? EmailAddress(email.description)) == email, "an address does not round-trip")
    }
    if let domain = try? SIPDomain(text) {
        precondition(domain.name.utf8.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) }, "not lowercase ASCII")
        precondition((try? SIPDomain(domain.name)) == domain, "a domain does not round-trip")
    }
    return 0
}

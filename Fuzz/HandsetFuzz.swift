// libFuzzer target: the parsers behind the Handsets tab and the provisioning URL (`MACAddress`,
// `ProvisioningToken`, `LineKeyPosition`, `RegistrationExpiry`, `SIPPort`, `HotDeskKeyLabel`) and the
// escaping of values written into a Yealink file (`YealinkFiles.line`).
//
// Properties: an accepted MAC is 12 lowercase hex digits and parses to itself; a token is 43 base64url
// characters; accepted numbers lie in their ranges and were typed as ASCII digits; a key label holds no
// hidden character; and no text written into a file, key or value, can start a second line.
@testable import HotDesk

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandset(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let digitsOnly = ASCIIText.trimmingWhitespace(text).utf8.allSatisfy(ASCIIText.isDigit)
    if let mac = MACAddress(text) {
        precondition(mac.hexDigits.utf8.count == 12, "a MAC is not 12 digits")
        precondition(
            mac.hexDigits.utf8.allSatisfy { ASCIIText.isDigit($0) || (0x61...0x66).contains($0) }, "not lowercase hex")
        precondition(
            MACAddress(mac.hexDigits) == mac && MACAddress(text.uppercased()) == mac, "a MAC does not round-trip")
    }
    if let token = ProvisioningToken(text) {
        precondition(token.text == text && text.utf8.count == ProvisioningToken.length, "a token is not the input")
    }
    for family in HandsetFamily.allCases {
        if let key = try? LineKeyPosition(text, family: family) {
            precondition(digitsOnly && (1...family.lineKeyCount).contains(key.number), "line key out of range")
            precondition(key.fits(family), "an accepted line key does not fit its family")
        }
    }
    if let expiry = try? RegistrationExpiry(text) {
        precondition(digitsOnly && (60...600).contains(expiry.seconds), "expiry out of range")
    }
    if let port = try? SIPPort(text) {
        precondition(digitsOnly && (1...65535).contains(port.number), "port out of range")
    }
    if let label = try? HotDeskKeyLabel(text) {
        precondition(HiddenScalar.first(in: label.text) == nil && label.text.count <= 32, "a bad label was accepted")
    }
    let line = YealinkFiles.line(text, text)
    precondition(
        !line.unicodeScalars.contains { HiddenScalar($0) == .control || $0 == "\u{85}" },
        "a value starts a second line in a provisioning file")
    return 0
}

// libFuzzer target: the parsers behind the Handsets tab and the provisioning URL (`MACAddress`,
// `ProvisioningToken`, `LineKeyPosition`, `RegistrationExpiry`, `SIPPort`, `HotDeskKeyLabel`), the escaping of
// values written into a Yealink file (`YealinkFiles.line`), the handset a User-Agent names (`HandsetIdentity`), a
// registration's source as usrloc keeps it (`SourceEndpoint(received:)`, which reads back from its own text),
// and the login policy's fields (`MaximumLoginTime`, `TimeOfDay`, `TimeZoneName`).
//
// Properties: an accepted MAC is 12 lowercase hex digits and parses to itself, separated or not; a token is 43
// base64url characters; accepted numbers lie in their ranges and were typed as ASCII digits; a key label holds no
// hidden character; no text written into a file, key or value, can start a second line; a User-Agent's MAC is
// one of its words; a time of day and a time zone print as text that parses back to them.
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
    if let separated = MACAddress(separated: text) {
        precondition(MACAddress(separated.colonSeparated.replacingOccurrences(of: ":", with: "")) == separated)
        precondition(
            MACAddress(separated: separated.colonSeparated) == separated, "a separated MAC does not round-trip")
    }
    if let source = SourceEndpoint(received: text) {
        precondition((1...65535).contains(source.port) && !source.address.isEmpty, "a source out of range")
        precondition(
            SourceEndpoint(received: "sip:\(source)") == source, "a source does not read back from its own text")
    }
    let handset = HandsetIdentity(userAgent: text)
    precondition(!handset.summary.isEmpty, "a handset without a summary")
    if let mac = handset.macAddress {
        precondition(
            text.utf8.split(separator: UInt8(ascii: " ")).contains {
                MACAddress(separated: String(decoding: $0, as: UTF8.self))?.colonSeparated == mac
            },
            "a MAC that is not in the User-Agent")
    }
    if let hours = try? MaximumLoginTime(text) {
        precondition(digitsOnly && (1...168).contains(hours.hours), "maximum login time out of range")
    }
    if let time = try? TimeOfDay(text) {
        precondition((0..<24).contains(time.hour) && (0..<60).contains(time.minute), "time of day out of range")
        precondition((try? TimeOfDay(time.description)) == time, "a time of day does not round-trip")
    }
    if let zone = try? TimeZoneName(text) {
        precondition(zone.name.utf8.allSatisfy { $0 < 0x80 } && (1...64).contains(zone.name.utf8.count))
        precondition((try? TimeZoneName(zone.name)) == zone, "a time zone does not round-trip")
    }
    let line = YealinkFiles.line(text, text)
    precondition(
        !line.unicodeScalars.contains { HiddenScalar($0) == .control || $0 == "\u{85}" },
        "a value starts a second line in a provisioning file")
    return 0
}

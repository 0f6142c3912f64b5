// libFuzzer target: the extension and hot desk PIN parsers (`Extension`, `HotDeskPIN`, `FourDigits`).
//
// Properties: an accepted extension or PIN is exactly four ASCII digits equal to the trimmed input; the
// two fields share one syntax (a PIN is refused for its syntax exactly when the extension is); an
// accepted PIN is not weak and not the extension; text with digits from another script gets the
// non-ASCII message; and a generated PIN is never weak.
@testable import HotDesk

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFourDigits(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let trimmed = String(ASCIIText.trimmingWhitespace(text))
    let userExtension = try? Extension("0042")
    let number: Extension?
    do {
        number = try Extension(text)
        precondition(number!.digits == trimmed, "an extension is not the trimmed input")
        precondition(
            number!.digits.utf8.count == 4 && number!.digits.utf8.allSatisfy(ASCIIText.isDigit), "not 4 ASCII digits")
    } catch {
        number = nil
        if ASCIIText.containsNonASCIIDigit(trimmed) {
            precondition(error == .nonASCIIDigits, "digits from another script get another message")
        }
    }
    switch Result(catching: { () throws(HotDeskPINError) in try HotDeskPIN(text, for: userExtension) }) {
    case .success(let pin):
        precondition(number != nil, "a PIN was accepted that is not an extension's syntax")
        precondition(pin.digits == trimmed, "a PIN is not the trimmed input")
        precondition(pin.digits != "0042" && pin.digits != "2400", "the extension or its reverse was accepted")
        precondition(
            HotDeskPINWeakness.of(try! FourDigits(pin.digits), for: userExtension) == nil, "a weak PIN was accepted")
    case .failure(.weak):
        precondition(number != nil, "a PIN with bad syntax was called weak")
    case .failure:
        precondition(number == nil, "a four-digit PIN was refused for its syntax")
    }
    var generator = SplitMix64(seed: bytes.reduce(UInt64(size)) { $0 &* 31 &+ UInt64($1) })
    let generated = HotDeskPIN.generate(for: number, using: &generator)
    precondition(
        HotDeskPINWeakness.of(try! FourDigits(generated.digits), for: number) == nil, "a generated PIN is weak")
    return 0
}

// libFuzzer target: the trusted-range parser (`IPv4Network`) and the address parser (`IPv4Address`).
//
// Properties: a parsed range has no host bits, a prefix 0...32, lies outside 224.0.0.0/3, was typed in
// ASCII, and its canonical text parses back to the same range; every suggestion the errors offer is a
// range that parses and contains what was typed; and every range built from numbers and written out
// canonically parses to itself.
@testable import HotDesk

/// libFuzzer's entry point: one input; returns 0 (a property that fails stops the process).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPv4Network(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let network = try IPv4Network(text: text)
        precondition((0...32).contains(network.prefixLength), "prefix out of range")
        precondition(network.address & ~IPv4Network.mask(network.prefixLength) == 0, "host bits set")
        precondition(!IPv4Network.multicastAndReserved.contains(network), "multicast or reserved range accepted")
        precondition(ASCIIText.trimmingWhitespace(text).unicodeScalars.allSatisfy(\.isASCII), "non-ASCII accepted")
        precondition((try? IPv4Network(text: network.description)) == network, "canonical text does not round-trip")
    } catch {
        switch error {
        case .missingPrefixLength(let suggestion):
            precondition(suggestion.prefixLength == 32, "a single address is not suggested as /32")
            precondition((try? IPv4Network(text: suggestion.description)) == suggestion, "suggestion does not parse")
        case .hostBitsSet(let address, let suggestion):
            precondition(suggestion.contains(address), "suggested range does not contain the address")
            precondition((try? IPv4Network(text: suggestion.description)) == suggestion, "suggestion does not parse")
        default:
            break
        }
    }
    if let address = try? IPv4Address(text: text) {
        precondition((try? IPv4Address(text: address.description)) == address, "address does not round-trip")
    }

    if size >= 5 {
        let value = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let prefixLength = Int(bytes[4] % 33)
        let network = IPv4Network(checkedAddress: value & IPv4Network.mask(prefixLength), prefixLength: prefixLength)
        let text = network.description
        if IPv4Network.multicastAndReserved.contains(network) {
            precondition((try? IPv4Network(text: text)) == nil, "\(text) accepted")
        } else {
            precondition((try? IPv4Network(text: text)) == network, "\(text) does not parse to itself")
        }
    }
    return 0
}

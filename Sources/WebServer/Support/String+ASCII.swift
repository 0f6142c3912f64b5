extension String {
    /// Whether two strings are equal when ASCII letters are compared without case (header names, tokens).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.elementsEqual(other.utf8) { $0.lowercasedASCII == $1.lowercasedASCII }
    }

    /// The string with ASCII letters lower-cased and every other character kept.
    var lowercasedASCII: String {
        String(decoding: utf8.map(\.lowercasedASCII), as: UTF8.self)
    }
}

extension UInt8 {
    /// The byte with an ASCII capital letter turned lower-case.
    var lowercasedASCII: UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) ? self + 32 : self
    }
}

/// The fields of an `application/x-www-form-urlencoded` body or query string, parsed strictly.
///
/// It exists so handlers read form input in one safe way: malformed input is refused with a 400 instead of
/// being guessed at, a field sent twice is noticed, and unexpected fields can be refused by name.
public struct FormData: Sendable {
    private var pairs: [(key: String, value: String)]

    /// Creates form data holding `pairs` in order (for tests and for building requests by hand).
    public init(_ pairs: [(String, String)] = []) {
        self.pairs = pairs.map { (key: $0.0, value: $0.1) }
    }

    /// Parses `key=value&key2=value2`.
    ///
    /// `+` is a space and `%XX` a byte; the decoded bytes must be UTF-8. Empty pairs (`a=1&&b=2`) are
    /// skipped and a pair without `=` has the value "".
    ///
    /// - Throws: 400 when a `%` is not followed by two hexadecimal digits, or a key or value is not UTF-8
    ///   or contains a NUL character.
    public init(parsing bytes: some Collection<UInt8>) throws(HTTPError) {
        pairs = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let rawKey = piece[..<(equals ?? piece.endIndex)]
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? piece[piece.endIndex...]
            guard let key = PercentDecoding.decode(rawKey, plusIsSpace: true),
                let value = PercentDecoding.decode(rawValue, plusIsSpace: true)
            else {
                throw HTTPError(
                    status: .badRequest,
                    message: "The submitted form data is malformed (a bad %-escape or text that is not UTF-8).")
            }
            pairs.append((key: key, value: value))
        }
    }

    /// The fields as `application/x-www-form-urlencoded` text, the inverse of ``init(parsing:)``: letters,
    /// digits, `-`, `.`, `_`, `~` and `/` stay as they are, a space becomes `+` and every other byte of the
    /// UTF-8 text `%XX`. For query strings (`/login?next=/installs/3`) and for building bodies by hand.
    public var encoded: String {
        pairs.map { Self.encode($0.key) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    private static func encode(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".unicodeScalars)
        var output = String.UnicodeScalarView()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                output.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output.append("+")
            default:
                output.append("%")
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(output)
    }

    /// The distinct field names, in the order they first appear.
    public var keys: [String] {
        var seen: Set<String> = []
        return pairs.compactMap { seen.insert($0.key).inserted ? $0.key : nil }
    }

    /// Every value sent for `key`, in order.
    public func values(for key: String) -> [String] {
        pairs.filter { $0.key == key }.map(\.value)
    }

    /// The one value sent for `key`, or nil when the field is absent.
    ///
    /// - Throws: 400 when the field was sent more than once.
    public func value(for key: String) throws(HTTPError) -> String? {
        let values = values(for: key)
        guard values.count <= 1 else {
            throw HTTPError(status: .badRequest, message: "The form field “\(key)” was sent more than once.")
        }
        return values.first
    }

    /// Checks that every field name is in `allowed`.
    ///
    /// - Throws: 400 naming the first field that is not.
    public func requireOnly(_ allowed: Set<String>) throws(HTTPError) {
        if let unknown = pairs.first(where: { !allowed.contains($0.key) }) {
            throw HTTPError(status: .badRequest, message: "The form field “\(unknown.key)” is not expected here.")
        }
    }
}

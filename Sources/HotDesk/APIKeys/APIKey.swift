import Crypto
import Foundation

/// An API key as the key list shows it: what it may do and when it was last used. Never its secret.
public struct APIKey: Sendable, Equatable {
    /// The key's id.
    public let id: Int
    /// What the administrator called it ("HR provisioning").
    public let name: String
    /// Administrator, or manager of `installIDs`.
    public let role: AccountRole
    /// For a manager key, the installs it may touch.
    public let installIDs: [Int]
    /// The secret's first characters, which tell keys apart in lists and logs.
    public let prefix: String
    /// When it stops working by itself, if ever.
    public let expiresAt: Date?
    /// When it was created, and by whom.
    public let createdAt: Date
    /// The email of the administrator who created it.
    public let createdBy: String?
    /// When it was revoked.
    public let revokedAt: Date?
    /// When and from where it was last used (updated at most once a minute per address).
    public let lastUsedAt: Date?
    /// The address of that use.
    public let lastUsedAddress: String?

    /// True while the key authenticates: not revoked and not past its expiry.
    public func isActive(at now: Date = Date()) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

/// The name of an API key: `BoundedText`'s rule, at most 100 characters.
public struct APIKeyName: Sendable, Hashable, CustomStringConvertible {
    /// The rule: the field is called "key name" in messages.
    public static let rule = BoundedText(fieldName: "key name", example: "HR provisioning", maximumLength: 100)

    /// The trimmed text.
    public let text: String

    /// Parses typed text by `rule`.
    public init(_ text: String) throws(BoundedTextError) {
        self.text = try Self.rule.parse(text)
    }

    /// The text itself.
    public var description: String { text }
}

/// An API key's secret: `hdk_` and 256 random bits in base64url. It exists once, in the answer that creates the
/// key; the database keeps only its SHA-256 and its prefix.
public struct APIKeySecret: Sendable, Equatable, CustomStringConvertible {
    /// What every secret starts with, so that secret scanners and people recognise one.
    public static let marker = "hdk_"
    /// The length of a secret: the marker and 43 base64url characters.
    static let length = marker.utf8.count + 43

    /// The secret's text, as the `Authorization: Bearer` header carries it.
    public let text: String

    /// A new random secret.
    static func generate() -> APIKeySecret {
        APIKeySecret(uncheckedText: marker + Secrets.randomToken(byteCount: 32))
    }

    /// The secret presented in a request, when it has a secret's shape; nil otherwise (no lookup is needed to
    /// refuse it).
    public init?(presented text: String) {
        guard text.utf8.count == Self.length, text.hasPrefix(Self.marker),
            text.utf8.dropFirst(Self.marker.utf8.count).allSatisfy(Self.isBase64URL)
        else { return nil }
        self.text = text
    }

    private init(uncheckedText: String) {
        text = uncheckedText
    }

    /// The first 12 characters, kept in the clear to name the key.
    var prefix: String { String(text.prefix(Self.marker.utf8.count + 8)) }

    /// The SHA-256 kept in the database.
    var hash: String { Secrets.sha256Hex(text) }

    /// Only the prefix: a secret never reaches a log through string interpolation.
    public var description: String { prefix + "…" }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

/// A key just created: its list entry and its secret, to be shown once.
public struct CreatedAPIKey: Sendable {
    /// The key as the list shows it.
    public let key: APIKey
    /// The secret; nothing stores it.
    public let secret: APIKeySecret
}

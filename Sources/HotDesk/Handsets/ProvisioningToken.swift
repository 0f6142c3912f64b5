/// The secret in an install's provisioning URL (`/provision/<token>/y000000000000.boot`): 256 random
/// bits as 43 base64url characters.
///
/// It exists so that only text of exactly that shape is stored or looked up. The portal draws the random
/// bytes (libsodium, in the WebServer module) and builds the value here; a guessed token must match
/// the stored SHA-256 (see `HandsetStore.provisioningFetch`).
public struct ProvisioningToken: Sendable, Hashable {
    /// The length of a token: 32 bytes in unpadded base64url.
    public static let length = 43

    /// The 43 characters.
    public let text: String

    /// The token, when `text` is 43 characters `A–Z`, `a–z`, `0–9`, `-` and `_`; nil otherwise.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.length, bytes.allSatisfy(Self.isBase64URL) else { return nil }
        self.text = ASCIIText.string(bytes)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        ASCIIText.isDigit(byte) || ASCIIText.isLowercaseLetter(ASCIIText.lowercased(byte))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}

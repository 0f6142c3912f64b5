/// A PEM certificate chain and its private key, read once at start-up, for serving HTTPS.
///
/// It exists so a missing, unreadable or non-PEM file stops start-up with a message naming the file and the
/// option, before libmicrohttpd (through GnuTLS) checks that the key belongs to the certificate.
public struct TLSCredentials: Sendable {
    /// The certificate, then any intermediate certificates, in PEM.
    public let certificatePEM: String
    /// The private key in PEM (unencrypted).
    public let keyPEM: String

    /// TLS 1.2 and 1.3 only, with GnuTLS's normal cipher suites (a GnuTLS priority string).
    static let priorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

    /// Reads both files.
    ///
    /// - Throws: ``WebServerError`` naming the file and its option when it is missing, unreadable, a folder,
    ///   not text, or holds no PEM block of the expected kind.
    public init(certificateFile: String, keyFile: String) throws(WebServerError) {
        let certificate = "TLS certificate \(certificateFile) (--tls-certificate)"
        let key = "TLS key \(keyFile) (--tls-key)"
        certificatePEM = try Self.pemText(at: certificateFile, describing: certificate)
        keyPEM = try Self.pemText(at: keyFile, describing: key)
        guard certificatePEM.contains("-----BEGIN CERTIFICATE-----") else {
            throw WebServerError("The \(certificate) holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
        }
        if keyPEM.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            throw WebServerError(
                "The \(key) is encrypted with a passphrase, which the portal cannot ask for: store it decrypted "
                    + "(openssl pkey -in KEY -out PLAIN), readable only by the portal's user.")
        }
        let keyHeaders = [
            "-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
        ]
        guard keyHeaders.contains(where: keyPEM.contains) else {
            throw WebServerError("The \(key) holds no PEM private key (-----BEGIN PRIVATE KEY-----).")
        }
    }

    /// Creates credentials from PEM text.
    public init(certificatePEM: String, keyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }

    private static func pemText(at path: String, describing what: String) throws(WebServerError) -> String {
        let bytes = try FileContents.bytes(at: path, describing: what)
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
            throw WebServerError(
                "The \(what) is not PEM text (a DER file? convert it with openssl x509 -inform der or openssl pkey "
                    + "-inform der).")
        }
        return text
    }
}

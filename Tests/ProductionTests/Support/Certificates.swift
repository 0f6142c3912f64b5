import Foundation
import TestSupport

/// Throwaway TLS material made with the real openssl: a self-signed certificate for 127.0.0.1 and its key,
/// and the broken files the start-up checks must refuse.
struct Certificates {
    let folder: String
    var certificate: String { folder + "/cert.pem" }
    var key: String { folder + "/key.pem" }
    /// A key that belongs to another certificate.
    var otherKey: String { folder + "/other-key.pem" }
    /// The key encrypted with a passphrase.
    var encryptedKey: String { folder + "/encrypted-key.pem" }
    /// The certificate in DER, not PEM.
    var derCertificate: String { folder + "/cert.der" }

    init(folder: String) throws {
        self.folder = folder + "/tls"
        try FileManager.default.createDirectory(atPath: self.folder, withIntermediateDirectories: true)
        let log = self.folder + "/openssl.log"
        for (keyFile, certificateFile) in [(key, certificate), (otherKey, self.folder + "/other-cert.pem")] {
            try PrivateCluster.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    keyFile, "-out", certificateFile, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                ],
                log: log)
        }
        try PrivateCluster.run(
            "/usr/bin/openssl", ["pkey", "-in", key, "-aes256", "-passout", "pass:secret", "-out", encryptedKey],
            log: log)
        try PrivateCluster.run(
            "/usr/bin/openssl", ["x509", "-in", certificate, "-outform", "der", "-out", derCertificate], log: log)
    }
}

import Foundation
import TestSupport
import Testing

extension Production {
    /// The portal on its own TLS (libmicrohttpd with GnuTLS) with a throwaway certificate, driven by curl.
    @Suite(.serialized) struct TLSTests {
        @Test func pagesSignInAndProvisioningWorkOverHTTPSWithHSTS() throws {
            let fixture = try ProductionFixture(trustedRange: "127.0.0.0/8")
            let tls = try Certificates(folder: fixture.cluster.folder)
            let port = try FreePort.tcp()
            let base = "https://127.0.0.1:\(port)"
            let portal = try PortalProcess(
                cluster: fixture.cluster,
                options: [
                    "--listen", "127.0.0.1:\(port)", "--tls-certificate", tls.certificate, "--tls-key", tls.key,
                    "--public-url", base,
                ])
            let browser = Curl(folder: fixture.cluster.folder, name: "tls-browser")
            let trust = ["--cacert", tls.certificate]

            let login = try browser(base + "/login", trust)
            #expect(login.status == 200, "\(login.output)")
            #expect(login.headers["Strict-Transport-Security"] == "max-age=31536000")
            #expect(
                login.headers.values(for: "Set-Cookie").contains { $0.hasPrefix("__Host-") && $0.contains("Secure") })

            let signedIn = try browser.signIn(
                base: base, email: fixture.email, password: fixture.password, extra: trust)
            #expect(signedIn.status == 303, "\(signedIn.body)")
            let telephony = try browser(base + "/telephony", trust)
            #expect(telephony.status == 200 && telephony.body.contains("Head Office"))

            let handset = try browser(base + fixture.provisioningPath, trust)
            #expect(handset.status == 200 && handset.body.hasPrefix("#!version:1.0.0.1"), "\(handset.status)")

            let plain = try browser("http://127.0.0.1:\(port)/login")
            #expect(plain.status != 200, "the TLS port does not answer plain HTTP")
            #expect(portal.isRunning)
        }

        @Test func tls11IsRefusedWhileTheClientCanSpeakIt() throws {
            let fixture = try ProductionFixture()
            let tls = try Certificates(folder: fixture.cluster.folder)
            let port = try FreePort.tcp()
            let portal = try PortalProcess(
                cluster: fixture.cluster,
                options: ["--listen", "127.0.0.1:\(port)", "--tls-certificate", tls.certificate, "--tls-key", tls.key])
            defer { withExtendedLifetime(portal) {} }
            let client = Curl(folder: fixture.cluster.folder, name: "tls-versions")
            let tls11 = [
                "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0", "--cacert", tls.certificate,
            ]

            // The same client options against openssl's own server speaking only TLS 1.1: the client can do it.
            let referencePort = try FreePort.tcp()
            let reference = try ChildProcess(
                "/usr/bin/openssl",
                [
                    "s_server", "-accept", "127.0.0.1:\(referencePort)", "-cert", tls.certificate, "-key", tls.key,
                    "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-www", "-quiet",
                ],
                outputPath: tls.folder + "/s_server.log")
            defer { reference.stop() }
            var referenceAnswer = try client("https://127.0.0.1:\(referencePort)/", tls11)
            for _ in 0..<50 where referenceAnswer.exitStatus == 7 {
                Thread.sleep(forTimeInterval: 0.1)
                referenceAnswer = try client("https://127.0.0.1:\(referencePort)/", tls11)
            }
            #expect(referenceAnswer.status == 200, "curl cannot speak TLS 1.1 here: \(referenceAnswer.output)")

            let refused = try client("https://127.0.0.1:\(port)/login", tls11)
            #expect(refused.status == 0 && refused.exitStatus == 35, "TLS 1.1 handshake: \(refused.output)")
            for version in ["1.2", "1.3"] {
                let accepted = try client(
                    "https://127.0.0.1:\(port)/login",
                    ["--tlsv\(version)", "--tls-max", version, "--cacert", tls.certificate])
                #expect(accepted.status == 200, "TLS \(version): \(accepted.output)")
            }
        }

        @Test func startUpRefusesMissingUnreadableMismatchedAndNonPEMFilesWithAClearMessage() throws {
            let fixture = try ProductionFixture()
            let tls = try Certificates(folder: fixture.cluster.folder)
            let cases: [(options: [String], message: String)] = [
                (
                    ["--tls-certificate", tls.folder + "/missing.pem", "--tls-key", tls.key],
                    "The TLS certificate \(tls.folder)/missing.pem (--tls-certificate) cannot be opened: "
                        + "No such file or directory."
                ),
                (
                    ["--tls-certificate", tls.certificate, "--tls-key", tls.folder],
                    "The TLS key \(tls.folder) (--tls-key) cannot be read: Is a directory."
                ),
                (
                    ["--tls-certificate", tls.certificate, "--tls-key", tls.otherKey],
                    "The certificate and the given key do not match."
                ),
                (
                    ["--tls-certificate", tls.derCertificate, "--tls-key", tls.key],
                    "(--tls-certificate) is not PEM text"
                ),
                (
                    ["--tls-certificate", tls.certificate, "--tls-key", tls.encryptedKey],
                    "is encrypted with a passphrase"
                ),
                (["--tls-certificate", tls.certificate], "go together"),
                (
                    ["--tls-certificate", tls.certificate, "--tls-key", tls.key, "--public-url", "http://x.example"],
                    "must start with https://"
                ),
            ]
            for (options, message) in cases {
                let (status, log) = try PortalProcess.startupFailure(cluster: fixture.cluster, options: options)
                #expect(status != 0, "\(options) started")
                #expect(log.contains(message), "\(options): \(log)")
            }
        }
    }
}

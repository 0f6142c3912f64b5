import Foundation
import Glibc
import HotDesk
import PostgresClient
import TestSupport

/// A real Kamailio (Debian's package) running the shipped `Resources/kamailio/kamailio.cfg` against a
/// test database through a registrar role, on a free UDP port of 127.0.0.1, stopped on deinit; `rpc` asks it
/// through kamcmd on its own control socket.
final class KamailioProcess {
    let port: UInt16
    let logPath: String
    private let process: ChildProcess
    private let runtimeFolder: String

    init(
        database: TestDatabase, banSeconds: Int = 300, failureLimit: Int = 5, minimumExpires: Int = 60,
        port: UInt16? = nil
    ) throws {
        let role = try database.makeRegistrarRole()
        self.port = try port ?? FreePort.udp()
        runtimeFolder = NSTemporaryDirectory() + "kamailio-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: runtimeFolder, withIntermediateDirectories: true)
        logPath = runtimeFolder + "/kamailio.log"
        process = try ChildProcess(
            "/usr/sbin/kamailio",
            [
                "-x", "tlsf", "-f", TestPostgres.repositoryRoot + "/Resources/kamailio/kamailio.cfg", "-DD", "-E",
                "-Y", runtimeFolder, "-l", "udp:127.0.0.1:\(self.port)",
                "-A", "DBURL=\"\(role.url)\"", "-A", "SQLCON=\"registrar=>\(role.url)\"",
                "-A", "AUTH_BAN_SECONDS=\(banSeconds)", "-A", "AUTH_FAILURE_LIMIT=\(failureLimit)",
                "-A", "CTL_SOCKET=\"unix:\(runtimeFolder)/ctl\"", "-A", "MIN_EXPIRES=\(minimumExpires)",
            ],
            outputPath: logPath)
        try waitUntilAnswering()
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: runtimeFolder)
    }

    /// Sends OPTIONS until Kamailio answers 200 (it answers once its children are up), for up to 15 s.
    private func waitUntilAnswering() throws {
        let deadline = Date(timeIntervalSinceNow: 15)
        while Date() < deadline {
            guard process.isRunning else { throw RegistrarTestError.kamailioExited(log()) }
            if UDPProbe.options(port: port)?.hasPrefix("SIP/2.0 200") == true { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw RegistrarTestError.kamailioExited(log())
    }

    /// Kamailio's answer to an RPC through kamcmd (`ul.lookup location 1001@pbx.example`), error text included.
    func rpc(_ arguments: String...) throws -> String {
        let output = runtimeFolder + "/rpc-" + UUID().uuidString
        let kamcmd = try ChildProcess(
            "/usr/sbin/kamcmd", ["-s", "unix:\(runtimeFolder)/ctl"] + arguments, outputPath: output)
        _ = kamcmd.wait()
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// Stops Kamailio now (deinit does it too).
    func stop() {
        process.stop()
    }

    /// What Kamailio logged so far.
    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }
}

/// One hot desk login attempt by sipp (Debian's sip-tester), from a chosen loopback source address.
struct SippLogin {
    /// The scenario files in Resources/kamailio/sipp.
    enum Expectation: String {
        /// 401, then 200 with the PIN.
        case accepted = "register-accepted.xml"
        /// 401, then 401 again: the digest did not match a subscriber.
        case refused = "register-refused.xml"
        /// 403 before any challenge (a banned address or operator).
        case forbidden = "register-forbidden.xml"
        /// 401, then 403 with the PIN (an untrusted source, an ended registration, a second login refused).
        case forbiddenAfterPIN = "register-forbidden-after-pin.xml"
    }

    let extensionNumber: String
    let domain: String
    let pin: String
    var source = "127.0.0.1"
    var expires = 3600
    /// The handset's source port: one handset, one port (its Contact); nil picks a free one.
    var port: UInt16?
    /// The registration's Call-ID: the same one refreshes a registration, a new one is a new login; nil
    /// lets sipp make a fresh one.
    var callID: String?
    /// The first REGISTER's CSeq (the second is one more); a refresh must rise above the last one sent.
    var cseq = 1
    var userAgent = "Yealink SIP-T46U 108.86.0.20 80:5e:c0:11:22:33"

    /// Runs sipp for one login; returns whether the exchange went exactly as `expectation` describes,
    /// and every SIP message it saw.
    func run(
        against kamailio: KamailioProcess, expecting expectation: Expectation
    ) throws -> (matched: Bool, messages: String) {
        let folder = NSTemporaryDirectory() + "sipp-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fields = [
            extensionNumber, domain, "[authentication username=\(extensionNumber) password=\(pin)]", String(expires),
            String(cseq), String(cseq + 1), userAgent,
        ]
        try "SEQUENTIAL\n\(fields.joined(separator: ";"))\n".write(
            toFile: folder + "/login.csv", atomically: true, encoding: .utf8)
        let sipp = try ChildProcess(
            "/usr/bin/sipp",
            [
                "127.0.0.1:\(kamailio.port)", "-sf",
                TestPostgres.repositoryRoot + "/Resources/kamailio/sipp/" + expectation.rawValue,
                "-inf", folder + "/login.csv", "-m", "1", "-i", source, "-p",
                String(try port ?? FreePort.udp(host: source)),
                "-recv_timeout", "4000", "-timeout", "20", "-trace_msg", "-message_file", folder + "/messages.log",
            ] + (callID.map { ["-cid_str", $0] } ?? []),
            outputPath: folder + "/sipp.out")
        let status = sipp.wait()
        let messages = (try? String(contentsOfFile: folder + "/messages.log", encoding: .utf8)) ?? ""
        return (status == 0, messages)
    }
}

enum RegistrarTestError: Error {
    case kamailioExited(String)
}

/// A single SIP OPTIONS over UDP, to see whether Kamailio is up.
enum UDPProbe {
    static func options(port: UInt16) -> String? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let branch = "z9hG4bK" + UUID().uuidString.prefix(8)
        let message = [
            "OPTIONS sip:127.0.0.1:\(port) SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:9;branch=\(branch);rport",
            "From: <sip:probe@127.0.0.1>;tag=1", "To: <sip:127.0.0.1>", "Call-ID: \(UUID().uuidString)",
            "CSeq: 1 OPTIONS", "Max-Forwards: 70", "Content-Length: 0", "", "",
        ].joined(separator: "\r\n")
        let sent = message.withCString { text in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, text, strlen(text), 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

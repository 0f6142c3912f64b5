import Foundation
import Glibc
import HotDesk
import PostgresClient
import TestSupport

/// A real Kamailio (Debian's package) running the shipped `Resources/kamailio/kamailio.cfg` against a
/// test database through a registrar role, on a free UDP port of 127.0.0.1, stopped on deinit; `rpc` asks it
/// through kamcmd on its own control socket.
public final class KamailioProcess {
    /// Its SIP port on 127.0.0.1 (UDP).
    public let port: UInt16
    /// Where its output goes.
    public let logPath: String
    private let process: ChildProcess
    private let runtimeFolder: String

    /// Kamailio on a test database of the shared cluster, through a registrar role made for it.
    public convenience init(
        database: TestDatabase, banSeconds: Int = 300, failureLimit: Int = 5, minimumExpires: Int = 60,
        historyDays: Int = 90, port: UInt16? = nil
    ) throws {
        let role = try database.makeRegistrarRole()
        try self.init(
            databaseURL: role.url, banSeconds: banSeconds, failureLimit: failureLimit, minimumExpires: minimumExpires,
            historyDays: historyDays, port: port)
    }

    /// Kamailio writing its state through `databaseURL` and, when `readerURL` is given, asking the verdict
    /// through that one (a standby's: `-A 'READCON="reader=>…"'`); `floodLimit` is pike's requests per source
    /// address in 2 s.
    public init(
        databaseURL: String, readerURL: String? = nil, banSeconds: Int = 300, failureLimit: Int = 5,
        minimumExpires: Int = 60, historyDays: Int = 90, floodLimit: Int = 40, port: UInt16? = nil
    ) throws {
        self.port = try port ?? FreePort.udp()
        runtimeFolder = NSTemporaryDirectory() + "kamailio-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: runtimeFolder, withIntermediateDirectories: true)
        logPath = runtimeFolder + "/kamailio.log"
        process = try ChildProcess(
            "/usr/sbin/kamailio",
            [
                "-x", "tlsf", "-f", TestPostgres.repositoryRoot + "/Resources/kamailio/kamailio.cfg", "-DD", "-E",
                "-Y", runtimeFolder, "-l", "udp:127.0.0.1:\(self.port)",
                "-A", "DBURL=\"\(databaseURL)\"", "-A", "SQLCON=\"registrar=>\(databaseURL)\"",
                "-A", "AUTH_BAN_SECONDS=\(banSeconds)", "-A", "AUTH_FAILURE_LIMIT=\(failureLimit)",
                "-A", "CTL_SOCKET=\"unix:\(runtimeFolder)/ctl\"", "-A", "MIN_EXPIRES=\(minimumExpires)",
                "-A", "HISTORY_DAYS=\(historyDays)", "-A", "PIKE_DENSITY=\(floodLimit)",
            ] + (readerURL.map { ["-A", "READCON=\"reader=>\($0)\""] } ?? []),
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
    public func rpc(_ arguments: String...) throws -> String {
        let output = runtimeFolder + "/rpc-" + UUID().uuidString
        let kamcmd = try ChildProcess(
            "/usr/sbin/kamcmd", ["-s", "unix:\(runtimeFolder)/ctl"] + arguments, outputPath: output)
        _ = kamcmd.wait()
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// Stops Kamailio now (deinit does it too).
    public func stop() {
        process.stop()
    }

    /// What Kamailio logged so far.
    public func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }
}

/// One hot desk login attempt by sipp (Debian's sip-tester), from a chosen loopback source address.
public struct SippLogin {
    /// The scenario files in Resources/kamailio/sipp.
    public enum Expectation: String, Sendable {
        /// 401, then 200 with the PIN.
        case accepted = "register-accepted.xml"
        /// 401, then 401 again: the digest did not match a subscriber.
        case refused = "register-refused.xml"
        /// 403 before any challenge (a banned address or operator).
        case forbidden = "register-forbidden.xml"
        /// 401, then 403 with the PIN (an untrusted source, an ended registration, a second login refused).
        case forbiddenAfterPIN = "register-forbidden-after-pin.xml"
    }

    /// The operator's extension, the username the handset sends.
    public let extensionNumber: String
    /// The install's SIP domain (the To domain).
    public let domain: String
    /// The Hot Desk PIN typed on the handset.
    public let pin: String
    /// The loopback address sipp sends from.
    public var source: String
    /// The registration time the handset asks for.
    public var expires: Int
    /// The handset's source port: one handset, one port (its Contact); nil picks a free one.
    public var port: UInt16?
    /// The registration's Call-ID: the same one refreshes a registration, a new one is a new login; nil
    /// lets sipp make a fresh one.
    public var callID: String?
    /// The first REGISTER's CSeq (the second is one more); a refresh must rise above the last one sent.
    public var cseq: Int
    /// The handset's User-Agent header.
    public var userAgent: String

    /// One login attempt; see the properties.
    public init(
        extensionNumber: String, domain: String, pin: String, source: String = "127.0.0.1", expires: Int = 3600,
        port: UInt16? = nil, callID: String? = nil, cseq: Int = 1,
        userAgent: String = "Yealink SIP-T46U 108.86.0.20 80:5e:c0:11:22:33"
    ) {
        self.extensionNumber = extensionNumber
        self.domain = domain
        self.pin = pin
        self.source = source
        self.expires = expires
        self.port = port
        self.callID = callID
        self.cseq = cseq
        self.userAgent = userAgent
    }

    /// Runs sipp for one login; returns whether the exchange went exactly as `expectation` describes,
    /// and every SIP message it saw.
    public func run(
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

/// Many logins by sipp at a steady rate, each a new Call-ID (a new login that replaces the operator's last), in
/// the background while a test breaks something; ``finish()`` waits for sipp and says how many went through.
public final class SippLoad {
    private let child: ChildProcess
    private let folder: String

    /// Starts `count` logins like `login` (its source, operator and PIN), `perSecond` a second.
    public init(_ login: SippLogin, count: Int, perSecond: Int, against kamailio: KamailioProcess) throws {
        folder = NSTemporaryDirectory() + "sipp-load-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let line = [
            login.extensionNumber, login.domain,
            "[authentication username=\(login.extensionNumber) password=\(login.pin)]", String(login.expires), "1",
            "2", login.userAgent,
        ].joined(separator: ";")
        try ("SEQUENTIAL\n" + String(repeating: line + "\n", count: count)).write(
            toFile: folder + "/logins.csv", atomically: true, encoding: .utf8)
        child = try ChildProcess(
            "/usr/bin/sipp",
            [
                "127.0.0.1:\(kamailio.port)", "-sf",
                TestPostgres.repositoryRoot + "/Resources/kamailio/sipp/register-accepted.xml",
                "-inf", folder + "/logins.csv", "-m", String(count), "-r", String(perSecond), "-l", "20",
                "-i", login.source, "-p", String(try FreePort.udp(host: login.source)), "-recv_timeout", "4000",
                "-timeout", "120", "-trace_stat", "-stf", folder + "/stat.csv",
            ],
            outputPath: folder + "/sipp.out")
    }

    deinit {
        child.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Waits for sipp; the logins accepted and those that failed (any other answer, or none), from its
    /// statistics file's last line.
    public func finish() -> (accepted: Int, failed: Int) {
        _ = child.wait()
        let lines = ((try? String(contentsOfFile: folder + "/stat.csv", encoding: .utf8)) ?? "")
            .split(separator: "\n")
        guard let header = lines.first?.split(separator: ";", omittingEmptySubsequences: false),
            let last = lines.last?.split(separator: ";", omittingEmptySubsequences: false),
            let accepted = header.firstIndex(of: "SuccessfulCall(C)"),
            let failed = header.firstIndex(of: "FailedCall(C)"), last.count > max(accepted, failed)
        else { return (0, -1) }
        return (Int(last[accepted]) ?? 0, Int(last[failed]) ?? -1)
    }
}

/// Why a registrar test could not run.
public enum RegistrarTestError: Error {
    case kamailioExited(String)
}

/// A single SIP OPTIONS over UDP, to see whether Kamailio is up.
public enum UDPProbe {
    /// Kamailio's answer to one OPTIONS on `port`, or nil when none came within 300 ms.
    public static func options(port: UInt16) -> String? {
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

extension PrivateCluster {
    /// A registrar login role made on this cluster (a primary) as `hotdesk registrar-role` makes it, and a
    /// Kamailio database URL for it over the TCP ports of `clusters`, in that order: its database part is a libpq
    /// connection string (Kamailio's db_postgres expands it), so Kamailio connects to the first of them whose
    /// server matches `target` (`read-write` for its writes, `prefer-standby` for the verdict).
    public func makeRegistrarRole() throws -> (name: String, password: String) {
        let name = "registrar_\(UInt32.random(in: 0...UInt32.max))"
        let password = "pw" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try RegistrarRole(name: name).apply(password: password, on: superuserConnection())
        return (name, password)
    }

    /// See ``makeRegistrarRole()``.
    public static func kamailioURL(
        role: (name: String, password: String), over clusters: [PrivateCluster], target: String
    ) -> String {
        "postgres://\(role.name):\(role.password)@127.0.0.1/dbname=hotdesk host="
            + clusters.map { _ in "127.0.0.1" }.joined(separator: ",") + " port="
            + clusters.map { String($0.port) }.joined(separator: ",") + " target_session_attrs=\(target)"
    }
}

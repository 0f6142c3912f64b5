import Foundation
import TestSupport
import WebServer

/// One HTTP exchange made with the real curl, so that a test can pick the source address (`--interface`), speak
/// TLS with a throwaway certificate, or pin the TLS version, none of which the raw socket client does.
struct Curl {
    /// What curl got: the status, the header fields and the body (status 0 when no response arrived).
    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let body: String
        /// curl's exit status and what it printed (an error, for a refused handshake).
        let exitStatus: Int32
        let output: String
    }

    /// The folder for the body, header and cookie files.
    let folder: String
    /// The cookie jar, so that a sequence of calls is one browser.
    let cookieJar: String
    /// The source address to connect from, for example 127.0.0.2 (loopback accepts the whole 127/8).
    let sourceAddress: String?

    init(folder: String, name: String, sourceAddress: String? = nil) {
        self.folder = folder
        cookieJar = folder + "/\(name).cookies"
        self.sourceAddress = sourceAddress
    }

    /// Runs curl for `url` with `arguments` (method, data, headers, TLS options).
    func callAsFunction(_ url: String, _ arguments: [String] = []) throws -> Answer {
        let id = UUID().uuidString.prefix(8)
        let bodyFile = folder + "/curl-\(id).body"
        let headerFile = folder + "/curl-\(id).headers"
        let outputFile = folder + "/curl-\(id).out"
        defer {
            for file in [bodyFile, headerFile, outputFile] { try? FileManager.default.removeItem(atPath: file) }
        }
        var all = ["-sS", "--max-time", "20", "-o", bodyFile, "-D", headerFile, "-b", cookieJar, "-c", cookieJar]
        if let sourceAddress { all += ["--interface", sourceAddress] }
        let child = try ChildProcess("/usr/bin/curl", all + arguments + [url], outputPath: outputFile)
        let exitStatus = child.wait()
        let headerText = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        var status = 0
        var headers = HTTPHeaders()
        // With a 100 Continue or a redirect there may be several heads: keep the last.
        for line in headerText.components(separatedBy: "\r\n") {
            if line.hasPrefix("HTTP/") {
                status = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
                headers = HTTPHeaders()
            } else if let colon = line.firstIndex(of: ":") {
                headers.add(
                    String(line[..<colon]),
                    String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
        }
        return Answer(
            status: status, headers: headers, body: (try? String(contentsOfFile: bodyFile, encoding: .utf8)) ?? "",
            exitStatus: exitStatus, output: (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "")
    }

    /// The value of cookie `name` in the jar.
    func cookie(_ name: String) -> String? {
        let jar = (try? String(contentsOfFile: cookieJar, encoding: .utf8)) ?? ""
        for line in jar.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count >= 7, fields[5] == name { return String(fields[6]) }
        }
        return nil
    }

    /// Signs in through the form at `base` (`http://127.0.0.1:8080`), sending `origin` as the browser would;
    /// returns the POST's answer (303 when signed in).
    func signIn(
        base: String, origin: String? = nil, email: String, password: String, extra: [String] = []
    ) throws
        -> Answer
    {
        let form = try self(base + "/login", extra)
        guard form.status == 200 else { return form }
        let cookieName =
            form.headers.values(for: "Set-Cookie").first { $0.contains("hotdesk_signin=") }
            .flatMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) } ?? "hotdesk_signin"
        let token = cookie(cookieName) ?? ""
        let body = FormData([("email", email), ("password", password), ("_csrf", token)]).encoded
        return try self(
            base + "/login", extra + ["-X", "POST", "-H", "Origin: \(origin ?? base)", "--data-binary", body])
    }
}

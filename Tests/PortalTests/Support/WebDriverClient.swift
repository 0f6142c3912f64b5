import Foundation
import Glibc
import TestSupport

/// A very small WebDriver client: it starts Debian's `chromedriver` on a free port, opens one headless
/// Chromium session, and speaks the W3C WebDriver protocol (JSON over HTTP) through `RawHTTPClient`,
/// so the browser test needs no HTTP library beyond what the tests already have.
final class WebDriverClient {
    /// Why the browser could not be driven.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The key under which WebDriver returns an element reference.
    private static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    private let driver: Process
    private let port: UInt16
    private let profile: String
    /// Where the browser saves downloads, without asking.
    let downloads: String
    private var sessionID = ""

    /// Starts `chromedriver` and a headless Chromium (`--no-sandbox`, as root needs) of `width`×`height`.
    init(
        chromium: String = "/usr/bin/chromium", chromedriver: String = "/usr/bin/chromedriver", width: Int = 1280,
        height: Int = 900
    ) throws {
        for binary in [chromium, chromedriver] where !FileManager.default.isExecutableFile(atPath: binary) {
            throw Failure(
                description: "\(binary) is missing: install chromium and chromium-driver (scripts/install-deps.sh test)"
            )
        }
        port = try Self.freePort()
        profile = NSTemporaryDirectory() + "hotdesk-chromium-" + UUID().uuidString
        downloads = profile + "-downloads"
        try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: chromedriver)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        try waitUntilReady()
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": chromium,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=\(width),\(height)", "--user-data-dir=\(profile)",
                        ],
                        "prefs": [
                            "download.default_directory": downloads, "download.prompt_for_download": false,
                        ],
                    ],
                ]
            ]
        ]
        let created = try command("POST", "/session", capabilities)
        guard let id = (created["value"] as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "no session id: \(created)")
        }
        sessionID = id
        // Finding an element waits for it, since a click may return before the page it loads is ready; an
        // asynchronous script (an accessibility check of a long page) may take a while.
        _ = try command("POST", "/session/\(id)/timeouts", ["implicit": 10_000, "script": 60_000])
    }

    deinit {
        if !sessionID.isEmpty { _ = try? command("DELETE", "/session/\(sessionID)", nil) }
        // chromedriver does not always stop on SIGTERM.
        kill(driver.processIdentifier, SIGKILL)
        driver.waitUntilExit()
        try? FileManager.default.removeItem(atPath: profile)
        try? FileManager.default.removeItem(atPath: downloads)
    }

    /// The file the browser downloaded as `name`, once it is complete (at most 10 s).
    func downloaded(_ name: String) throws -> Data {
        let path = downloads + "/" + name
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: path), !data.isEmpty { return data }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(
            description:
                "no download \(name) in \(downloads): \((try? FileManager.default.contentsOfDirectory(atPath: downloads)) ?? [])"
        )
    }

    /// Opens `url` and waits for the page to load.
    func open(_ url: String) throws {
        _ = try command("POST", "/session/\(sessionID)/url", ["url": url])
    }

    /// The current page's URL.
    func currentURL() throws -> String {
        try command("GET", "/session/\(sessionID)/url", nil)["value"] as? String ?? ""
    }

    /// The current page's HTML.
    func source() throws -> String {
        try command("GET", "/session/\(sessionID)/source", nil)["value"] as? String ?? ""
    }

    /// Whether, within `seconds` (ten by default), the page's HTML contains `text` (a click may return before the
    /// page it loads is ready).
    func pageContains(_ text: String, within seconds: Int = 10) throws -> Bool {
        for _ in 0..<(seconds * 10) {
            if try source().contains(text) { return true }
            usleep(100_000)
        }
        return false
    }

    /// Clears the field matching the CSS `selector` and types `text` into it.
    func type(_ text: String, into selector: String) throws {
        let element = try find(selector)
        _ = try command("POST", "/session/\(sessionID)/element/\(element)/clear", [:])
        _ = try command("POST", "/session/\(sessionID)/element/\(element)/value", ["text": text])
    }

    /// Clicks the element matching the CSS `selector` (and waits for a page it loads).
    func click(_ selector: String) throws {
        _ = try command("POST", "/session/\(sessionID)/element/\(try find(selector))/click", [:])
    }

    /// Resizes the window, to look at a page as a phone (375 px) or a desktop shows it.
    func resize(width: Int, height: Int) throws {
        _ = try command("POST", "/session/\(sessionID)/window/rect", ["width": width, "height": height])
    }

    /// Deletes every cookie of the current site: the browser is signed out.
    func deleteCookies() throws {
        _ = try command("DELETE", "/session/\(sessionID)/cookie", nil)
    }

    /// Runs `script` (a function body; `arguments[0]`… are `arguments`) in the current page and returns its
    /// result as JSON values. WebDriver's scripts are not subject to the page's Content-Security-Policy.
    @discardableResult
    func execute(_ script: String, _ arguments: [Any] = []) throws -> Any? {
        try command("POST", "/session/\(sessionID)/execute/sync", ["script": script, "args": arguments])["value"]
    }

    /// Runs `script` in the current page and returns the value it passes to its callback, the last argument
    /// (`arguments[arguments.length - 1]`), waiting for it at most a minute.
    func executeAsync(_ script: String, _ arguments: [Any] = []) throws -> Any? {
        try command("POST", "/session/\(sessionID)/execute/async", ["script": script, "args": arguments])[
            "value"]
    }

    /// Saves a PNG of the viewport to `path`.
    func screenshot(to path: String) throws {
        guard let base64 = try command("GET", "/session/\(sessionID)/screenshot", nil)["value"] as? String,
            let png = Data(base64Encoded: base64)
        else { throw Failure(description: "no screenshot") }
        try png.write(to: URL(fileURLWithPath: path))
    }

    private func find(_ selector: String) throws -> String {
        let found = try command("POST", "/session/\(sessionID)/element", ["using": "css selector", "value": selector])
        guard let element = (found["value"] as? [String: Any])?[Self.elementKey] as? String else {
            throw Failure(description: "no element matches \(selector) on \(try currentURL())")
        }
        return element
    }

    /// Sends one WebDriver command; a WebDriver error (`value.error`) becomes a `Failure`.
    private func command(_ method: String, _ path: String, _ body: [String: Any]?) throws -> [String: Any] {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let request = RawHTTPClient.request(
            method, path, headers: ["Content-Type: application/json; charset=utf-8"], body: Array(payload))
        let client = try RawHTTPClient(port: port, timeoutSeconds: 60)
        defer { client.close() }
        client.send(request)
        let response = try Self.readResponse(from: client)
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        if let value = json["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "\(method) \(path): \(error): \(value["message"] ?? "")")
        }
        return json
    }

    /// Reads one response, complete once its `Content-Length` bytes arrived: chromedriver answers
    /// `Connection: close` but may keep the socket open, so reading until it closes would wait.
    private static func readResponse(from client: RawHTTPClient) throws -> RawResponse {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expectedLength: Int?
        while expectedLength.map({ received.count < $0 }) ?? true {
            let count = buffer.withUnsafeMutableBytes { recv(client.descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[..<count]
            if expectedLength == nil, let head = headerLength(received) {
                let headers = try RawResponse(parsing: Array(received[..<head]))
                expectedLength = head + (headers.headers["Content-Length"].flatMap { Int($0) } ?? 0)
            }
        }
        return try RawResponse(parsing: received)
    }

    /// The length of the status line and headers up to and including the blank line, once received.
    private static func headerLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    private func waitUntilReady() throws {
        for _ in 0..<100 {
            if let status = try? command("GET", "/status", nil),
                (status["value"] as? [String: Any])?["ready"] as? Bool == true
            {
                return
            }
            usleep(100_000)
        }
        throw Failure(description: "chromedriver did not start on port \(port)")
    }

    /// A TCP port nobody listens on right now, chosen by the kernel.
    private static func freePort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "no free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}

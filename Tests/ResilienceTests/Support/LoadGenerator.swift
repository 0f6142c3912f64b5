import Foundation
import Synchronization
import TestSupport

/// Mixed traffic from many signed-in browsers at once, each on its own thread and keep-alive connection:
/// page views, PIN resets (Generate), and adds and removals of trusted ranges. Every answer is timed and
/// every write the portal accepted is written down, so the test can compare the database with it afterwards.
///
/// Each browser works on an install of its own (`LoadFixture`), so two browsers never edit the same row: a
/// 409 or a lost write can only come from the portal, not from the traffic.
final class LoadGenerator: Sendable {
    /// Which requests a browser sends, by weight.
    struct Mix: Sendable {
        var pageViews = 45
        var pinResets = 25
        var rangeAdds = 18
        var rangeRemovals = 12

        /// Writes only: for the crash test, where pages would only dilute the writes in flight.
        static let writesOnly = Mix(pageViews: 0, pinResets: 50, rangeAdds: 30, rangeRemovals: 20)
    }

    private let fixture: LoadFixture
    private let port: UInt16
    private let mix: Mix
    private let stopped = Atomic<Bool>(false)
    private let browsers: [Browser]

    /// Signs in one browser per install of the fixture (a few at a time, since sign-in runs argon2id).
    init(fixture: LoadFixture, port: UInt16, mix: Mix = Mix(), requestTimeoutSeconds: Int = 15) throws {
        self.fixture = fixture
        self.port = port
        self.mix = mix
        let browsers = fixture.installs.map { _ in Browser(port: port, timeoutSeconds: requestTimeoutSeconds) }
        try Self.inParallel(count: browsers.count, width: 4) { index in
            try browsers[index].signIn(email: fixture.email, password: fixture.password)
        }
        self.browsers = browsers
    }

    /// Runs every browser until `duration` has passed or ``stop()`` is called; returns what each one saw.
    /// `started` is the common time origin of every record's `at`.
    func run(for duration: Duration, started: Date = Date()) -> LoadReport {
        let deadline = started.addingTimeInterval(duration.seconds)
        let logs = browsers.indices.map { WorkerLog(install: fixture.installs[$0]) }
        try? Self.inParallel(count: browsers.count, width: browsers.count) { index in
            var worker = Worker(browser: self.browsers[index], log: logs[index], mix: self.mix, origin: started)
            while Date() < deadline && !self.stopped.load(ordering: .relaxed) {
                worker.step()
            }
        }
        return LoadReport(logs: logs, wallSeconds: Date().timeIntervalSince(started))
    }

    /// Starts ``run(for:started:)`` on a thread of its own, so the test can break things meanwhile;
    /// `finish` waits for it and returns the report.
    func runInBackground(for duration: Duration) -> (started: Date, finish: () -> LoadReport) {
        let started = Date()
        let result = Mutex<LoadReport?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let report = self.run(for: duration, started: started)
            result.withLock { $0 = report }
            done.signal()
        }.start()
        return (
            started,
            {
                done.wait()
                return result.withLock { $0! }
            }
        )
    }

    /// Makes every browser finish the request it is sending and stop.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    /// Runs `body(0..<count)` on `width` threads at a time; rethrows the first error after all have ended.
    static func inParallel(count: Int, width: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let next = Atomic<Int>(0)
        let firstError = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        for _ in 0..<min(width, count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < count else { return }
                    do {
                        try body(index)
                    } catch {
                        firstError.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}

/// One browser's loop: pick a request by weight, send it, write down the answer.
private struct Worker {
    let browser: Browser
    let log: WorkerLog
    let mix: Mix
    let origin: Date
    private var rangeCounter = 0
    private var liveRanges: [String] = []

    typealias Mix = LoadGenerator.Mix

    init(browser: Browser, log: WorkerLog, mix: Mix, origin: Date) {
        self.browser = browser
        self.log = log
        self.mix = mix
        self.origin = origin
    }

    mutating func step() {
        let total = mix.pageViews + mix.pinResets + mix.rangeAdds + mix.rangeRemovals
        var pick = Int.random(in: 0..<total)
        if pick < mix.pageViews { return viewPage() }
        pick -= mix.pageViews
        if pick < mix.pinResets { return resetPIN() }
        pick -= mix.pinResets
        if pick < mix.rangeAdds && liveRanges.count < 20 || liveRanges.isEmpty { return addRange() }
        removeRange()
    }

    private func viewPage() {
        let install = log.install
        let user = install.users.randomElement()!
        let targets = [
            "/telephony", "/installs/\(install.id)/users", "/installs/\(install.id)/trusted-ips",
            "/installs/\(install.id)/users?q=User", "/installs/\(install.id)/users/\(user)",
        ]
        _ = send(.page, expecting: 200) { try browser.get(targets.randomElement()!) }
    }

    private func resetPIN() {
        let install = log.install.id
        let user = log.install.users.randomElement()!
        guard
            let form = send(.page, expecting: 200, { try browser.get("/installs/\(install)/users/\(user)/pin") })
                .response,
            form.statusCode == 200, let version = Browser.hiddenField("version", in: form.bodyText)
        else { return }
        let answer = send(.pinReset, expecting: 200) {
            try browser.post("/installs/\(install)/users/\(user)/pin", [("version", version), ("generate", "yes")])
        }
        switch Outcome(answer, expected: 200) {
        case .accepted:
            if let pin = Self.generatedPIN(in: answer.response!.bodyText) {
                log.acceptedPINs[user, default: []].append(pin)
            } else {
                log.note("the New PIN page shows no PIN")
            }
        case .uncertain: log.uncertainPINResets[user, default: 0] += 1
        case .refused: break
        }
    }

    private mutating func addRange() {
        rangeCounter += 1
        let worker = log.install.index
        let network = "10.\(worker).\(rangeCounter / 256).\(rangeCounter % 256)/32"
        let answer = send(.rangeAdd, expecting: 303) {
            try browser.post(
                "/installs/\(log.install.id)/trusted-ips", [("network", network), ("description", "load \(worker)")])
        }
        switch Outcome(answer, expected: 303) {
        case .accepted:
            log.acceptedAdds.append(network)
            liveRanges.append(network)
        case .uncertain: log.uncertainAdds.append(network)
        case .refused: break
        }
    }

    private mutating func removeRange() {
        let install = log.install.id
        let network = liveRanges.removeFirst()
        guard let tab = send(.page, expecting: 200, { try browser.get("/installs/\(install)/trusted-ips") }).response,
            tab.statusCode == 200
        else {
            liveRanges.append(network)
            return
        }
        guard let id = Self.removeID(of: network, in: tab.bodyText) else {
            log.note("range \(network) was accepted but is missing from its tab")
            return
        }
        let answer = send(.rangeRemoval, expecting: 303) {
            try browser.post("/installs/\(install)/trusted-ips/\(id)/remove", [])
        }
        switch Outcome(answer, expected: 303) {
        case .accepted: log.acceptedRemovals.append(network)
        case .uncertain: log.uncertainRemovals.append(network)
        case .refused: liveRanges.append(network)
        }
    }

    /// Sends one request and records it; returns the answer (nil when none came), noting a surprising one.
    /// A refused connection (the portal is down) is recorded as status -1 and followed by a short pause.
    private func send(_ kind: RequestKind, expecting expected: Int, _ request: () throws -> RawResponse) -> Reply {
        let start = Date()
        var response: RawResponse?
        do {
            response = try request()
        } catch let error as Browser.Refused {
            log.records.append(
                RequestRecord(kind: kind, at: start.timeIntervalSince(origin), seconds: 0, status: -1, retryAfter: nil))
            log.note("\(error)")
            Thread.sleep(forTimeInterval: 0.05)
            return .notSent
        } catch {
            log.note("\(error)")
        }
        let status = response?.statusCode ?? 0
        log.records.append(
            RequestRecord(
                kind: kind, at: start.timeIntervalSince(origin), seconds: Date().timeIntervalSince(start),
                status: status,
                retryAfter: response?.headers["Retry-After"]))
        if let response, status != expected, status != 503 {
            log.note("\(kind) answered \(status), expected \(expected): \(response.bodyText.prefix(400))")
        }
        return response.map(Reply.answered) ?? .unanswered
    }

    /// The PIN on the "New PIN" page: the only `<code>` holding four digits.
    static func generatedPIN(in html: String) -> String? {
        guard let match = html.firstMatch(of: /<code>([0-9]{4})<\/code>/) else { return nil }
        return String(match.1)
    }

    /// The id in the Remove link of `network`'s row on the Trusted IPs tab.
    static func removeID(of network: String, in html: String) -> String? {
        for spelling in [
            network, network.replacingOccurrences(of: "/", with: "&#x2F;"),
            network.replacingOccurrences(of: "/", with: "&#47;"),
        ] {
            guard let label = html.range(of: "aria-label=\"Remove \(spelling)\"") else { continue }
            let before = html[..<label.lowerBound]
            guard let match = before.matches(of: /trusted-ips\/([0-9]+)\/remove"/).last else { continue }
            return String(match.1)
        }
        return nil
    }
}

/// What became of a write, judged from its answer.
private enum Outcome {
    /// The expected answer: the change is done.
    case accepted
    /// No answer or a 5xx: the change may or may not have been made.
    case uncertain
    /// Never sent, or another answer (403, 409, 422): the portal changed nothing.
    case refused

    init(_ reply: Reply, expected: Int) {
        switch reply {
        case .notSent: self = .refused
        case .unanswered: self = .uncertain
        case .answered(let response):
            self = response.statusCode == expected ? .accepted : response.statusCode >= 500 ? .uncertain : .refused
        }
    }
}

/// What came of sending a request.
private enum Reply {
    /// The connection was refused: nothing reached the portal.
    case notSent
    /// Sent, but no complete answer came back.
    case unanswered
    case answered(RawResponse)

    var response: RawResponse? {
        if case .answered(let response) = self { response } else { nil }
    }
}

/// What a request was for, to tell page views from writes in the report.
enum RequestKind: String, Sendable {
    case page
    case pinReset = "PIN reset"
    case rangeAdd = "range add"
    case rangeRemoval = "range removal"
}

/// One request as the browser saw it: when it started (seconds from the run's start), how long the answer
/// took, and its status (0: sent but no answer; -1: the connection was refused, nothing sent).
struct RequestRecord: Sendable {
    let kind: RequestKind
    let at: Double
    let seconds: Double
    let status: Int
    let retryAfter: String?
}

/// One browser's records; written only by its own thread while the load runs, read after it ended.
final class WorkerLog: @unchecked Sendable {
    let install: LoadFixture.Install
    var records: [RequestRecord] = []
    /// PINs the portal showed as set, per user, in order: each is one accepted reset.
    var acceptedPINs: [Int: [String]] = [:]
    /// Resets per user that got no answer or an error: each may or may not have been applied.
    var uncertainPINResets: [Int: Int] = [:]
    var acceptedAdds: [String] = []
    var uncertainAdds: [String] = []
    var acceptedRemovals: [String] = []
    var uncertainRemovals: [String] = []
    /// The first few surprises (wrong status, no answer), for the failure message.
    private(set) var notes: [String] = []

    init(install: LoadFixture.Install) {
        self.install = install
    }

    func note(_ text: String) {
        if notes.count < 5 { notes.append(text) }
    }
}

/// Every browser's log together, with the figures the tests print and assert on.
struct LoadReport {
    let logs: [WorkerLog]
    let wallSeconds: Double

    var records: [RequestRecord] { logs.flatMap(\.records) }
    var notes: [String] { logs.flatMap(\.notes) }

    /// Answers with a 5xx status.
    var serverErrors: Int { records.filter { $0.status >= 500 }.count }
    /// Requests that were sent but got no answer.
    var unanswered: Int { records.filter { $0.status == 0 }.count }
    /// Requests never sent because the connection was refused.
    var refusedConnections: Int { records.filter { $0.status == -1 }.count }
    /// Accepted writes: PIN resets, range adds and removals.
    var acceptedWrites: Int {
        logs.reduce(0) {
            $0 + $1.acceptedPINs.values.reduce(0) { $0 + $1.count } + $1.acceptedAdds.count + $1.acceptedRemovals.count
        }
    }
    /// Writes that may or may not have been applied.
    var uncertainWrites: Int {
        logs.reduce(0) {
            $0 + $1.uncertainPINResets.values.reduce(0, +) + $1.uncertainAdds.count + $1.uncertainRemovals.count
        }
    }

    /// The `fraction` quantile of the answer times in seconds (of the records `filter` keeps).
    func latency(_ fraction: Double, where filter: (RequestRecord) -> Bool = { _ in true }) -> Double {
        let sorted = records.filter(filter).map(\.seconds).sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    /// One line for the test log: requests, rate, statuses and latencies.
    var summary: String {
        let statuses = Dictionary(grouping: records, by: \.status).mapValues(\.count).sorted { $0.key < $1.key }
            .map { "\([-1: "refused", 0: "none"][$0.key] ?? String($0.key)): \($0.value)" }.joined(separator: ", ")
        return String(
            format: "%d requests in %.1f s (%.0f/s) from %d browsers; statuses {%@}; %d writes accepted, %d uncertain; "
                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
            records.count, wallSeconds, Double(records.count) / max(wallSeconds, 0.001), logs.count, statuses,
            acceptedWrites, uncertainWrites, latency(0.5) * 1000, latency(0.99) * 1000, latency(1) * 1000)
    }
}

extension Duration {
    /// The duration in seconds, for Foundation's dates.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

import Foundation
import Testing

/// The load and fault tests, one after another: each starts a PostgreSQL cluster and a `hotdesk serve`
/// process of its own and stops both at its end, and their timings would disturb one another if they ran
/// at once. `scripts/test.sh` runs this target after the other suites for the same reason.
@Suite(.serialized)
enum Resilience {
    /// Seconds of mixed load for the load test: `HOTDESK_LOAD_SECONDS`, default 60.
    static var loadSeconds: Int {
        Int(ProcessInfo.processInfo.environment["HOTDESK_LOAD_SECONDS"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 60
    }
}

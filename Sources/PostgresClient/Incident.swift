/// A run of failures of one kind (the database unreachable, every connection busy), so that the pool logs
/// two lines per outage — when it begins and when it ends — rather than one per failed request.
struct Incident {
    private var start: ContinuousClock.Instant?
    private var lastFailure: ContinuousClock.Instant?
    private var failures = 0

    /// Counts a failure; true when it begins a new run (the moment to log).
    mutating func fail() -> Bool {
        failures += 1
        lastFailure = .now
        guard start == nil else { return false }
        start = lastFailure
        return true
    }

    /// Ends the run if the last failure is at least `quiet` ago; returns the run's length and failure count,
    /// or nil when no run ended. A quiet period keeps an overload that lets some callers through from being
    /// logged as many short runs.
    mutating func end(quietFor quiet: Duration = .zero) -> (duration: Duration, failures: Int)? {
        guard let start, let lastFailure, ContinuousClock.now - lastFailure >= quiet else { return nil }
        defer {
            self.start = nil
            self.lastFailure = nil
            failures = 0
        }
        return (lastFailure - start, failures)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for SIGINT or SIGTERM so the executable can shut the server down gracefully.
///
/// It exists because signal handlers cannot safely do work: instead the signals are blocked in every thread
/// and one thread waits for them synchronously. Call ``blockInCurrentThread()`` on the main thread before
/// starting the server (its threads inherit the signal mask), then ``wait()``.
public enum TerminationSignal {
    /// Blocks SIGINT and SIGTERM in the calling thread and in threads it starts afterwards.
    /// The corresponding C function is `pthread_sigmask`.
    public static func blockInCurrentThread() {
        var signals = terminationSignals()
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Waits until SIGINT or SIGTERM arrives and returns its number.
    /// The corresponding C function is `sigwait`.
    public static func wait() -> Int32 {
        var signals = terminationSignals()
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        return received
    }

    private static func terminationSignals() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        return signals
    }
}

import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads request handlers run on, apart from libmicrohttpd's own.
///
/// libmicrohttpd ties each connection to one of its threads, so a handler that blocked there (a slow query,
/// a wait for a pooled database connection) would stall every other connection of that thread, new ones
/// included. Instead libmicrohttpd's threads only read and write, and each complete request is handed to
/// this pool: a handler that blocks holds up its own request only. Jobs run in arrival order.
final class HandlerPool: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var running = 0
        var isClosed = false
    }

    private let queue = Mutex(Queue())
    /// One signal per job submitted, plus one per thread when the pool closes.
    private let available = DispatchSemaphore(value: 0)
    private let threadCount: Int

    /// Starts `threadCount` threads (at least one) that wait for jobs.
    init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        for _ in 0..<self.threadCount {
            Self.spawn { [self] in work() }
        }
    }

    /// Queues `job`; false (and the job dropped) once the pool is closed.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let queued = queue.withLock { queue in
            guard !queue.isClosed else { return false }
            queue.jobs.append(job)
            return true
        }
        if queued { available.signal() }
        return queued
    }

    /// Refuses further jobs; the queued ones still run, then the threads end. Calling it again does nothing.
    func close() {
        let first = queue.withLock { queue in
            defer { queue.isClosed = true }
            return !queue.isClosed
        }
        guard first else { return }
        for _ in 0..<threadCount { available.signal() }
    }

    /// Returns once no job is queued or running (poll: only shutdown waits for this).
    func waitUntilIdle() {
        while queue.withLock({ !$0.jobs.isEmpty || $0.running > 0 }) {
            usleep(2_000)
        }
    }

    private func work() {
        while true {
            available.wait()
            let job: (@Sendable () -> Void)? = queue.withLock { queue in
                guard !queue.jobs.isEmpty else { return nil }
                queue.running += 1
                return queue.jobs.removeFirst()
            }
            guard let job else { return }
            job()
            queue.withLock { $0.running -= 1 }
        }
    }

    /// Starts a detached thread running `body`. The corresponding C function is `pthread_create`.
    private static func spawn(_ body: @escaping @Sendable () -> Void) {
        final class Body {
            let run: @Sendable () -> Void
            init(_ run: @escaping @Sendable () -> Void) { self.run = run }
        }
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        precondition(started == 0, "cannot start a request handler thread: error \(started)")
        pthread_detach(thread)
    }
}

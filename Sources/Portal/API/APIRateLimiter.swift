import Synchronization

/// The per-key request budget of the API: a token bucket per key, holding a minute's worth of requests and
/// refilled evenly. It lives in each portal instance's memory: it protects the instance and the database from one
/// runaway client, while failed key guesses are counted in PostgreSQL, across instances, like failed sign-ins.
final class APIRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let perMinute: Int
    private let buckets = Mutex<[Int: Bucket]>([:])

    /// A limiter allowing `perMinute` requests per key and minute.
    init(perMinute: Int) {
        self.perMinute = max(1, perMinute)
    }

    /// Takes one request from `keyID`'s budget; returns nil when it may go ahead, or how many seconds to wait.
    func take(keyID: Int, now: ContinuousClock.Instant = .now) -> Int? {
        let capacity = Double(perMinute)
        let perSecond = capacity / 60
        return buckets.withLock { buckets in
            var bucket = buckets[keyID] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer {
                buckets[keyID] = bucket
                // Forget full buckets now and then, so keys that stopped calling cost nothing.
                if buckets.count > 10_000 { buckets = buckets.filter { $0.value.tokens < capacity } }
            }
            guard bucket.tokens >= 1 else { return Int(((1 - bucket.tokens) / perSecond).rounded(.up)) }
            bucket.tokens -= 1
            return nil
        }
    }
}

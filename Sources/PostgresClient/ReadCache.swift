import Synchronization

/// Recent reads kept in memory and dropped as soon as anything they were read from may have changed.
///
/// An entry is served only while the `ChangeFeed`'s generation is the one it was read at, the feed is
/// listening, and its own lifetime lasts; a read during which a change happened is not kept. Any change drops
/// every entry, which keeps the rule simple enough to trust: the cache pays off for pages read far more often
/// than anything changes, and costs a lookup otherwise. A full cache is emptied. The entries are spread over
/// shards, each with its own lock, so that handler threads seldom wait for each other.
public final class ReadCache: Sendable {
    /// How many reads were answered from memory and how many went to the database.
    public struct Statistics: Sendable, Equatable {
        public var hits = 0
        public var misses = 0

        public init(hits: Int = 0, misses: Int = 0) {
            self.hits = hits
            self.misses = misses
        }
    }

    private struct Entry {
        let value: any Sendable
        let generation: UInt64
        let expires: ContinuousClock.Instant
    }

    /// A key of any `Hashable & Sendable` type (`AnyHashable` itself is not `Sendable`).
    private struct Key: Hashable, @unchecked Sendable {
        let base: AnyHashable
    }

    private struct Shard {
        var entries: [Key: Entry] = [:]
        var statistics = Statistics()
    }

    /// A shard behind its own lock (a `Mutex` cannot be copied into an array).
    private final class LockedShard: Sendable {
        let mutex = Mutex(Shard())
    }

    private let changes: ChangeFeed
    private let capacityPerShard: Int
    private let shards: [LockedShard]

    /// A cache of at most about `capacity` entries (0 turns it off) that `changes` keeps current.
    public init(changes: ChangeFeed, capacity: Int) {
        self.changes = changes
        let shardCount = 16
        self.capacityPerShard = (capacity + shardCount - 1) / shardCount
        self.shards = (0..<shardCount).map { _ in LockedShard() }
    }

    /// The value kept for `key`, or `read()`'s, kept for the lifetime it returns (zero or less: not kept).
    /// `key` must identify everything the read depends on, its type included (keys of different types never
    /// match).
    public func value<Identity: Hashable & Sendable, Value: Sendable>(
        for key: Identity, read: () throws -> (value: Value, lifetime: Duration)
    ) throws -> Value {
        guard capacityPerShard > 0, changes.isListening else { return try read().value }
        let generation = changes.generation
        let key = Key(base: AnyHashable(key))
        let shard = shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
        let now = ContinuousClock.now
        let kept = shard.mutex.withLock { shard -> Value? in
            guard let entry = shard.entries[key], entry.generation == generation, entry.expires > now,
                let value = entry.value as? Value
            else {
                shard.statistics.misses += 1
                return nil
            }
            shard.statistics.hits += 1
            return value
        }
        if let kept { return kept }
        let (value, lifetime) = try read()
        guard lifetime > .zero, changes.isListening, changes.generation == generation else { return value }
        shard.mutex.withLock { shard in
            if shard.entries.count >= capacityPerShard { shard.entries.removeAll(keepingCapacity: true) }
            shard.entries[key] = Entry(value: value, generation: generation, expires: now + lifetime)
        }
        return value
    }

    /// Hits and misses since start-up.
    public var statistics: Statistics {
        shards.reduce(into: Statistics()) { total, shard in
            let counts = shard.mutex.withLock { $0.statistics }
            total.hits += counts.hits
            total.misses += counts.misses
        }
    }
}

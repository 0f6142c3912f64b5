import Synchronization

/// Recent reads kept in memory and dropped as soon as anything they were read from may have changed.
///
/// An entry is served only while the `ChangeFeed`'s generation is the one it was read at, the feed is
/// listening, and its own lifetime lasts; a read during which a change happened is not kept. Any change drops
/// every entry, which keeps the rule simple enough to trust: the cache pays off for pages read far more often
/// than anything changes, and costs a lookup otherwise. A full cache is emptied.
///
/// Handler threads read it all the time and write it seldom, so each shard holds an immutable table that a
/// reader takes under a lock held only to copy one reference, and looks up after letting go; a writer
/// replaces the table with an extended copy.
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

    /// A key of any `Hashable & Sendable` type (`AnyHashable` itself is not `Sendable`).
    private struct Key: Hashable, @unchecked Sendable {
        let base: AnyHashable
    }

    private struct Entry: Sendable {
        let value: any Sendable
        let expires: ContinuousClock.Instant
    }

    /// The entries read at one generation; never changed once shared.
    private final class Table: Sendable {
        let generation: UInt64
        let entries: [Key: Entry]

        init(generation: UInt64, entries: [Key: Entry]) {
            self.generation = generation
            self.entries = entries
        }
    }

    /// One shard's current table behind its own lock (a `Mutex` cannot be copied into an array).
    private final class Shard: Sendable {
        let table = Mutex(Table(generation: 0, entries: [:]))
    }

    private let changes: ChangeFeed
    private let capacityPerShard: Int
    private let shards: [Shard]
    private let hits = Atomic<Int>(0)
    private let misses = Atomic<Int>(0)

    /// A cache of at most about `capacity` entries (0 turns it off) that `changes` keeps current.
    public init(changes: ChangeFeed, capacity: Int) {
        self.changes = changes
        let shardCount = 16
        self.capacityPerShard = (capacity + shardCount - 1) / shardCount
        self.shards = (0..<shardCount).map { _ in Shard() }
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
        let table = shard.table.withLock { $0 }
        if table.generation == generation, let entry = table.entries[key], entry.expires > now,
            let value = entry.value as? Value
        {
            hits.add(1, ordering: .relaxed)
            return value
        }
        misses.add(1, ordering: .relaxed)
        let (value, lifetime) = try read()
        guard lifetime > .zero, changes.isListening, changes.generation == generation else { return value }
        shard.table.withLock { table in
            guard table.generation <= generation else { return }
            // Entries of an older generation are dead: start afresh rather than copy them.
            var entries = table.generation == generation ? table.entries : [:]
            if entries.count >= capacityPerShard { entries = [:] }
            entries[key] = Entry(value: value, expires: now + lifetime)
            table = Table(generation: generation, entries: entries)
        }
        return value
    }

    /// True while entries are kept and served: the cache has room and its feed is listening.
    public var isServing: Bool { capacityPerShard > 0 && changes.isListening }

    /// Hits and misses since start-up.
    public var statistics: Statistics {
        Statistics(hits: hits.load(ordering: .relaxed), misses: misses.load(ordering: .relaxed))
    }
}

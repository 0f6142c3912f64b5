import Synchronization

/// Recent reads kept in memory, each with the scopes it was read from, and dropped as soon as a change to one of
/// those scopes is heard (see `ChangeScope` and `ChangeFeed`).
///
/// An entry is served only while the cache is told every change (`ChangeFeed` listening) and within its own
/// lifetime. A read during which a change to one of its scopes was heard is not kept. A full shard is emptied.
///
/// Handler threads read it all the time and write it seldom, so each shard holds an immutable table that a
/// reader takes under a lock held only to copy one reference, and looks up after letting go; a writer replaces
/// the table with a changed copy.
public final class ReadCache: Sendable {
    /// How many reads were answered from memory and how many went to the database.
    public struct Statistics: Sendable, Equatable {
        /// Reads answered from memory.
        public var hits = 0
        /// Reads that went to the database.
        public var misses = 0

        /// Counts, zero by default.
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
        let scopes: [ChangeScope]
        let expires: ContinuousClock.Instant

        func isTouched(by changed: [ChangeScope]) -> Bool {
            changed.contains { change in scopes.contains(where: change.covers) }
        }
    }

    /// One shard's entries; never changed once shared.
    private final class Table: Sendable {
        let entries: [Key: Entry]

        init(_ entries: [Key: Entry]) {
            self.entries = entries
        }
    }

    /// One shard's current table behind its own lock (a `Mutex` cannot be copied into an array).
    private final class Shard: Sendable {
        let table = Mutex(Table([:]))
    }

    /// The most recent changes, numbered, so that a read can tell whether one of its scopes changed while it ran.
    private struct ChangeLog {
        /// The number of the latest change; each `invalidate` takes the next.
        var latest: UInt64 = 0
        /// The latest changes' numbers and scopes, oldest first, at most `capacity`.
        var recent: [(number: UInt64, scope: ChangeScope)] = []
        static let capacity = 1024

        mutating func record(_ scopes: [ChangeScope]) {
            latest += 1
            for scope in scopes { recent.append((latest, scope)) }
            if recent.count > Self.capacity { recent.removeFirst(recent.count - Self.capacity / 2) }
        }

        /// True when a change numbered after `start` may touch `scopes` (or when the log no longer reaches back
        /// that far, so nobody can tell).
        func hasTouched(_ scopes: [ChangeScope], since start: UInt64) -> Bool {
            guard latest != start else { return false }
            guard let oldest = recent.first, oldest.number <= start + 1 else { return true }
            return recent.reversed().prefix { $0.number > start }.contains { change in
                scopes.contains(where: change.scope.covers)
            }
        }
    }

    /// The longest any entry is kept, in case a change is never heard.
    public let lifetime: Duration
    private let capacityPerShard: Int
    private let shards: [Shard]
    private let log = Mutex(ChangeLog())
    private let latestChange = Atomic<UInt64>(0)
    private let told = Atomic<Bool>(false)
    private let hits = Atomic<Int>(0)
    private let misses = Atomic<Int>(0)

    /// A cache of at most about `capacity` entries (0 keeps nothing), each kept at most `lifetime`. It serves
    /// nothing until `setTold(true)`: until then changes made elsewhere could go unheard.
    public init(capacity: Int, lifetime: Duration = .seconds(60)) {
        let shardCount = 16
        self.lifetime = lifetime
        self.capacityPerShard = (capacity + shardCount - 1) / shardCount
        self.shards = (0..<shardCount).map { _ in Shard() }
    }

    /// The value kept for `key`, or `read()`'s, kept until a change to one of the scopes it returns, for at most
    /// the lifetime it returns (zero or less: not kept) and the cache's own. `key` must identify everything the
    /// read depends on, its type included (keys of different types never match).
    public func value<Identity: Hashable & Sendable, Value: Sendable>(
        for key: Identity, read: () throws -> (value: Value, scopes: [ChangeScope], lifetime: Duration)
    ) throws -> Value {
        guard isServing else { return try read().value }
        let key = Key(base: AnyHashable(key))
        let shard = shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
        let now = ContinuousClock.now
        let table = shard.table.withLock { $0 }
        if let entry = table.entries[key], entry.expires > now, let value = entry.value as? Value {
            hits.add(1, ordering: .relaxed)
            DomainMetrics.readCacheHits.increment()
            return value
        }
        misses.add(1, ordering: .relaxed)
        DomainMetrics.readCacheMisses.increment()
        let start = latestChange.load(ordering: .acquiring)
        let (value, scopes, readLifetime) = try read()
        let kept = min(readLifetime, lifetime)
        guard kept > .zero, isServing else { return value }
        shard.table.withLock { table in
            // Checked under the shard's lock: a change recorded after this check removes the entry from this
            // shard afterwards (`invalidate` records first, then takes each shard's lock).
            guard !log.withLock({ $0.hasTouched(scopes, since: start) }) else { return }
            var entries = table.entries
            if entries.count >= capacityPerShard { entries = [:] }
            entries[key] = Entry(value: value, scopes: scopes, expires: now + kept)
            table = Table(entries)
        }
        return value
    }

    /// Drops every entry read from one of `scopes` (every entry for `.everything`), and keeps reads running
    /// meanwhile from being kept.
    public func invalidate(_ scopes: [ChangeScope]) {
        guard !scopes.isEmpty else { return }
        log.withLock { log in
            log.record(scopes)
            latestChange.store(log.latest, ordering: .releasing)
        }
        let everything = scopes.contains(.everything)
        for shard in shards {
            shard.table.withLock { table in
                guard !table.entries.isEmpty else { return }
                if everything {
                    table = Table([:])
                } else if table.entries.values.contains(where: { $0.isTouched(by: scopes) }) {
                    table = Table(table.entries.filter { !$0.value.isTouched(by: scopes) })
                }
            }
        }
    }

    /// Whether every change is told to the cache (its `ChangeFeed` listens). Either way everything kept so far
    /// is dropped: changes may have been missed in between.
    func setTold(_ isTold: Bool) {
        if !isTold { told.store(false, ordering: .releasing) }
        invalidate([.everything])
        if isTold { told.store(true, ordering: .releasing) }
    }

    /// True while entries are kept and served: the cache has room and is told every change.
    public var isServing: Bool { capacityPerShard > 0 && told.load(ordering: .acquiring) }

    /// Hits and misses since start-up.
    public var statistics: Statistics {
        Statistics(hits: hits.load(ordering: .relaxed), misses: misses.load(ordering: .relaxed))
    }
}

import CoreMetrics

/// The domain's counters, through swift-metrics: whatever the executable bootstraps (Prometheus for
/// `hotdesk serve`) receives them; without a bootstrap they cost nothing.
///
/// It exists so each metric's name and labels are written once. The handles are created on first use, after
/// the executable has bootstrapped the metrics system.
enum DomainMetrics {
    /// How a sign-in attempt ended.
    enum SignInOutcome: String, CaseIterable, Sendable {
        case success
        case failure
        case throttled
    }

    private static let signInCounters: [SignInOutcome: Counter] = Dictionary(
        uniqueKeysWithValues: SignInOutcome.allCases.map { outcome in
            (outcome, Counter(label: "hotdesk_sign_ins_total", dimensions: [("outcome", outcome.rawValue)]))
        })

    /// Portal sign-ins (password checks) by outcome.
    static func signIns(_ outcome: SignInOutcome) -> Counter {
        signInCounters[outcome]!
    }

    /// Reads answered from the read cache.
    static let readCacheHits = Counter(label: "hotdesk_read_cache_hits_total")
    /// Reads the read cache had to make.
    static let readCacheMisses = Counter(label: "hotdesk_read_cache_misses_total")
}

import Foundation
import Synchronization

/// How often the verification cache answered without verifying.
public struct VerificationCacheStatistics: Sendable, Equatable {
    /// Look-ups answered from the cache.
    public var hits: Int
    /// Look-ups that had to verify.
    public var misses: Int
    /// Results currently held.
    public var entries: Int
}

/// Remembers the time-independent part of a verification (signature, trust at signing time, envelope,
/// strict payload, template rules), keyed by the SHA-256 of the exact JWS bytes: the same bytes always give
/// the same answer for one trust store and one set of templates, and altered bytes get a new key, so a
/// tampered record is never answered from the cache. Thread-safe (one `Mutex`).
///
/// Bounded: when `capacity` results are held the cache starts over (consents per installation number in
/// the thousands; a fresh start costs one verification per record).
final class VerificationCache: Sendable {
    private struct Key: Hashable {
        var kind: ConsentDocumentKind
        var digest: [UInt8]
    }

    private struct State {
        var entries: [Key: any Sendable] = [:]
        var hits = 0
        var misses = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The cached result for `digest`, or `compute()`'s (stored for next time). Verification runs outside
    /// the lock, so concurrent callers never wait for each other's signature checks.
    func result<C: SignedPayload>(digest: [UInt8], compute: () -> VerificationResult<C>) -> VerificationResult<C> {
        let key = Key(kind: C.documentKind, digest: digest)
        let cached: VerificationResult<C>? = state.withLock { s in
            if let hit = s.entries[key] as? VerificationResult<C> {
                s.hits += 1
                return hit
            }
            s.misses += 1
            return nil
        }
        if let cached { return cached }
        let fresh = compute()
        state.withLock { s in
            if s.entries.count >= capacity { s.entries.removeAll(keepingCapacity: true) }
            s.entries[key] = fresh
        }
        return fresh
    }

    var statistics: VerificationCacheStatistics {
        state.withLock { VerificationCacheStatistics(hits: $0.hits, misses: $0.misses, entries: $0.entries.count) }
    }
}

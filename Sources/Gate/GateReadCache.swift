import ConsentRecords
import Foundation
import Synchronization

/// In-memory copies of the rows every decision request reads — the account behind an API token, the
/// subject with the subject's stored consents — so that a decision does not go to SQLite for them.
///
/// Correctness rests on `ChangeCounter`: triggers bump a counter in the same transaction as any change
/// to those tables, by any process. Every lookup first reads the counter; when it moved, everything
/// cached is dropped before answering. An entry is only ever filled by a read that started after the
/// counter value it is filed under was read, so a lookup never returns data older than the last change
/// committed before the lookup began: `users disable` in another process stops the token at the next
/// request, a withdrawal counts from the next decision on.
///
/// A decision's subject and consents are kept together, as one `DecisionInputs` read in one transaction, under
/// exactly the counter value read in that transaction: a decision never combines a subject of one state of the
/// database with consents of another, from memory or from SQLite.
///
/// What is cached is the stored data, not conclusions drawn at a time: consent records are re-verified
/// (signature and trust through the verifier's digest cache, `granted-at` against now) on every use.
/// Unknown tokens are not cached (a stream of random tokens cannot evict the real ones); each map holds
/// at most `capacity` entries and starts over when full.
public final class GateReadCache: Sendable {
    private struct State {
        var version: Int64 = .min
        var accounts: [String: Account] = [:]
        var subjects: [String: Subject?] = [:]
        var decisionInputs: [String: DecisionInputs] = [:]

        mutating func reset(to version: Int64) {
            self.version = version
            accounts.removeAll(keepingCapacity: true)
            subjects.removeAll(keepingCapacity: true)
            decisionInputs.removeAll(keepingCapacity: true)
        }
    }

    private let counter: ChangeCounter?
    private let state = Mutex(State())
    /// The most entries per map.
    let capacity: Int

    /// A cache for the database at `path`. Without a readable change counter it caches nothing.
    init(databasePath: String, capacity: Int = 10_000) {
        counter = try? ChangeCounter(path: databasePath)
        self.capacity = capacity
    }

    /// The counter value read at the start of the current request (see `withRequestSnapshot`).
    @TaskLocal static var requestVersion: Int64?

    /// Runs one request's work with the counter read once, at its start: every look-up inside (token,
    /// subject, consents) validates against that value instead of reading the counter again. A change
    /// committed before the request began is seen; one committed while it runs may or may not be, as
    /// for any request that overlaps a change.
    public func withRequestSnapshot<T>(_ body: () async throws -> T) async rethrows -> T {
        try await Self.$requestVersion.withValue(readCounter()) { try await body() }
    }

    /// The counter value to validate against, after dropping everything older; nil = bypass the cache.
    /// One request reads it once and passes it to the look-ups it makes (`decisionInputs(subject:version:load:)`),
    /// so they all see one state of the store.
    func validVersion() -> Int64? {
        if let v = Self.requestVersion { return v }
        return readCounter()
    }

    /// Reads the counter and drops everything cached under an older value.
    private func readCounter() -> Int64? {
        guard let v = counter?.current() else { return nil }
        return state.withLock { s -> Int64? in
            if s.version < v { s.reset(to: v) }
            return s.version == v ? v : nil   // a newer reset by another caller: bypass, do not file
        }
    }

    /// The active account whose token digest is `digest`; `load` reads the store on a miss.
    func account(tokenDigest digest: String, load: () throws -> Account?) throws -> Account? {
        guard let v = validVersion() else { return try load() }
        if let hit = state.withLock({ $0.accounts[digest] }) { return hit }
        guard let loaded = try load() else { return nil }
        state.withLock { s in
            guard s.version == v else { return }
            if s.accounts.count >= capacity { s.accounts.removeAll(keepingCapacity: true) }
            s.accounts[digest] = loaded
        }
        return loaded
    }

    /// The stored subject `id` (nil: not recorded); `load` reads the store on a miss.
    func subject(id: String, load: () throws -> Subject?) throws -> Subject? {
        try subject(id: id, version: validVersion(), load: load)
    }

    /// `subject(id:load:)` for a version already read by `validVersion()` (nil: bypass).
    func subject(id: String, version: Int64?, load: () throws -> Subject?) throws -> Subject? {
        guard let v = version else { return try load() }
        if let hit = state.withLock({ $0.subjects[id] }) { return hit }
        let loaded = try load()
        state.withLock { s in
            guard s.version == v else { return }
            if s.subjects.count >= capacity { s.subjects.removeAll(keepingCapacity: true) }
            s.subjects[id] = .some(loaded)
        }
        return loaded
    }

    /// The inputs of a decision about `subject`: a set kept in memory, else `load` (one read transaction), kept
    /// when it was read at exactly `version` — the counter value of its own transaction, not a later one — and
    /// every consent row in it could be read. nil `version`: bypass the cache.
    func decisionInputs(subject: String, version: Int64?, load: () throws -> DecisionInputs) throws -> DecisionInputs {
        guard let v = version else { return try load() }
        // Every kept set is one state of the store, filed under that state's counter value, which is at least `v`.
        if let hit = state.withLock({ $0.decisionInputs[subject] }) { return hit }
        let loaded = try load()
        guard loaded.version == v, loaded.consents.allReadable else { return loaded }
        state.withLock { s in
            guard s.version == v else { return }
            if s.decisionInputs.count >= capacity { s.decisionInputs.removeAll(keepingCapacity: true) }
            s.decisionInputs[subject] = loaded
        }
        return loaded
    }
}

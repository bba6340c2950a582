import Synchronization

/// How many forms of requests without a live session are read at once up to the upload limit (12 MiB). Such a request
/// still sends a session cookie, so it may be a case worker's form whose session ended (its entries are kept through the
/// login: `KeptEntries`), but the cookie cannot be told from a made-up one once the ended session is swept, so anyone
/// could send a bogus cookie and have 12 MiB buffered and parsed for a 401 (found in the input review, left open until
/// 2026-12-07). At most `slots` such reads run at once; a request that finds them taken has its form read up to the
/// plain forms' 64 KiB, as one without any cookie: a real case worker then sees the login without the scan's entries.
final class EndedSessionReads: Sendable {
    /// The reads that may run at once.
    let slots: Int
    private let inUse = Atomic<Int>(0)

    init(slots: Int) { self.slots = slots }

    /// Takes a slot if one is free (true), else false. A taken slot must be given back with `release()`.
    func acquire() -> Bool {
        var current = inUse.load(ordering: .relaxed)
        while current < slots {
            let (exchanged, original) = inUse.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives a slot back.
    func release() { inUse.subtract(1, ordering: .acquiringAndReleasing) }
}

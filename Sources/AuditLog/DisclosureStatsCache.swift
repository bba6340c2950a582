import Foundation
import GRDB
import Synchronization
import StoreDiagnostics

/// The statistics' counts per partner and UTC hour, kept in memory and brought up to date with only the entries
/// appended since the last view: before 2026-12-06 every view of the statistics (page, API) counted the whole log
/// again, 1.6–2.8 s at 2.86M entries for a table of 6 rows.
///
/// The totals are keyed by how much of the log they cover (entries below index `covered`), not by month: an entry can
/// be appended with a time in a month already past (an export run logs its disclosures with the run's time, also when
/// a run is recovered after a crash), so a finished month is not final in an append-only log. Each update counts the
/// entries from `covered` to the log's size by index, wherever their times fall, so a late entry lands in its own hour.
///
/// Answers a query from these totals when all it asks is a partner and a period on whole UTC hours (a date in the
/// page's or the API's period is a day in Europe/Berlin, which starts on a whole UTC hour); any other query (a person,
/// purpose, actor, municipality, or a time within an hour) is counted from the log as before.
public final class DisclosureStatsCache: Sendable {
    /// One hour's counts for one partner.
    struct Counts: Sendable { var disclosures: Int64 = 0; var referrals: Int64 = 0 }

    /// A partner and an hour (`YYYY-MM-DDTHH`, the first 13 characters of an entry's time).
    struct Key: Hashable, Sendable { var partner: String; var hour: String }

    private struct State {
        /// Entries below this index are counted in `counts`.
        var covered: Int64 = 0
        var counts: [Key: Counts] = [:]
    }

    private let state = Mutex<State>(State())

    /// An empty cache; the first query counts the whole log once.
    public init() {}

    /// How many entries the totals cover (for tests and the results file).
    public var covered: Int64 { state.withLock { $0.covered } }

    /// The statistics of `query` (its `kinds`, `limit` and page bounds ignored, as `AuditLogStore.stats`), grouped by
    /// `dimensions`: from the kept totals, first counting the entries appended since, when the query allows it;
    /// otherwise counted from the log.
    public func stats(_ store: AuditLogStore, by dimensions: [DisclosureStats.Dimension], query: AuditQuery = AuditQuery()) throws -> DisclosureStats {
        let q = DisclosureStats.counted(query)
        guard let period = Self.hourPeriod(q) else { return try store.stats(by: dimensions, query: q) }
        // Holding the lock while the log is read: concurrent views wait for the one update instead of each counting.
        return try state.withLock { s in
            try Self.update(&s, store)
            let buckets = s.counts.lazy.filter { key, _ in
                (q.partner.map { $0.utf8.elementsEqual(key.partner.utf8) } ?? true)
                    && (period.since.map { key.hour >= $0 } ?? true) && (period.until.map { key.hour < $0 } ?? true)
            }.map { (partner: Optional($0.key.partner), hour: Optional($0.key.hour), disclosures: $0.value.disclosures, referrals: $0.value.referrals) }
            return DisclosureStats.grouped(buckets, by: dimensions)
        }
    }

    /// Counts the entries from `covered` up to the log's size into `s`.
    private static func update(_ s: inout State, _ store: AuditLogStore) throws {
        let from = s.covered
        var fresh: [Key: Counts] = [:]
        let size = try store.read(.stats) { db -> Int64 in
            let size = try AuditLogStore.frontier(db).size
            guard size > from else { return size }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT partner, substr(time, 1, 13), SUM(kind = 'disclosure'), SUM(kind = 'decision' AND released > 0)
                FROM audit_entry WHERE idx >= ? AND idx < ? AND partner IS NOT NULL AND kind IN ('disclosure', 'decision')
                GROUP BY partner, substr(time, 1, 13)
                """, arguments: [from, size])
            while let row = try rows.next() {
                let r = StoredRow(row, table: "audit_entry", keyIndex: 0)
                let key = Key(partner: try r.value(at: 0), hour: try r.value(at: 1))
                fresh[key] = Counts(disclosures: row[2] ?? 0, referrals: row[3] ?? 0)
            }
            return size
        }
        guard size > from else { return }
        for (key, c) in fresh {
            s.counts[key, default: Counts()].disclosures += c.disclosures
            s.counts[key, default: Counts()].referrals += c.referrals
        }
        s.covered = size
    }

    /// The query's period as UTC hours (`YYYY-MM-DDTHH`, since inclusive, until exclusive) when it asks for nothing
    /// but a partner and such a period; nil when the totals cannot answer it.
    static func hourPeriod(_ q: AuditQuery) -> (since: String?, until: String?)? {
        guard q.subject == nil, q.purpose == nil, q.actor == nil, q.municipality == nil else { return nil }
        func hour(_ bound: String?) -> String?? {
            guard let bound else { return .some(nil) }
            // As the query's SQL compares it: parsed and written as the log writes times.
            guard let date = AuditTime.parse(bound) else { return nil }
            let text = AuditTime.format(date)
            guard text.hasSuffix(":00:00Z") else { return nil }
            return .some(String(text.prefix(13)))
        }
        guard let since = hour(q.since), let until = hour(q.until) else { return nil }
        return (since, until)
    }
}

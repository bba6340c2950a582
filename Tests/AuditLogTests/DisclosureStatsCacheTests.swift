import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// The statistics' kept totals (`DisclosureStatsCache`) equal a fresh count of the whole log after every append: in
/// the current month, in a month long past (an entry may be appended with an earlier time, as an export run logs its
/// disclosures with the run's own time), for every grouping, a partner, and periods on whole hours (from the totals) or
/// within an hour (counted from the log).
@Suite("Statistics from kept totals")
struct DisclosureStatsCacheTests {
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-stats-tests") }

    static let groupings: [[DisclosureStats.Dimension]] = [[.partner, .month], [.partner], [.month], []]
    static let queries: [AuditQuery] = [
        AuditQuery(), AuditQuery(partner: "jobcenter"), AuditQuery(since: "2026-11-01T00:00:00+01:00"),
        AuditQuery(since: "2026-10-31T23:00:00Z", until: "2026-12-01T00:00:00+01:00"), AuditQuery(until: "2026-11-03T08:00:00Z"),
        // Within an hour: answered by counting the log.
        AuditQuery(since: "2026-11-03T08:30:00Z"), AuditQuery(subject: "RSK-2026-3"),
    ]

    @Test func keptTotalsEqualAFreshCountAfterAppendsInThisAndAPastMonth() throws {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        let cache = DisclosureStatsCache()
        func expectSame(_ step: String) throws {
            for q in Self.queries {
                for by in Self.groupings {
                    #expect(try cache.stats(store, by: by, query: q) == (try store.stats(by: by, query: q)), "\(step): \(by) \(q.description)")
                }
            }
            #expect(cache.covered == (try store.size()), "\(step)")
        }
        try expectSame("empty log")
        try store.append([TestSupport.disclosure(1, time: "2026-10-02T08:00:00Z"),
                          TestSupport.disclosure(2, partner: "jobcenter", time: "2026-11-03T08:00:00Z"),
                          TestSupport.disclosure(3, time: "2026-11-03T08:59:59Z")], signer: signer)
        try expectSame("first entries")
        // This month (the log's latest), then a late entry for a month long past, and the first hour of a Berlin month
        // (31 Oct 23:30 UTC is 1 Nov in Berlin).
        try store.append([TestSupport.disclosure(4, partner: "jobcenter", time: "2026-12-06T09:00:00Z")], signer: signer)
        try expectSame("this month")
        try store.append([TestSupport.disclosure(5, time: "2026-10-02T08:10:00Z"),
                          TestSupport.disclosure(6, partner: "jobcenter", time: "2026-10-31T23:30:00Z")], signer: signer)
        try expectSame("a past month")
        // Entries that count nothing (an audit read) move the covered size on.
        try store.recordRead(command: "test", filters: [:], results: 0, actor: "dpo-1", signer: signer)
        try expectSame("a read")
    }

    /// Periods the totals can answer: none, or bounds on whole UTC hours with no filter but a partner.
    @Test(arguments: [
        (AuditQuery(), true), (AuditQuery(partner: "x"), true), (AuditQuery(since: "2026-11-01T00:00:00+01:00"), true),
        (AuditQuery(until: "2026-11-01T10:00:00Z"), true), (AuditQuery(since: "2026-11-01T10:00:01Z"), false),
        (AuditQuery(since: "2026-11-01T10:30:00+00:30"), true), (AuditQuery(purpose: "p"), false), (AuditQuery(actor: "a"), false),
        (AuditQuery(municipality: "m"), false), (AuditQuery(subject: "s"), false),
    ] as [(AuditQuery, Bool)])
    func answerableQueries(query: AuditQuery, answerable: Bool) {
        #expect((DisclosureStatsCache.hourPeriod(query) != nil) == answerable)
    }
}

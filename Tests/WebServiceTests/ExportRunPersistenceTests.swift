import Foundation
import DriveExport
import Gate
import Testing
@testable import WebService

/// Export run status in the `export_run` table: a failed run's error (both languages) survives a
/// restart, and a run still running when the service restarts is reported as interrupted, not as
/// running forever.
@Suite struct ExportRunPersistenceTests {
    @Test func failedAndInterruptedRunsAreAnsweredAfterARestart() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let store = ExportRunStore(database: fixture.database)
        let before = ExportRunRegistry(store: store)
        let failed = try await before.start(actor: "test-exporter", at: Date(timeIntervalSince1970: 1_800_000_000))
        await before.finish(failed.id, result: .failure(WebError.notFound("x")), at: Date(timeIntervalSince1970: 1_800_000_060))
        let cutOff = try await before.start(actor: "test-exporter")
        await before.began(cutOff.id)
        let stored = try #require(try store.run(id: cutOff.id))
        #expect(stored.state == "running")
        #expect(stored.beganAt.map { abs($0.timeIntervalSince(Date())) < 60 } == true, "\(stored)")
        let cutOffQueued = try await before.start(actor: "test-exporter")
        #expect(try store.run(id: cutOffQueued.id)?.state == "queued")
        #expect(try store.run(id: cutOffQueued.id)?.beganAt == nil)

        let after = ExportRunRegistry(store: store)   // the next process
        #expect(await after.count == 0)
        let f = try #require(try await after.run(failed.id))
        #expect(f.state == .failed && f.actor == "test-exporter")
        #expect(f.startedAt == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(f.finishedAt == Date(timeIntervalSince1970: 1_800_000_060))
        #expect(f.error == ExportRunRegistry.text(of: WebError.notFound("x")))
        let c = try #require(try await after.run(cutOff.id))
        #expect(c.state == .failed)
        #expect(c.error == ExportRunRegistry.interrupted)
        #expect(c.finishedAt != nil)
        #expect(c.beganAt == stored.beganAt, "when it began is kept")
        let q = try #require(try await after.run(cutOffQueued.id))
        #expect(q.state == .failed && q.error == ExportRunRegistry.interrupted && q.beganAt == nil)
        #expect(try await after.run("no-such-run") == nil)
    }

    /// The exporter page's list of recent runs comes from the table too: after a restart it still shows the earlier
    /// process's runs (newest first, a cut-off one as interrupted), and the new process's own runs before them.
    @Test func recentRunsIncludeThoseOfAnEarlierProcess() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let store = ExportRunStore(database: fixture.database)
        let before = ExportRunRegistry(store: store)
        let older = try await before.start(actor: "test-exporter", at: Date(timeIntervalSince1970: 1_760_000_000))
        await before.finish(older.id, result: .failure(WebError.notFound("x")), at: Date(timeIntervalSince1970: 1_760_000_060))
        let cutOff = try await before.start(actor: "test-exporter", at: Date(timeIntervalSince1970: 1_760_000_100))

        let after = ExportRunRegistry(store: store)   // the next process
        let own = try await after.start(actor: "test-exporter")
        let recent = try await after.recent()
        #expect(recent.map(\.id) == [own.id, cutOff.id, older.id])
        #expect(recent.map(\.state) == [.queued, .failed, .failed])
        #expect(recent[1].error == ExportRunRegistry.interrupted)
        #expect(try await after.recent(limit: 2).map(\.id) == [own.id, cutOff.id])
        #expect(try await after.recent(limit: 0).isEmpty)
        #expect(try await ExportRunRegistry().recent().isEmpty, "without a store: memory only")
    }

    /// A run memory no longer holds (more runs than `capacity`) still has its begin recorded in the store, and is
    /// answered from there as running.
    @Test func aRunOutOfMemoryBeginsInTheStore() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let store = ExportRunStore(database: fixture.database)
        let registry = ExportRunRegistry(capacity: 1, store: store)
        let old = try await registry.start(actor: "test-exporter")
        _ = try await registry.start(actor: "test-exporter")   // pushes `old` out of memory
        #expect(await registry.count == 1)
        await registry.began(old.id)
        #expect(try store.run(id: old.id)?.state == "running")
        #expect(try await registry.run(old.id)?.state == .running)
        #expect(try await registry.run(old.id)?.beganAt != nil)
    }

    @Test func withoutAStoreRunsLiveInMemoryOnly() async throws {
        let registry = ExportRunRegistry()
        let run = try await registry.start(actor: "a")
        #expect(try await registry.run(run.id)?.state == .queued)
        await registry.began(run.id)
        #expect(try await registry.run(run.id)?.state == .running)
        #expect(try await ExportRunRegistry().run(run.id) == nil)
    }

    /// Two `serve` processes on one database: the second one's start (and its reads) must not call the first one's run
    /// interrupted while that run holds the database's export run lock (`DatabaseRunLock`, held for a whole run). Once
    /// the lock is free, a run still recorded as running is an earlier process's, cut off, and is answered and recorded
    /// as interrupted.
    @Test func aRunHoldingTheExportLockIsNotMarkedInterruptedByAnotherProcess() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let store = ExportRunStore(database: fixture.database)
        let first = ExportRunRegistry(store: store)
        let live = try await first.start(actor: "test-exporter", at: Date().addingTimeInterval(-5))
        await first.began(live.id)
        let lock = try DatabaseRunLock(database: fixture.database.path)   // the first process's job

        let second = ExportRunRegistry(store: store)   // another serve process starting meanwhile
        #expect(try store.run(id: live.id)?.state == "running", "not marked at the second process's start")
        #expect(try await second.run(live.id)?.state == .running, "nor when the second process reads it")
        #expect(try store.run(id: live.id)?.state == "running")

        _ = consume lock   // the run ended without recording it (the first process was killed)
        let read = try #require(try await second.run(live.id))
        #expect(read.state == .failed && read.error == ExportRunRegistry.interrupted)
        #expect(try store.run(id: live.id)?.state == "failed", "recorded once no run holds the lock")
    }
}

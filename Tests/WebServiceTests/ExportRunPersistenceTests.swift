import Foundation
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
        #expect(try store.run(id: cutOff.id)?.state == "running")

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
        #expect(try await after.run("no-such-run") == nil)
    }

    @Test func withoutAStoreRunsLiveInMemoryOnly() async throws {
        let registry = ExportRunRegistry()
        let run = try await registry.start(actor: "a")
        #expect(try await registry.run(run.id)?.state == .running)
        #expect(try await ExportRunRegistry().run(run.id) == nil)
    }
}

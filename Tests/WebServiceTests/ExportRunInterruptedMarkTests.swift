import Foundation
import Gate
import GRDB
import Logging
import Synchronization
import Testing
@testable import WebService

/// The start of the service marks export runs an earlier (crashed) process left `running` as interrupted. When that
/// write failed, `ExportRunRegistry.init` ignored it silently and such a run was answered as `running` for ever. Now
/// the failure is logged at error level, a status read answers the run as interrupted all the same, and records it
/// once the database takes the write again.
@Suite struct ExportRunInterruptedMarkTests {
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func aFailedMarkIsLoggedAndTheRunIsStillAnsweredAsInterrupted() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let store = ExportRunStore(database: fixture.database)
        let crashed = "run-of-a-crashed-process"
        try store.insert(id: crashed, actor: "test-exporter", startedAt: Date().addingTimeInterval(-600))
        // A real database that refuses the UPDATE, as a storage fault would.
        try await fixture.database.writer.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_run_updates BEFORE UPDATE ON export_run BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        }
        let out = Lines()
        let logger = Logger(label: "test") { StreamLogHandler(label: $0, stream: out, metadataProvider: nil) }

        let registry = ExportRunRegistry(store: store, logger: logger)

        let atStart = out.all.filter { $0.contains("not marked interrupted") }
        #expect(atStart.count == 1 && atStart[0].contains("error") && atStart[0].contains("disk says no"), "\(out.all)")
        let read = try #require(try await registry.run(crashed))
        #expect(read.state == .failed && read.error == ExportRunRegistry.interrupted && read.finishedAt != nil)
        #expect(try store.run(id: crashed)?.state == "queued", "still refused")
        #expect(out.all.filter { $0.contains("not marked interrupted") && $0.contains(crashed) }.count == 1, "\(out.all)")

        // The fault is gone: the next read records it.
        try await fixture.database.writer.write { try $0.execute(sql: "DROP TRIGGER refuse_run_updates") }
        #expect(try await registry.run(crashed)?.state == .failed)
        let stored = try #require(try store.run(id: crashed))
        #expect(stored.state == "failed" && stored.errorEN == ExportRunRegistry.interrupted.en)

        // A run of this process is never taken for an earlier one's.
        let own = try await registry.start(actor: "test-exporter")
        #expect(try await registry.run(own.id)?.state == .queued)
        #expect(try store.run(id: own.id)?.state == "queued")
    }

    /// A run's end that the store refuses is logged at error level (it was dropped without a word: input review, finding
    /// 7), and the run is still answered from memory as it ended.
    @Test func aFailedEndIsLogged() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let store = ExportRunStore(database: fixture.database)
        let out = Lines()
        let logger = Logger(label: "test") { StreamLogHandler(label: $0, stream: out, metadataProvider: nil) }
        let registry = ExportRunRegistry(store: store, logger: logger)
        let run = try await registry.start(actor: "test-exporter")
        await registry.began(run.id)
        try await fixture.database.writer.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_run_updates BEFORE UPDATE ON export_run BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        }
        await registry.finish(run.id, result: .failure(WebError.csrf))
        let lines = out.all.filter { $0.contains("end not stored") }
        #expect(lines.count == 1 && lines[0].contains("error") && lines[0].contains(run.id) && lines[0].contains("disk says no"), "\(out.all)")
        #expect(try await registry.run(run.id)?.state == .failed)
    }
}

import ChildProcess
import Foundation
@testable import Gate
import Testing

/// `ChangeCounter` (a read-only connection of its own) reads the newest committed counter, including
/// changes made by another process, and answers nil (callers bypass their cache) where there is none.
@Suite struct ChangeCounterTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// Runs SQL with the stock `sqlite3` command: another process.
    func sqlite(_ sql: String) throws -> String {
        let r = try Spawn.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 10000", fixture.database.path, sql], stderr: .inherit)
        try #require(r.status == 0)
        return r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func readsTheCommittedValueAndSeesOtherProcessesChanges() throws {
        defer { fixture.remove() }
        let counter = try ChangeCounter(path: fixture.database.path)
        let start = try #require(counter.current())
        #expect(String(start) == (try sqlite("SELECT version FROM gate_change_counter WHERE id = 1")))
        #expect(counter.current() == start, "no change, same value")
        // A change in this process (an account added: the trigger bumps the counter in its transaction).
        _ = try fixture.environment.gate.addAccount(name: "zaehler", role: .dpo, municipality: nil, password: WebFixture.password,
                                                    actor: Actor(id: "test"), passwordParameters: WebFixture.fastHashing)
        let afterAdd = try #require(counter.current())
        #expect(afterAdd > start)
        // A change by another process is seen by the next read.
        _ = try sqlite("UPDATE account SET disabled_at = '2026-11-25T12:00:00Z' WHERE name = 'zaehler'")
        let afterOther = try #require(counter.current())
        #expect(afterOther > afterAdd)
        #expect(String(afterOther) == (try sqlite("SELECT version FROM gate_change_counter WHERE id = 1")))
    }

    @Test func concurrentReadersAgree() async throws {
        defer { fixture.remove() }
        let counter = try ChangeCounter(path: fixture.database.path)
        let expected = counter.current()
        #expect(expected != nil)
        let values = await withTaskGroup(of: Int64?.self) { group in
            for _ in 0..<64 { group.addTask { counter.current() } }
            var all: [Int64?] = []
            for await v in group { all.append(v) }
            return all
        }
        #expect(values.count == 64 && values.allSatisfy { $0 == expected })
    }

    @Test func aDatabaseWithoutTheCounterReadsAsNil() throws {
        defer { fixture.remove() }
        let path = fixture.directory.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let counter = try? ChangeCounter(path: path)
        #expect(counter?.current() == nil)
        #expect(throws: (any Error).self) { try ChangeCounter(path: fixture.directory.appendingPathComponent("missing.sqlite").path) }
    }
}

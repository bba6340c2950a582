import ConsentRecords
import Foundation
import GRDB
import Synchronization
import Testing
@testable import Gate

/// A decision sees the subject and the subject's consents as ONE state of the database: both are read in one read
/// transaction (or come from the cache as the one set such a transaction read). Read in two transactions, a consent
/// granted or withdrawn (or the person's record changed) between them gave a decision matching no state the database
/// was ever in.
///
/// What is checked is the structure that rules this out, on a real file, through SQLite's own statement trace on
/// every connection of the gate's pool: a decision that reads the store reads `subject`, `consent`,
/// `consent_withdrawal` and the change counter between one `BEGIN` and its `COMMIT` on one connection, and nowhere
/// else; a decision answered from the cache reads none of them. SQLite's snapshot isolation then guarantees the
/// rest. With the subject and the consents read in two `read` calls (the structure before), the first test fails.
@Suite struct DecisionSnapshotTests {
    /// Every statement the traced pool's connections ran, in order, with the connection that ran it.
    final class StatementLog: Sendable {
        private let statements = Mutex<[(connection: String, sql: String)]>([])
        func append(_ connection: String, _ sql: String) { statements.withLock { $0.append((connection, sql)) } }
        /// The statements so far; the log starts over.
        func take() -> [(connection: String, sql: String)] { statements.withLock { s in defer { s = [] }; return s } }
    }

    /// One transaction (`BEGIN` … `COMMIT`/`ROLLBACK`) or one statement outside any, on one connection.
    struct Unit {
        var connection: String
        var statements: [String]
        func reads(_ table: String) -> Bool { statements.contains { $0.range(of: "FROM \(table) ", options: .caseInsensitive) != nil || $0.hasSuffix("FROM \(table)") } }
    }

    /// `log` cut into transactions and lone statements, per connection.
    static func units(_ log: [(connection: String, sql: String)]) -> [Unit] {
        var open: [String: Unit] = [:]
        var done: [Unit] = []
        for (connection, sql) in log {
            let upper = sql.uppercased()
            if upper.hasPrefix("BEGIN") {
                open[connection] = Unit(connection: connection, statements: [sql])
            } else if upper.hasPrefix("COMMIT") || upper.hasPrefix("ROLLBACK TRANSACTION") && !upper.contains(" TO ") || upper == "ROLLBACK" {
                if var u = open.removeValue(forKey: connection) { u.statements.append(sql); done.append(u) }
            } else if open[connection] != nil {
                open[connection]!.statements.append(sql)
            } else {
                done.append(Unit(connection: connection, statements: [sql]))
            }
        }
        return done + open.values
    }

    /// A second gate on the installation's file whose pool traces every statement of every connection into the log.
    static func tracedGate(_ inst: GateTestInstallation, like opened: Gate) throws -> (Gate, StatementLog) {
        let log = StatementLog()
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            let connection = db.description
            db.trace { event in
                if case let .statement(s) = event { log.append(connection, s.sql) }
            }
        }
        let pool = try DatabasePool(path: inst.databasePath, configuration: config)
        let gate = Gate(configuration: inst.configuration(), database: AppDatabase(writer: pool, path: inst.databasePath),
                        policy: opened.policy, keyRing: opened.keyRing)
        return (gate, log)
    }

    @Test func aDecisionReadsSubjectAndConsentsInOneTransactionOrFromTheCache() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let setup = try inst.open()
        let (stored, _) = try setup.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
        let (gate, log) = try Self.tracedGate(inst, like: setup)
        let at = Fixture.time("2026-03-01T10:00:00Z")
        _ = log.take()

        // Cold: the store is read, in one transaction.
        let first = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
        #expect(first.decision.field("name.family")?.outcome == .permit)
        var units = Self.units(log.take())
        var reading = units.filter { $0.reads("subject") || $0.reads("consent") || $0.reads("consent_withdrawal") }
        #expect(reading.count == 1, "subject and consents read in \(reading.count) database accesses: \(reading)")
        if let one = reading.first {
            #expect(one.statements.first?.uppercased().hasPrefix("BEGIN") == true, "inside a transaction: \(one)")
            #expect(one.reads("subject") && one.reads("consent") && one.reads("consent_withdrawal"), "\(one)")
            #expect(one.reads("gate_change_counter"), "the cache files the set under the counter of the same transaction: \(one)")
        }

        // Warm: from the cache, without a read transaction (the hot path costs what it did).
        let second = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
        #expect(second.decision.field("name.family")?.outcome == .permit)
        units = Self.units(log.take())
        reading = units.filter { $0.reads("subject") || $0.reads("consent") || $0.reads("consent_withdrawal") }
        #expect(reading.isEmpty, "a decision from the cache reads the store: \(reading)")

        // After a withdrawal elsewhere: read again, in one transaction, and the withdrawal counts.
        _ = try setup.withdrawConsent(id: stored.id, at: Fixture.time("2026-02-01T00:00:00Z"), recordedBy: Fixture.caseManager,
                                      actor: Fixture.actor)
        _ = log.take()
        let third = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
        #expect(third.decision.field("name.family")?.outcome == .deny)
        units = Self.units(log.take())
        reading = units.filter { $0.reads("subject") || $0.reads("consent") || $0.reads("consent_withdrawal") }
        #expect(reading.count == 1, "after the change: \(reading.count) database accesses: \(reading)")
    }

    @Test("a set is kept only under the counter value of the transaction that read it, never under an older one")
    func aSetReadAfterTheCounterMovedIsNotKeptUnderTheOlderValue() async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let setup = try inst.open()
        try setup.saveSubject(Fixture.adult())
        let (gate, log) = try Self.tracedGate(inst, like: setup)
        let at = Fixture.time("2026-03-01T10:00:00Z")
        // The request's counter value is read first; a consent is granted before the store is read.
        try await gate.readCache.withRequestSnapshot {
            _ = try setup.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
            _ = log.take()
            for _ in 0..<2 {
                let r = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
                #expect(r.decision.field("name.family")?.outcome == .permit, "the set read is one state: the newer one")
                #expect(Self.units(log.take()).filter { $0.reads("consent") }.count == 1,
                        "read from the store each time: the set was read at a newer counter value than the request's")
            }
        }
        // At the new value: read once, then from the cache.
        _ = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
        #expect(Self.units(log.take()).filter { $0.reads("consent") }.count == 1)
        _ = try gate.check(Fixture.jobcenterCheck(at: at), actor: Fixture.actor)
        #expect(Self.units(log.take()).filter { $0.reads("consent") }.isEmpty, "kept under its own value")
    }
}

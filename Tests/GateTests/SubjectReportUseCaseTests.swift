import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `Gate.subjectReport`: the Art. 15 report the web service gives on its API route and its page alike; reading it is
/// logged (`audit-read`, naming who asked, where, and for whom), and the report is proved against the checkpoint after
/// that entry.
@Suite struct SubjectReportUseCaseTests {
    @Test func theReportIsLoggedAsAnAuditReadAndProvedAgainstTheLatestCheckpoint() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2026-000779"
        _ = try gate.check(CheckRequest(subject: id, statedAttributes: Subject(id: id, birthDate: Fixture.day("1990-01-01"), municipality: "Troisdorf"),
                                        partner: "auslaenderbehoerde", purpose: "residence-registration", fields: ["name.family"],
                                        at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        let before = try gate.auditLog.size()
        let report = try gate.subjectReport(id, actor: "dpo-1", command: "GET /audit/report")
        #expect(report.subject == id)
        #expect(try gate.auditLog.size() == before + 1, "one audit-read entry")
        let read = try AuditEntry(bytes: gate.auditLog.entryBytes(index: before), context: "audit-read")
        guard case .auditRead(let record) = read.content else { Issue.record("not an audit-read: \(read.kind)"); return }
        #expect(record.command == "GET /audit/report" && record.filters["subject"] == id)
        #expect(read.actor == "dpo-1")
        #expect(report.checkpoint == (try gate.auditLog.latestCheckpoint()), "proved against the checkpoint after the read")
    }
}

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

    /// Each row is named as the policy it was decided under named things, and says that policy's version (DPO review,
    /// session 35: a partner renamed since showed its new name on rows of the year before, and no row said which policy
    /// applied). The names come from the archive, so the report needs no bundle folder for them; today's names fill in only
    /// for a policy the archive lacks.
    @Test func rowsAreNamedByThePolicyOfTheirTimeAndSayItsVersion() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let original = try inst.open()
        let id = "RSK-2026-000782"
        _ = try original.check(CheckRequest(subject: id, statedAttributes: Subject(id: id, birthDate: Fixture.day("1990-01-01"), municipality: "Troisdorf"),
                                            partner: "auslaenderbehoerde", purpose: "residence-registration", fields: ["name.family"],
                                            at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        let oldVersion = original.policy.bundle.version
        let renamed = try inst.open(policy: try inst.policyCopy("policy-renamed", edits: ["policy.yaml": [
            ("version: \"\(oldVersion)\"", "version: \"\(oldVersion)-renamed\""),
            ("{name: {de: Ausländerbehörde, en: Immigration office}", "{name: {de: Ausländerbehörde Rhein-Sieg, en: Immigration office Rhein-Sieg}"),
        ]]))
        _ = try renamed.check(CheckRequest(subject: id, statedAttributes: Subject(id: id, birthDate: Fixture.day("1990-01-01"), municipality: "Troisdorf"),
                                           partner: "auslaenderbehoerde", purpose: "residence-registration", fields: ["name.family"],
                                           at: Fixture.time("2026-04-01T10:00:00Z")), actor: Fixture.actor)
        let report = try renamed.subjectReport(id, actor: "dpo-1", command: "audit report")
        try #require(report.disclosures.count == 2, "\(report.disclosures)")
        #expect(report.disclosures.map(\.policyVersion) == [oldVersion, oldVersion + "-renamed"])
        // Named with no bundle at all (`audit report` without a policy folder): from the archive alone.
        let html = report.html(language: .de)
        #expect(html.contains("Ausländerbehörde (auslaenderbehoerde)") && html.contains("Ausländerbehörde Rhein-Sieg (auslaenderbehoerde)"), "\(html)")
        #expect(html.contains("Richtlinie \(oldVersion)<") && html.contains("Richtlinie \(oldVersion)-renamed<"), "\(html)")
        // With today's names given as the fallback, the first row still reads as the policy of its time named the partner.
        let json = report.json(labels: ReportLabels(policy: renamed.policy.bundle))
        let rows = try #require(json.objectValue?["recipients"]?.arrayValue)
        let names = rows.map { $0.objectValue?["partner-name"]?.objectValue?["en"]?.stringValue }
        #expect(names == ["Immigration office", "Immigration office Rhein-Sieg"], "\(json)")
        #expect(rows.map { $0.objectValue?["policy"]?.objectValue?["version"]?.stringValue } == [oldVersion, oldVersion + "-renamed"])
        #expect(rows.first?.objectValue?["policy"]?.objectValue?["digest"]?.stringValue == original.policy.digest)
    }
}

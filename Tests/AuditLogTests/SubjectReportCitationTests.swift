import Diagnostics
import Foundation
import StrictJSON
import TestFolders
import Testing
@testable import AuditLog

/// The Art. 15 report reads each citation in its language: entries name the canonical (German) text, the policies the
/// entries name give the English one (`citation: {de, en}`); the JSON keeps the canonical text; a canonical text the
/// policies translate differently is shown as it stands.
@Suite struct SubjectReportCitationTests {
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    static let digest = "sha256:" + String(repeating: "ab", count: 32)
    static let schoolDE = "§ 34 SchulG NRW (Schulpflicht)", schoolEN = "§ 34 SchulG NRW (compulsory schooling)"
    static let consentDE = "Art. 6 Abs. 1 lit. a DSGVO", consentEN = "Art. 6(1)(a) GDPR"

    /// An export's disclosure (canonical citation recorded) and a release decision (rule only) of `RSK-1`, in a real log.
    func entries() throws -> [StoredEntry] {
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: tmp.url.appendingPathComponent("log.sqlite").path))
        let disclosure = try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: "export-job", policyDigest: Self.digest,
            content: .disclosure(DisclosureRecord(partner: "schulamt", purpose: "school-planning", subject: "RSK-1",
                fields: [DisclosedField(field: "name.family", basis: .statute, rule: "school-children", citation: Self.schoolDE)], exportRun: "run-1")))
        let decision = try AuditEntry(timeText: "2026-11-26T09:00:00Z", actor: "cm-03", policyDigest: Self.digest,
            content: .decision(DecisionRecord(subject: "RSK-1", partner: "jobcenter", purpose: "job-placement", at: "2026-11-26T09:00:00Z",
                requested: ["name.family"], consents: ["c-1"],
                fields: [FieldOutcome(field: "name.family", outcome: .permit, rule: "jobcenter-consent", consent: ConsentReference(id: "c-1", clause: "jobcenter"))])))
        try store.append([disclosure, decision], signer: try TestSupport.signer())
        return try store.entries(matching: AuditQuery(subject: "RSK-1"))
    }

    @Test func theEnglishReportReadsTheEnglishTextsTheJSONTheCanonicalOnes() throws {
        let citations = [Self.digest: ["school-children": LocalizedText(de: Self.schoolDE, en: Self.schoolEN),
                                       "jobcenter-consent": LocalizedText(de: Self.consentDE, en: Self.consentEN)]]
        let report = SubjectReport(subject: "RSK-1", entries: try entries(), citations: citations)
        let english = report.html(language: .en), german = report.html(language: .de)
        for (en, de) in [(Self.schoolEN, Self.schoolDE), (Self.consentEN, Self.consentDE)] {
            #expect(english.contains(HTMLEscaping.escape(en)) && !english.contains(HTMLEscaping.escape(de)), "\(english)")
            #expect(german.contains(HTMLEscaping.escape(de)) && !german.contains(HTMLEscaping.escape(en)), "\(german)")
        }
        let json = report.json.canonicalText
        #expect(json.contains(Self.schoolDE) && json.contains(Self.consentDE) && !json.contains(Self.consentEN), "\(json)")
    }

    /// Two policies that translate one canonical text differently (the English reworded): neither English text is
    /// picked, the canonical text is shown; a text both translate alike is translated.
    @Test func aCanonicalTextTranslatedTwoWaysIsShownAsItStands() throws {
        let report = SubjectReport(subject: "RSK-1", entries: try entries(), citations: [
            Self.digest: ["school-children": LocalizedText(de: Self.schoolDE, en: Self.schoolEN),
                          "jobcenter-consent": LocalizedText(de: Self.consentDE, en: Self.consentEN)],
            "sha256:other": ["school-children": LocalizedText(de: Self.schoolDE, en: "§ 34 SchulG NRW (compulsory school attendance)"),
                             "jobcenter-consent": LocalizedText(de: Self.consentDE, en: Self.consentEN)],
        ])
        #expect(report.englishCitations == [Self.consentDE: Self.consentEN])
        #expect(report.citationText(Self.schoolDE, .en) == Self.schoolDE)
        let english = report.html(language: .en)
        #expect(english.contains(HTMLEscaping.escape(Self.schoolDE)) && english.contains(HTMLEscaping.escape(Self.consentEN)), "\(english)")
    }

    /// The German report (it goes to the person) names the signed checkpoint in German, the English one in English.
    @Test func theCheckpointLineIsInTheReportsLanguage() throws {
        let report = SubjectReport(subject: "RSK-1", entries: try entries(), checkpoint: "test.consentgate/audit\n2\nAAAA\n")
        let german = report.html(language: .de), english = report.html(language: .en)
        #expect(german.contains("Auszug aus dem manipulationssicheren Prüfprotokoll; signierter Prüfpunkt (Checkpoint):"), "\(german)")
        #expect(!german.contains("Audit-Protokoll"), "\(german)")
        #expect(english.contains("Drawn from the tamper-evident audit log; signed checkpoint:"), "\(english)")
    }
}

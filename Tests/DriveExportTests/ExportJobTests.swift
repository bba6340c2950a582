import AuditLog
import ConsentRecords
import Foundation
import Gate
import PolicyEngine
import Signing
import Testing
@testable import DriveExport

/// The export job end to end on the shared sample and messy lists: real SQLite, real folders, the shipped
/// policy and demo keys, stock `openssl` to verify the manifests.
@Suite("Export job", .serialized)
struct ExportJobTests {
    /// The folders of the three partners of the shipped export profiles.
    static let folders = ["Auslaenderbehoerde": "auslaenderbehoerde", "Schulamt": "schulamt", "Jugendamt": "jugendamt"]

    @Test("sample list: every partner folder verifies with openssl and holds exactly the decided cells")
    func sampleEndToEnd() throws {
        let inst = try ExportHarness.open("sample")
        defer { inst.remove() }
        let grants = try ExportHarness.grantListConsents(inst.gate, list: ExportHarness.sample)
        #expect(grants.granted > 50)
        let summary = try inst.run(ExportHarness.sample)
        #expect(summary.rowsRead == 200)
        #expect(summary.quarantined == 0)
        let input = try ExportHarness.rows(ExportHarness.sample)
        let byID = Dictionary(input.map { ($0["Fall-ID"]!, $0) }, uniquingKeysWith: { a, _ in a })
        let schoolHouseholds = Set(input.filter { (6...18).contains(ExportHarness.age($0["Geburtsdatum"]) ?? -1) }.compactMap { $0["Haushalt"] })
        let policy = inst.gate.policy
        var totalRecords = 0
        var expectedDisclosed: [String: [DisclosedField]] = [:]
        for (folder, partner) in Self.folders {
            let runs = ExportHarness.runFolders(inst.drive, folder)
            try #require(runs.count == 1, "\(folder): one run folder")
            let dir = inst.drive + "/" + folder + "/" + runs[0]
            #expect(try ExportHarness.opensslVerifies(dir), "\(folder) manifest verifies with openssl")
            let manifest = try ExportHarness.manifest(dir)
            let csv = try ExportHarness.readPartnerCSV(dir + "/registrations.csv")
            let files = manifest["files"] as! [[String: Any]]
            #expect(files.first?["records"] as? Int == csv.rows.count)
            #expect(files.first?["sha256"] as? String == (try InputDigest.sha256Hex(ofFile: dir + "/registrations.csv")))
            #expect((manifest["input"] as? [String: Any])?["sha256"] as? String == (try InputDigest.sha256Hex(ofFile: ExportHarness.sample)))
            #expect(manifest["partner"] as? String == partner)
            #expect((manifest["audit-checkpoint"] as? String)?.contains("\n") == true)
            let profile = policy.exports.first { $0.partner == partner }!
            #expect(csv.header == profile.columns.map { policy.field($0)!.label.de })
            totalRecords += csv.rows.count
            // Every exported row: the cells the slow path (`decide`) permits, the others empty.
            var exportedIDs: Set<String> = []
            for row in csv.rows {
                let id = row[0].isEmpty ? row.first { !$0.isEmpty }! : row[0]
                let source = try #require(byID[id], "\(folder): exported case id \(id) is in the input")
                exportedIDs.insert(id)
                let age = ExportHarness.age(source["Geburtsdatum"])!
                let stored = try #require(try inst.gate.subject(id: id))
                var attrs = stored.attributes
                for f in policy.bundle.fields { if let cell = source[f.label.de], !cell.isEmpty, f.type == .string { attrs.values[f.id] = .string(cell) } }
                attrs.values["household-school-age-child"] = .bool(schoolHouseholds.contains(source["Haushalt"] ?? "?"))
                let decision = policy.decide(DecisionRequest(subject: id, attributes: attrs, partner: partner, purpose: profile.purpose,
                                                             fields: profile.columns, at: ExportHarness.now),
                                             consents: try inst.gate.consents.facts(subject: id, now: ExportHarness.now, subjectBirthDate: stored.birthDate))
                let expected = zip(profile.columns, decision.fields).map { col, d in
                    d.outcome == .permit ? source[policy.field(col)!.label.de] ?? "" : "" }
                #expect(row == expected, "\(folder) \(id)")
                // A released cell that is empty passed no data: the entry names the fields whose values went.
                expectedDisclosed[partner + "/" + id] = zip(decision.fields, expected).filter { $0.0.outcome == .permit && !$0.1.isEmpty }.map(\.0).map { d in
                    DisclosedField(field: d.field, basis: d.basis == .consent ? .consent : .statute, rule: d.rule, citation: d.citation,
                                   consent: d.consent.map { AuditLog.ConsentReference(id: $0.id, clause: $0.clause) })
                }
                switch partner {
                case "schulamt":
                    #expect((6...18).contains(age) || (age >= 18 && schoolHouseholds.contains(source["Haushalt"] ?? "?")),
                            "Schulamt got \(id), aged \(age), not a school-age child nor a guardian of one")
                case "jugendamt": #expect(age < 18)
                default: break
                }
            }
            if partner == "auslaenderbehoerde" {
                // Everyone on the list, and never a health column or a health note.
                #expect(exportedIDs == Set(byID.keys))
                #expect(!csv.header.contains("Gesundheitliche Hinweise"))
                let notes = Set(input.compactMap { $0["Gesundheitliche Hinweise"] }.filter { !$0.isEmpty })
                #expect(csv.rows.allSatisfy { $0.allSatisfy { !notes.contains($0) } })
            }
            if partner == "schulamt" {
                let adults = csv.rows.filter { (ExportHarness.age(byID[$0[0]]?["Geburtsdatum"]) ?? 0) >= 19 }
                #expect(!adults.isEmpty, "guardians of school-age children are exported")
            }
        }
        // One disclosure per exported (record, partner), one export-run per partner, no duplicates.
        let disclosures = try ExportHarness.disclosures(inst.gate)
        #expect(disclosures.count == totalRecords)
        #expect(Set(disclosures.map { $0.partner + "/" + $0.subject }).count == disclosures.count)
        #expect(disclosures.allSatisfy { $0.exportRun == summary.runID && !$0.fields.isEmpty })
        // Each entry (grouped layout, rebuilt from the compact staged rows) names exactly the decided fields, each
        // with its basis, rule, citation and consent.
        #expect(disclosures.allSatisfy { $0.layout == .grouped })
        for d in disclosures {
            let expected = try #require(expectedDisclosed[d.partner + "/" + d.subject])
            #expect(d.fields.sorted { $0.field < $1.field } == expected.sorted { $0.field < $1.field }, "\(d.partner) \(d.subject)")
        }
        #expect(try inst.gate.auditLog.verify(key: inst.gate.auditVerifierKey()).size == (try inst.gate.auditLog.size()))
        #expect(try inst.gate.auditLog.entries(matching: AuditQuery(kinds: [.exportRun])).count == 3)
    }

    @Test("the same input again exports nothing; a changed record goes out next run; --full re-exports all")
    func idempotentRuns() throws {
        let inst = try ExportHarness.open("idempotent")
        defer { inst.remove() }
        let first = try inst.run(ExportHarness.sample)
        let firstCounts = first.partners.map(\.records)
        #expect(firstCounts.allSatisfy { $0 > 0 })
        let auditAfterFirst = try inst.gate.auditLog.size()

        let second = try inst.run(ExportHarness.sample)
        #expect(second.partners.allSatisfy { $0.records == 0 && $0.path == nil })
        for folder in Self.folders.keys { #expect(ExportHarness.runFolders(inst.drive, folder).count == 1) }
        #expect(try inst.gate.auditLog.size() == auditAfterFirst, "nothing new, nothing logged")

        // Change one adult's family name: the Ausländerbehörde gets exactly that record again.
        let text = try String(contentsOfFile: ExportHarness.sample, encoding: .utf8)
        let changedList = inst.dir + "/changed.csv"
        try text.replacingOccurrences(of: ";RSK-2022-000001;Niederkassel;Tkachenko;", with: ";RSK-2022-000001;Niederkassel;Tkachenko-Schmidt;")
            .write(toFile: changedList, atomically: true, encoding: .utf8)
        let third = try inst.run(changedList)
        let abh = try #require(third.partners.first { $0.partner == "auslaenderbehoerde" })
        #expect(abh.records == 1)
        let csv = try ExportHarness.readPartnerCSV(try #require(abh.path) + "/registrations.csv")
        #expect(csv.rows.map { $0[0] } == ["RSK-2022-000001"])
        #expect(csv.rows.first?[1] == "Tkachenko-Schmidt")

        let full = try inst.run(changedList, full: true)
        #expect(full.partners.map(\.records) == firstCounts)
        let disclosures = try ExportHarness.disclosures(inst.gate)
        #expect(disclosures.count == firstCounts.reduce(0, +) * 2 + third.partners.map(\.records).reduce(0, +))
    }

    @Test("a withdrawn consent stops the consent-based cell and sends one signed erasure notice")
    func withdrawalProducesErasureNotice() throws {
        let folder = try ExportHarness.tempDir("withdrawal")
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: folder.path))
        defer { inst.remove() }
        let subjectID = "RSK-2022-000002"   // an adult with a phone number in the sample
        let grantedAt = ExportHarness.now.addingTimeInterval(-30 * 86_400)
        let (consent, _) = try inst.gate.grantConsent(GrantRequest(
            subject: Subject(id: subjectID, birthDate: RFC3339.parse("1948-07-18T00:00:00Z"), municipality: "Niederkassel"),
            templateID: "kim-beratung", language: "de", clauses: ["abh-kontakt"], grantedAt: grantedAt,
            collectedBy: CaseManagerReference(caseManager: "cm.test", municipality: "Niederkassel")), actor: Actor(id: "test"),
            now: grantedAt)
        let phoneColumn = 13
        let first = try inst.run(ExportHarness.sample)
        let abh1 = try #require(first.partners.first { $0.partner == "auslaenderbehoerde" }?.path)
        let rows1 = try ExportHarness.readPartnerCSV(abh1 + "/registrations.csv").rows
        #expect(rows1.first { $0[0] == subjectID }?[phoneColumn] == "+380 91 149 2186", "released on consent")
        #expect(rows1.filter { $0[0] != subjectID }.allSatisfy { $0[phoneColumn].isEmpty }, "no consent, no phone")
        let d1 = try ExportHarness.disclosures(inst.gate).first { $0.subject == subjectID && $0.partner == "auslaenderbehoerde" }
        #expect(d1?.fields.first { $0.field == "contact.phone" }?.consent?.id == consent.id)

        _ = try inst.gate.withdrawConsent(id: consent.id, at: ExportHarness.now.addingTimeInterval(-86_400),
                                          recordedBy: CaseManagerReference(caseManager: "cm.test", municipality: "Niederkassel"),
                                          actor: Actor(id: "test"), now: ExportHarness.now.addingTimeInterval(-86_400))
        let second = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(60))
        let abh2 = try #require(second.partners.first { $0.partner == "auslaenderbehoerde" })
        #expect(abh2.records == 1 && abh2.notices == 1)
        let folder2 = try #require(abh2.path)
        let rows2 = try ExportHarness.readPartnerCSV(folder2 + "/registrations.csv").rows
        #expect(rows2.count == 1 && rows2[0][0] == subjectID && rows2[0][phoneColumn].isEmpty, "the flow stopped")
        let notices = try ExportHarness.readPartnerCSV(folder2 + "/erasure-notices.csv")
        #expect(notices.header == ["Fall-ID", "Einwilligung", "Widerrufen am", "Hinweis"])
        #expect(notices.rows.map { [$0[0], $0[1]] } == [[subjectID, consent.id]])
        #expect(try ExportHarness.opensslVerifies(folder2))
        let listed = (try ExportHarness.manifest(folder2)["files"] as! [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(listed.sorted() == ["erasure-notices.csv", "registrations.csv"])
        let logged = try inst.gate.auditLog.entries(matching: AuditQuery(kinds: [.erasureNotice]))
        #expect(logged.count == 1)
        // Only once per (consent, partner).
        let third = try inst.run(ExportHarness.sample, now: ExportHarness.now.addingTimeInterval(120))
        #expect(third.partners.allSatisfy { $0.notices == 0 && $0.path == nil })
        #expect(try inst.gate.auditLog.entries(matching: AuditQuery(kinds: [.erasureNotice])).count == 1)
    }

    @Test("a dry run counts per partner and writes nothing: no folder, no report, no subject, no audit entry")
    func dryRunWritesNothing() throws {
        let inst = try ExportHarness.open("dry")
        defer { inst.remove() }
        let auditBefore = try inst.gate.auditLog.size()
        let dry = try inst.run(ExportHarness.messy, dryRun: true)
        #expect(dry.dryRun)
        #expect(dry.partners.allSatisfy { $0.records > 0 && !$0.columns.isEmpty && $0.path == nil })
        #expect(dry.quarantined > 0 && dry.quarantineReport == nil)
        #expect(ExportHarness.allEntries(inst.drive).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inst.drive).isEmpty, "not even the lock file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: inst.dir + "/reports").isEmpty)
        #expect(try inst.gate.auditLog.size() == auditBefore)
        #expect(try inst.gate.subject(id: "RSK-2022-000001") == nil)
        // The real run then exports what the dry run announced.
        let real = try inst.run(ExportHarness.messy)
        #expect(real.partners.map(\.records) == dry.partners.map(\.records))
    }

    @Test("messy list: every broken line is quarantined and reported, none is exported, the rest goes out")
    func messyListQuarantine() throws {
        let inst = try ExportHarness.open("messy")
        defer { inst.remove() }
        let summary = try inst.run(ExportHarness.messy)
        let listed = try String(contentsOfFile: ExportHarness.shared.appendingPathComponent("data/registrations-messy.broken.txt").path, encoding: .utf8)
            .split(separator: "\n")
        let broken = listed.compactMap { line in line.split(separator: " ").dropFirst(4).first.flatMap { Int($0.dropLast()) } }
        #expect(broken.count == listed.count && broken.count >= 10)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            try #require(summary.quarantineReport).replacingOccurrences(of: ".csv", with: ".json")))) as! [String: Any]
        let lines = Set((report["entries"] as! [[String: Any]]).map { $0["line"] as! Int })
        for line in broken { #expect(lines.contains(line), "line \(line) reported") }
        #expect(lines == Set(broken), "exactly the listed lines are quarantined")
        #expect(summary.quarantined == lines.count)
        let abh = try #require(summary.partners.first { $0.partner == "auslaenderbehoerde" })
        #expect(abh.records == summary.rowsRead - summary.quarantined)
        let exported = try ExportHarness.readPartnerCSV(try #require(abh.path) + "/registrations.csv").rows
        #expect(exported.allSatisfy { row in !row.contains { $0.hasPrefix("=") } }, "no formula survives")
    }
}

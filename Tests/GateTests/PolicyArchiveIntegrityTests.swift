import AuditLog
import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Testing
@testable import Gate

/// `Gate.archivedPolicy(digest:)` returns only a bundle whose files give the digest it was asked for: an archive
/// row whose files were changed afterwards is an integrity failure (exit 4), not another policy passed off as that one.
@Suite struct PolicyArchiveIntegrityTests {
    @Test func anArchivedFileChangedInTheDatabaseIsAnIntegrityFailure() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (changed, digest) = try Self.changedPolicy(inst)
        #expect(try changed.archivedPolicy(digest: digest)?.digest == digest, "untouched, the archive gives the bundle")

        // Change one rule's citation in the archived rules.yaml (a change the digest covers), as a tamperer would.
        try changed.database.writer.write { db in
            let blob = try #require(try Data.fetchOne(db, sql: "SELECT files FROM policy_archive WHERE digest = ?", arguments: [digest]))
            var files = try JSONDecoder().decode([String: String].self, from: blob)
            let rules = try #require(files["rules.yaml"].flatMap { Data(base64Encoded: $0) }.flatMap { String(data: $0, encoding: .utf8) })
            let tampered = rules.replacingOccurrences(of: "§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO",
                                                      with: "§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO (geändert)")
            try #require(tampered != rules)
            files["rules.yaml"] = Data(tampered.utf8).base64EncodedString()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try db.execute(sql: "UPDATE policy_archive SET files = ? WHERE digest = ?", arguments: [try encoder.encode(files), digest])
        }

        let error = try #require(throws: PolicyArchiveError.self) { try changed.archivedPolicy(digest: digest) }
        guard case let .digestMismatch(expected, actual) = error else { Issue.record("\(error)"); return }
        #expect(expected == digest && actual != digest)
        #expect(error.category == .integrity && error.category.exitCode == 4)
        #expect(error.message(in: .en).contains("altered") && error.message(in: .en).contains(digest))
        #expect(error.message(in: .de).contains("verändert") && error.message(in: .de).contains(digest))
    }

    /// The Art. 15 report names the norm of each decision's rule from the policy in force then, through the archive's
    /// checks: a changed archive row fails the report as an integrity failure (exit 4). The report used to unpack the
    /// row itself and name the tamperer's citation.
    @Test func theReportsCitationsComeThroughTheArchivesChecks() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let original = try inst.open()
        let digest = original.policy.digest
        let id = "RSK-2026-000781"
        _ = try original.check(CheckRequest(subject: id, statedAttributes: Subject(id: id, birthDate: Fixture.day("1990-01-01"), municipality: "Troisdorf"),
                                            partner: "auslaenderbehoerde", purpose: "residence-registration", fields: ["name.family"],
                                            at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        let changed = try inst.open(policy: try inst.policyCopy("policy-changed", edits: GatePolicyArchiveTests.citationEdit))
        let citation = try #require(original.policy.bundle.rules.first { $0.id == "abh-registration" }?.citation)
        let untouched = try changed.subjectReport(id, actor: "dpo-1", command: "audit report")
        #expect(untouched.disclosures.flatMap(\.fields).map(\.citation) == [citation], "\(untouched.disclosures)")

        try Self.replaceArchive(changed, digest: digest) { files in
            var files = files
            let rules = try #require(files["rules.yaml"].flatMap { Data(base64Encoded: $0) }.flatMap { String(data: $0, encoding: .utf8) })
            let tampered = rules.replacingOccurrences(of: citation, with: "§ 1 Erfunden")
            try #require(tampered != rules)
            files["rules.yaml"] = Data(tampered.utf8).base64EncodedString()
            return try Self.encoded(files)
        }
        let error = try #require(throws: PolicyArchiveError.self) { try changed.subjectReport(id, actor: "dpo-1", command: "audit report") }
        #expect(error.category.exitCode == 4, "\(error)")
    }

    /// An export's `disclosure` entry carries its norm itself; the archive gives only its English wording. So a damaged
    /// archive row of a policy only such entries name does not stop the person's report (the entry's own norm is shown;
    /// `audit verify` reports the row), while one a `decision` entry needs still fails it (found in this session's
    /// review: bilingual citations had made every export-only report depend on the archive).
    @Test func aDamagedArchiveRowNamedOnlyByDisclosuresDoesNotStopTheReport() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (changed, digest) = try Self.changedPolicy(inst)
        let id = "RSK-2026-000782"
        let norm = "§ 87 Abs. 1 AufenthG (Auskunft auf Ersuchen); § 24 AufenthG; § 86 AufenthG"
        let disclosure = DisclosureRecord(partner: "auslaenderbehoerde", purpose: "residence-registration", subject: id,
                                          fields: [DisclosedField(field: "name.family", basis: .statute, rule: "abh-registration", citation: norm)],
                                          exportRun: "20260301T100000Z-test")
        _ = try changed.record([AuditEntry(time: Fixture.time("2026-03-01T10:00:00Z"), actor: "export", municipality: "Troisdorf",
                                           policyDigest: digest, content: .disclosure(disclosure))])
        try Self.replaceArchive(changed, digest: digest) { _ in Data("not json".utf8) }
        let report = try changed.subjectReport(id, actor: "dpo-1", command: "audit report")
        #expect(report.disclosures.flatMap(\.fields).map(\.citation) == [norm], "\(report.disclosures)")

        _ = try changed.check(CheckRequest(subject: id, statedAttributes: Subject(id: id, birthDate: Fixture.day("1990-01-01"), municipality: "Troisdorf"),
                                           partner: "auslaenderbehoerde", purpose: "residence-registration", fields: ["name.family"],
                                           at: Fixture.time("2026-03-02T10:00:00Z")), actor: Fixture.actor)
        // The check ran under the policy in force (its own digest, not archived-only): the report still reads.
        _ = try changed.subjectReport(id, actor: "dpo-1", command: "audit report")
        // A decision entry logged under the damaged policy's digest makes the report fail as before (integrity, exit 4).
        let decision = try #require(try changed.auditLog.entries(matching: AuditQuery(subject: id, kinds: [.decision])).first)
        var old = decision.entry
        old.policyDigest = digest
        _ = try changed.record([old])
        let error = try #require(throws: PolicyArchiveError.self) { try changed.subjectReport(id, actor: "dpo-1", command: "audit report") }
        #expect(error.category.exitCode == 4, "\(error)")
    }

    /// A bundle archived before a later loader check (here a forbid rule's `basis`, refused since 2026-12-05) is still
    /// replayed: `archivedPolicy` returns it under its digest, while the same bundle could not come into force today.
    @Test func aBundleArchivedBeforeALaterCheckIsStillReplayed() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let older = try inst.policyCopy("policy-older", edits: ["rules.yaml": [(
            "    effect: forbid\n    partners: [auslaenderbehoerde]\n    categories: [health, special-needs, counselling]\n",
            "    effect: forbid\n    partners: [auslaenderbehoerde]\n    categories: [health, special-needs, counselling]\n    basis: consent\n")]])
        #expect(throws: PolicyError.self) { try CompiledPolicy.load(directory: URL(fileURLWithPath: older)) }
        let digest = try CompiledPolicy.load(directory: URL(fileURLWithPath: older), archived: true).digest
        #expect(digest != gate.policy.digest, "the basis was part of the digest then")
        // Stored as an earlier release stored the bundle it loaded.
        let files = try PolicyArchive.collect(directory: older)
        try gate.database.writer.write { db in
            try db.execute(sql: "INSERT INTO policy_archive (digest, bundle_id, version, files, loaded_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [digest, gate.policy.bundle.id, "older", files, "2026-11-30T08:00:00Z"])
        }
        let archived = try #require(try gate.archivedPolicy(digest: digest))
        #expect(archived.digest == digest)
        #expect(archived.bundle.tests.isEmpty, "an archived bundle's tests are not read")
    }

    /// A bundle with template titles archived by a release before 2026-12-05 is filed under the digest of its time,
    /// which left titles out (they were read and dropped): it is still that bundle, not an altered one (found in a review
    /// of upgrades: after the upgrade, every Art. 15 report and `audit explain` of an older decision failed with exit 4).
    /// A digest that no form of the files gives stays an integrity failure.
    @Test func aBundleArchivedUnderTheDigestWithoutTitlesIsStillThatBundle() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let titled = try inst.policyCopy("policy-titled", edits: ["rules.yaml": [("§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO",
                                                                                  "§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO (älter)")]])
        let bundle = try CompiledPolicy.load(directory: URL(fileURLWithPath: titled), archived: true).bundle
        try #require(bundle.templates.contains { $0.title != nil }, "the shipped templates have titles")
        let earlier = try #require(BundleDigest.earlierDigests(of: bundle).first)
        #expect(earlier != BundleDigest.digest(of: bundle))
        let files = try PolicyArchive.collect(directory: titled)
        try gate.database.writer.write { db in
            for (digest, version) in [(earlier, "filed-without-titles"), ("sha256:" + String(repeating: "0", count: 64), "filed-under-nothing")] {
                try db.execute(sql: "INSERT INTO policy_archive (digest, bundle_id, version, files, loaded_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [digest, gate.policy.bundle.id, version, files, "2026-11-30T08:00:00Z"])
            }
        }
        let archived = try #require(try gate.archivedPolicy(digest: earlier))
        #expect(archived.bundle.rules.contains { $0.citation.hasSuffix("(älter)") })
        // Filed by this release (after the digest took titles), the same row is a changed one: titles added afterwards.
        try gate.database.writer.write { db in
            try db.execute(sql: "UPDATE policy_archive SET loaded_at = ? WHERE digest = ?", arguments: ["2026-12-07T08:00:00Z", earlier])
        }
        #expect(throws: PolicyArchiveError.self) { try gate.archivedPolicy(digest: earlier) }
        #expect(throws: PolicyArchiveError.self) { try gate.archivedPolicy(digest: "sha256:" + String(repeating: "0", count: 64)) }
    }

    /// `inst` opened under its policy and then under a changed one: the gate under the changed policy, and the digest of
    /// the first policy (now in the archive only).
    static func changedPolicy(_ inst: GateTestInstallation) throws -> (changed: Gate, digest: String) {
        let digest = try inst.open().policy.digest
        let changed = try inst.open(policy: try inst.policyCopy("policy-changed", edits: GatePolicyArchiveTests.citationEdit))
        return (changed, digest)
    }

    /// Replaces the archive row of `digest` with `blob`, as a tamperer or a broken disk would.
    static func replaceArchive(_ gate: Gate, digest: String, with blob: ([String: String]) throws -> Data) throws {
        try gate.database.writer.write { db in
            let stored = try #require(try Data.fetchOne(db, sql: "SELECT files FROM policy_archive WHERE digest = ?", arguments: [digest]))
            let files = try JSONDecoder().decode([String: String].self, from: stored)
            try db.execute(sql: "UPDATE policy_archive SET files = ? WHERE digest = ?", arguments: [try blob(files), digest])
        }
    }

    static func encoded(_ files: [String: String]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(files)
    }

    /// A row ConsentGate cannot have written (not JSON, an entry that is not base64, an entry leaving the folder): the
    /// bytes are certainly not what was archived, an integrity failure (exit 4) naming the digest. It used to surface
    /// as a JSON decoding error or a storage failure (exit 5).
    @Test(arguments: ["not-json", "not-base64", "leaves-the-folder"])
    func aRowConsentGateCannotHaveWrittenIsAnIntegrityFailure(damage: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (changed, digest) = try Self.changedPolicy(inst)
        try Self.replaceArchive(changed, digest: digest) { files in
            var files = files
            switch damage {
            case "not-json": return Data("PK\u{3}\u{4} zip, not JSON".utf8)
            case "not-base64": files["rules.yaml"] = "not base64!"
            default: files["../outside.yaml"] = Data("x: 1\n".utf8).base64EncodedString()
            }
            return try Self.encoded(files)
        }
        let error = try #require(throws: PolicyArchiveError.self) { try changed.archivedPolicy(digest: digest) }
        guard case .unreadable(let named, _) = error else { Issue.record("\(error)"); return }
        #expect(named == digest)
        #expect(error.category.exitCode == 4)
        #expect(error.message(in: .en).contains("altered") && error.message(in: .de).contains("verändert"))
    }

    /// Archived files that no longer load (here: written for a bundle format this release does not read) cannot be
    /// checked against the digest, which covers the loaded bundle: invalid input (exit 3) saying so, with the loader's
    /// reason and the digest, not an integrity failure that cannot be shown, and not the bare loader error about a
    /// temporary folder.
    @Test func archivedFilesThatNoLongerLoadSayWhyTheyCannotBeChecked() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (changed, digest) = try Self.changedPolicy(inst)
        try Self.replaceArchive(changed, digest: digest) { files in
            var files = files
            let policy = try #require(files["policy.yaml"].flatMap { Data(base64Encoded: $0) }.flatMap { String(data: $0, encoding: .utf8) })
            let older = policy.replacingOccurrences(of: "apiVersion: consentgate/v1", with: "apiVersion: consentgate/v0")
            try #require(older != policy)
            files["policy.yaml"] = Data(older.utf8).base64EncodedString()
            return try Self.encoded(files)
        }
        let error = try #require(throws: PolicyArchiveError.self) { try changed.archivedPolicy(digest: digest) }
        guard case .unloadable(let named, let reason) = error else { Issue.record("\(error)"); return }
        #expect(named == digest)
        #expect(reason.en.contains("consentgate/v0"), "the loader's reason: \(reason.en)")
        #expect(error.category.exitCode == 3)
        #expect(error.message(in: .en).contains(digest) && error.message(in: .en).contains("older format"))
        #expect(error.message(in: .de).contains(digest) && error.message(in: .de).contains("älteren Format"))
    }
}

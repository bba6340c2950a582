import Diagnostics
import Foundation
import GRDB
import Testing
@testable import Gate

/// `Gate.archivedPolicy(digest:)` returns only a bundle whose files give the digest it was asked for: an archive
/// row whose files were changed afterwards is an integrity failure (exit 4), not another policy passed off as that one.
@Suite struct PolicyArchiveIntegrityTests {
    @Test func anArchivedFileChangedInTheDatabaseIsAnIntegrityFailure() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let original = try inst.open()
        let changed = try inst.open(policy: try inst.policyCopy("policy-changed", edits: GatePolicyArchiveTests.citationEdit))
        let digest = original.policy.digest
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
}

import Foundation
import Testing

/// `consentgate audit explain --index N`: re-evaluate a logged decision, then again after a policy change.
@Suite struct AuditExplainCLITests {
    @Test func explainReproducesThenReportsTheChangeAfterANewPolicy() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant()
        let check = try inst.check(fields: "name.family,address.street,health.notes", at: "2026-03-01T10:00:00Z")
        #expect(check.exitCode == 0, "\(check)")
        let index = try #require((check.json?["audit"] as? [String: Any])?["index"] as? Int, "\(check)")
        let digest = try #require((check.json?["policy"] as? [String: Any])?["digest"] as? String)

        let explained = try inst.run(["audit", "explain", "--index", String(index), "--json"])
        #expect(explained.exitCode == 0, "\(explained)")
        let e = try #require(explained.json, "\(explained)")
        #expect(e["index"] as? Int == index)
        #expect(e["policy-digest"] as? String == digest)
        #expect(e["reproduces"] as? Bool == true && e["same-today"] as? Bool == true)
        #expect(e["differences-archived"] as? [String] == [] && e["differences-today"] as? [String] == [])
        let today = e["today"] as? [String: Any]
        #expect(today?["released"] as? [String] == check.json?["released"] as? [String])
        #expect((e["archived"] as? [String: Any])?["released"] as? [String] == ["name.family", "address.street"])

        // The same installation with a bundle whose jobcenter consent rule no longer covers names.
        let copy = inst.dir.appendingPathComponent("policy-narrowed")
        try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"), to: copy)
        let rules = copy.appendingPathComponent("rules.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let old = "fields: [case.id, name.*, birth.date, person.nationality, address.*, contact.*, residence.status,"
        try #require(text.components(separatedBy: old).count == 2)
        try Data(text.replacingOccurrences(of: old, with: old.replacingOccurrences(of: " name.*,", with: "")).utf8).write(to: rules)

        let changed = try inst.run(["audit", "explain", "--index", String(index), "--json", "--policy", copy.path])
        #expect(changed.exitCode == 0, "\(changed)")
        let c = try #require(changed.json, "\(changed)")
        #expect(c["reproduces"] as? Bool == true, "the archived bundle must still reproduce the decision: \(changed)")
        #expect(c["same-today"] as? Bool == false)
        #expect(c["differences-today"] as? [String] == ["name.family"])
        #expect((c["today"] as? [String: Any])?["released"] as? [String] == ["address.street"])
        #expect(try inst.auditKinds().filter { $0 == "policy-loaded" }.count == 2)

        let human = try inst.run(["audit", "explain", "--index", String(index), "--policy", copy.path, "--lang", "en"])
        #expect(human.exitCode == 0, "\(human)")
        #expect(human.stdout.contains("With the policy of the time: same result."), "\(human)")
        #expect(human.stdout.contains("With today's policy: different for name.family"), "\(human)")
        let german = try inst.run(["audit", "explain", "--index", String(index), "--policy", copy.path, "--lang", "de"])
        #expect(german.stdout.contains("Mit der heutigen Richtlinie: anders bei name.family"), "\(german)")
    }

    @Test func explainingANonDecisionIsInvalidInput() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant()
        let grantIndex = try #require((granted["audit"] as? [String: Any])?["index"] as? Int)
        let r = try inst.run(["audit", "explain", "--index", String(grantIndex), "--json"])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("audit entry \(grantIndex) is not a decision (consent-granted)"), "\(r)")
        #expect(r.stdout.isEmpty)
        let beyond = try inst.run(["audit", "explain", "--index", "50"])
        #expect(beyond.exitCode != 0 && beyond.exitCode != 1, "\(beyond)")
        #expect(beyond.stderr.contains("50"), "the error should name the index: \(beyond)")
    }

    /// A decision made before the person was recorded knew no age; the birth date recorded afterwards gives one. The note
    /// says the date was recorded only after the decision, not that it "has changed" (DPO review, session 35, C7).
    @Test(arguments: [("en", "the person's birth date was recorded only after the decision (it gives age 77"),
                      ("de", "Das Geburtsdatum der Person wurde erst nach der Entscheidung erfasst (es ergibt für den Tag der Entscheidung das Alter 77")])
    func aBirthDateRecordedOnlyAfterTheDecisionIsNoChange(lang: String, words: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let check = try inst.check(fields: "name.family", at: "2026-03-01T10:00:00Z")
        let index = try #require((check.json?["audit"] as? [String: Any])?["index"] as? Int, "\(check)")
        _ = try inst.grant()   // records the person, born 1948-07-18
        let r = try inst.run(["audit", "explain", "--index", String(index), "--lang", lang])
        #expect(r.stdout.contains(words), "\(r.stdout)")
        #expect(!r.stdout.contains(lang == "de" ? "geändert" : "has changed"), "\(r.stdout)")
    }
}

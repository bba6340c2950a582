import Foundation
import Testing

/// `consent list`, `consent show` and `consent import` in German name the state and the kind of document in German:
/// the list line said `withdrawn` in front of `widerrufen 2026-…`, `active` for a valid consent, and import said
/// `bereits vorhanden: consent …`. English keeps the words of the JSON (`active`, `withdrawn`, `consent`).
@Suite struct ConsentListGermanCLITests {
    @Test func statesAndKindsAreGermanInGerman() throws {
        let inst = try CLIInstallation()
        let (_, granted) = try inst.grant()
        let id = try #require(granted["id"] as? String)
        let (_, other) = try inst.grant(grantedAt: RecentTime.daysAgo(30))   // in force today, whenever the test runs
        let otherID = try #require(other["id"] as? String)
        #expect(try inst.run(["consent", "withdraw", id, "--at", "2026-02-01T09:00:00Z"]).exitCode == 0)

        let german = try inst.run(["consent", "list", "--subject", CLIFixture.subject], environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 0, "\(german)")
        let line = try #require(german.stdout.split(separator: "\n").first { $0.hasPrefix(id) }.map(String.init), "\(german)")
        #expect(line.contains("  widerrufen  ") && line.contains("widerrufen 2026-02-01T09:00:00Z"), "\(line)")
        let shown = try inst.run(["consent", "show", otherID, "--lang", "de"])
        #expect(shown.stdout.hasPrefix("\(otherID)  gültig  "), "\(shown)")
        for english in ["withdrawn", "active"] {
            #expect(!german.stdout.contains(english) && !shown.stdout.contains(english), "\(english): \(german)\(shown)")
        }

        let out = inst.dir.appendingPathComponent("out")
        #expect(try inst.run(["consent", "export", otherID, "--out", out.path]).exitCode == 0)
        let file = out.appendingPathComponent("consent-\(otherID).jws.json").path
        let again = try inst.run(["consent", "import", file], environment: ["CONSENTGATE_LANG": "de"])
        #expect(again.stdout == "bereits vorhanden: Einwilligung \(otherID)\n", "\(again)")

        // English: the JSON's words, as before.
        let english = try inst.run(["consent", "list", "--subject", CLIFixture.subject, "--lang", "en"])
        #expect(english.stdout.contains("\(id)  withdrawn  ") && english.stdout.contains("\(otherID)  active  "), "\(english)")
        let againEN = try inst.run(["consent", "import", file, "--lang", "en"])
        #expect(againEN.stdout == "already present: consent \(otherID)\n", "\(againEN)")
    }
}

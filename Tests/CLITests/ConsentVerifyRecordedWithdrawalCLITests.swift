import Foundation
import Testing

/// `consent verify` of a consent this installation records as withdrawn said only "valid" (found in a review from the
/// partner's side, 2026-12-06): the signature holds, but the consent releases nothing any more. It now says so, in
/// words and in `--json` (`withdrawn-at`, or `withdrawn-clauses` for single lines); the exit code stays 0, as the
/// document itself is sound.
@Suite struct ConsentVerifyRecordedWithdrawalCLITests {
    @Test func aConsentWithdrawnHereIsNotCalledPlainlyValid() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (id, file) = try Self.grantedAndExported(inst)

        let before = try inst.run(["consent", "verify", file, "--json"])
        #expect(before.exitCode == 0 && before.json?["withdrawn-at"] == nil && before.json?["withdrawn-clauses"] == nil, "\(before)")

        #expect(try inst.run(["consent", "withdraw", id, "--clause", "sprachkurs", "--at", "2026-04-01T00:00:00Z"]).exitCode == 0)
        let lines = try inst.run(["consent", "verify", file, "--json"])
        #expect(lines.exitCode == 0 && (lines.json?["withdrawn-clauses"] as? [String: String]) == ["sprachkurs": "2026-04-01T00:00:00Z"], "\(lines)")
        let linesEN = try inst.run(["consent", "verify", file, "--lang", "en"])
        #expect(linesEN.stdout.contains("valid: consent \(id) – lines withdrawn in this installation: sprachkurs (2026-04-01T00:00:00Z)"), "\(linesEN)")

        #expect(try inst.run(["consent", "withdraw", id, "--at", "2026-05-01T00:00:00Z"]).exitCode == 0)
        let whole = try inst.run(["consent", "verify", file, "--json"])
        #expect(whole.exitCode == 0 && whole.json?["withdrawn-at"] as? String == "2026-05-01T00:00:00Z" && whole.json?["valid"] as? Bool == true, "\(whole)")
        let de = try inst.run(["consent", "verify", file, "--lang", "de"])
        #expect(de.exitCode == 0 && de.stdout.contains("aber in dieser Installation widerrufen am 2026-05-01T00:00:00Z: sie gibt nichts mehr frei"), "\(de)")
        let en = try inst.run(["consent", "verify", file, "--lang", "en"])
        #expect(en.stdout.contains("but withdrawn in this installation at 2026-05-01T00:00:00Z: it releases nothing any more"), "\(en)")
    }

    /// Every granted line withdrawn one by one is the whole consent withdrawn (from the last of them), as the evaluator
    /// and the pages read it.
    @Test func allLinesWithdrawnOneByOneIsTheWholeConsent() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (id, file) = try Self.grantedAndExported(inst)
        #expect(try inst.run(["consent", "withdraw", id, "--clause", "sprachkurs", "--at", "2026-04-01T00:00:00Z"]).exitCode == 0)
        #expect(try inst.run(["consent", "withdraw", id, "--clause", "jobcenter", "--at", "2026-05-01T00:00:00Z"]).exitCode == 0)
        let json = try inst.run(["consent", "verify", file, "--json"])
        #expect(json.json?["withdrawn-at"] as? String == "2026-05-01T00:00:00Z" && json.json?["withdrawn-clauses"] == nil, "\(json)")
        let en = try inst.run(["consent", "verify", file, "--lang", "en"])
        #expect(en.stdout.contains("but withdrawn in this installation at 2026-05-01T00:00:00Z: it releases nothing any more"), "\(en)")
    }

    /// A consent with the lines jobcenter and sprachkurs granted in `inst`, and its signed file (`consent export`).
    /// A consent whose time ran out is still a sound document ("valid", exit 0), but it releases nothing, and verify
    /// says so (it said "gültig" alone: a wording review, 2026-12-07); `--json` has `expired`.
    @Test func anExpiredConsentIsSaidToBeExpired() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant(clauses: "jobcenter", extra: ["--validity", "P30D"])
        let id = try #require(granted["id"] as? String)
        let export = try inst.run(["consent", "export", id, "--out", inst.path("out")])
        let file = try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.contains("consent-\(id)") }, "\(export)")
        let json = try inst.run(["consent", "verify", file, "--json"])
        #expect(json.exitCode == 0 && json.json?["valid"] as? Bool == true && json.json?["expired"] as? Bool == true, "\(json)")
        let de = try inst.run(["consent", "verify", file, "--lang", "de"])
        #expect(de.exitCode == 0 && de.stdout.contains("gültig: Einwilligung \(id) – aber abgelaufen am 2026-02-09T09:00:00Z: sie gibt nichts mehr frei"), "\(de)")
        let en = try inst.run(["consent", "verify", file, "--lang", "en"])
        #expect(en.stdout.contains("valid: consent \(id) – but expired at 2026-02-09T09:00:00Z: it releases nothing any more"), "\(en)")
    }

    static func grantedAndExported(_ inst: CLIInstallation) throws -> (id: String, file: String) {
        let (_, granted) = try inst.grant(clauses: "jobcenter,sprachkurs")
        let id = try #require(granted["id"] as? String)
        let export = try inst.run(["consent", "export", id, "--out", inst.path("out")])
        return (id, try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.contains("consent-\(id)") }, "\(export)"))
    }
}

import Foundation
import Testing

/// `consent verify`, `consent export` / `consent import` between two installations, and `consent form`.
@Suite struct ConsentDocumentsCLITests {
    /// The clause ids of `kim-beratung` v3 in the shipped bundle, in order.
    static let beratungClauses = ["jobcenter", "jobcenter-gesundheit", "agentur-fuer-arbeit", "sprachkurs", "jugendamt",
                                  "jugendamt-gesundheit", "jugendamt-beratung", "schulamt-foerderbedarf", "abh-kontakt",
                                  "abh-integration", "sozialamt", "einbuergerung", "migrationsberatung"]

    @Test func exportThenImportIntoASecondDatabaseIsIdempotent() throws {
        let source = try CLIInstallation()
        defer { source.remove() }
        let (_, granted) = try source.grant(clauses: "jobcenter,sprachkurs")
        let id = try #require(granted["id"] as? String)
        let withdraw = try source.run(["consent", "withdraw", id, "--at", "2026-04-01T00:00:00Z"])
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        let out = source.path("export")
        let export = try source.run(["consent", "export", id, "--out", out])
        #expect(export.exitCode == 0, "\(export)")
        let files = export.stdout.split(separator: "\n").map(String.init)
        #expect(files.count == 2, "\(export)")
        let consentFile = try #require(files.first { $0.contains("consent-\(id)") }, "\(files)")
        let withdrawalFile = try #require(files.first { $0.contains("withdrawal-\(id)") }, "\(files)")
        // The exported bytes are the stored evidence, verbatim.
        let storedHex = try source.sqlite("SELECT hex(jws) FROM consent WHERE id = '\(id)';")
        let fileHex = try Data(contentsOf: URL(fileURLWithPath: consentFile)).map { String(format: "%02X", $0) }.joined()
        #expect(storedHex == [fileHex])

        let target = try CLIInstallation(name: "other.sqlite")
        defer { target.remove() }
        // A withdrawal needs its consent first.
        let early = try target.run(["consent", "import", withdrawalFile])
        #expect(early.exitCode == 3, "\(early)")
        for (file, kind) in [(consentFile, "consent"), (withdrawalFile, "withdrawal")] {
            let r = try target.run(["consent", "import", file])
            #expect(r.exitCode == 0, "\(r)")
            #expect(r.stdout.contains("imported: \(kind) \(id)"), "\(r)")
        }
        let kindsAfterFirst = try target.auditKinds()
        #expect(kindsAfterFirst == CLIFixture.openingKinds + ["consent-granted", "consent-withdrawn"])
        for (file, kind) in [(consentFile, "consent"), (withdrawalFile, "withdrawal")] {
            let r = try target.run(["consent", "import", file])
            #expect(r.exitCode == 0, "\(r)")
            #expect(r.stdout.contains("already present: \(kind) \(id)"), "\(r)")
        }
        #expect(try target.auditKinds() == kindsAfterFirst, "a repeated import must log nothing")
        #expect(try target.sqlite("SELECT count(*) FROM consent;") == ["1"])
        #expect(try target.sqlite("SELECT hex(jws) FROM consent WHERE id = '\(id)';") == storedHex)

        // The target installation does not know the person's age: a consent that may need a guardian is not
        // relied on (consent-invalid, never a permit) until the birth date is stated or recorded.
        let unknownAge = try target.check(fields: "name.family", at: "2026-03-01T10:00:00Z")
        #expect(CLIFixture.field(unknownAge.json, "name.family")?["reason"] as? String == "consent-invalid", "\(unknownAge)")
        // With the birth date the imported record decides as the original: the consent and its withdrawal both came
        // over, so a check made now is refused as withdrawn, also one for a day before the withdrawal (its data could go
        // out only now: `BackDatedCheckWithdrawalTests`), naming the imported consent.
        let adult = ["--birth-date", "1948-07-18"]
        let before = try target.check(fields: "name.family", at: "2026-03-01T10:00:00Z", extra: adult)
        #expect(CLIFixture.field(before.json, "name.family")?["reason"] as? String == "consent-revoked", "\(before)")
        #expect((CLIFixture.field(before.json, "name.family")?["consent"] as? [String: Any])?["id"] as? String == id, "\(before)")
        let after = try target.check(fields: "name.family", at: "2026-05-01T10:00:00Z", extra: adult)
        #expect(CLIFixture.field(after.json, "name.family")?["reason"] as? String == "consent-revoked", "\(after)")
        let verify = try target.auditVerify()
        #expect(verify.exitCode == 0, "\(verify)")
    }

    /// An imported consent without a guardian, for a person whose age the installation does not know, lists as
    /// `needs-birth-date` (not `active`) exactly when a check denies it; `import --birth-date` records the age.
    @Test func importedConsentNeedsTheBirthDateBeforeItCounts() throws {
        let source = try CLIInstallation()
        defer { source.remove() }
        let (_, granted) = try source.grant(clauses: "jobcenter", grantedAt: "2026-01-10T09:00:00Z")
        let id = try #require(granted["id"] as? String)
        let export = try source.run(["consent", "export", id, "--out", source.path("export")])
        let consentFile = try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.contains("consent-\(id)") },
                                       "\(export)")
        let target = try CLIInstallation(name: "other.sqlite")
        defer { target.remove() }
        #expect(try target.run(["consent", "import", consentFile]).exitCode == 0)
        // The states as of the moment the checks below ask about (the consent runs out in 2028).
        let listed = try target.run(["consent", "list", "--subject", CLIFixture.subject, "--at", "2026-03-01T10:00:00Z", "--lang", "en"])
        #expect(listed.stdout.contains("needs-birth-date") && !listed.stdout.contains("  active  "), "\(listed)")
        #expect(listed.stdout.contains("consent import --birth-date"), "\(listed)")
        let denied = try target.check(fields: "name.family", at: "2026-03-01T10:00:00Z")
        #expect(CLIFixture.field(denied.json, "name.family")?["reason"] as? String == "consent-invalid", "\(denied)")

        // A birth date under the minimum age with no guardian: refused, and the person is not recorded.
        let minor = try target.run(["consent", "import", consentFile, "--birth-date", "2015-02-01"])
        #expect(minor.exitCode == 3, "\(minor)")
        #expect(try target.sqlite("SELECT count(*) FROM subject WHERE birth_date IS NOT NULL;") == ["0"])
        // The adult's birth date: recorded; the consent is active and permits without stating the age again.
        let adult = try target.run(["consent", "import", consentFile, "--birth-date", "1948-07-18"])
        #expect(adult.exitCode == 0 && adult.stdout.contains("already present"), "\(adult)")
        let relisted = try target.run(["consent", "list", "--subject", CLIFixture.subject, "--at", "2026-03-01T10:00:00Z", "--lang", "en"])
        #expect(relisted.stdout.contains("  active  ") && !relisted.stdout.contains("needs-birth-date"), "\(relisted)")
        let permitted = try target.check(fields: "name.family", at: "2026-03-01T10:00:00Z")
        #expect(CLIFixture.field(permitted.json, "name.family")?["outcome"] as? String == "permit", "\(permitted)")
    }

    @Test func verifyAcceptsTheExportedFileAndRejectsATamperedOneWithExitFour() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant()
        let id = try #require(granted["id"] as? String)
        let export = try inst.run(["consent", "export", id, "--out", inst.path("export")])
        let file = try #require(export.stdout.split(separator: "\n").first.map(String.init), "\(export)")
        let ok = try inst.run(["consent", "verify", file, "--json"])
        #expect(ok.exitCode == 0, "\(ok)")
        #expect(ok.json?["valid"] as? Bool == true && ok.json?["id"] as? String == id && ok.json?["kind"] as? String == "consent")

        // One character of the signature changed.
        var text = try String(contentsOfFile: file, encoding: .utf8)
        let marker = try #require(text.range(of: "\"signature\":\""))
        let at = text.index(marker.upperBound, offsetBy: 5)
        text.replaceSubrange(at...at, with: text[at] == "A" ? "B" : "A")
        let tampered = inst.path("tampered.jws.json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: tampered))
        let bad = try inst.run(["consent", "verify", tampered])
        #expect(bad.exitCode == 4, "\(bad)")
        #expect(bad.stderr.contains("signature"), "the message must say the signature is wrong: \(bad)")
        #expect(bad.stdout.isEmpty)

        // Not a JWS at all: also refused, naming the file.
        let junk = inst.path("junk.json")
        try Data("{\"hello\": 1}".utf8).write(to: URL(fileURLWithPath: junk))
        let notJWS = try inst.run(["consent", "verify", junk])
        #expect(notJWS.exitCode == 3, "\(notJWS)")
        #expect(!notJWS.stderr.isEmpty)
        // And importing the tampered file stores nothing.
        let imported = try inst.run(["consent", "import", tampered])
        #expect(imported.exitCode == 4, "\(imported)")
        #expect(try inst.sqlite("SELECT count(*) FROM consent;") == ["1"])
    }

    @Test func formInUkrainianHasTheLanguageAndEveryClauseAsATickBox() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("form-uk.html").path
        let r = try CLIRunner.run(["consent", "form", "--template", "kim-beratung", "--language", "uk", "--out", out])
        #expect(r.exitCode == 0, "\(r)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<html lang=\"uk\">"))
        #expect(html.contains("Згода на передачу"), "the Ukrainian declaration text must be in the form")
        // The policy's German partner names in the Ukrainian text are marked German (as on the service's pages).
        #expect(html.contains("(<span lang=\"de\">Jugendamt</span>)"), "Jugendamt not marked lang=de")
        #expect(html.components(separatedBy: "class=\"box\"").count - 1 == Self.beratungClauses.count)
        for clause in Self.beratungClauses {
            #expect(html.contains("id=\"clause-\(clause)\""), "no tick box for \(clause)")
        }
        #expect(html.contains("@page { size: A4"))
        // German is the default language of the declaration.
        let german = try CLIRunner.run(["consent", "form"])
        #expect(german.exitCode == 0, "\(german)")
        #expect(german.stdout.contains("<html lang=\"de\">"))
        #expect(german.stdout.contains("Weitergabe an das Jobcenter zur Arbeitsvermittlung"))
        // A language the template has no text for is refused.
        let french = try CLIRunner.run(["consent", "form", "--language", "fr"])
        #expect(french.exitCode == 3, "\(french)")
        #expect(french.stderr.contains("fr"), "\(french)")
    }
}

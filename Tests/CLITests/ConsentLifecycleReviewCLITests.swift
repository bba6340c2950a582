import Foundation
import TestFolders
import Testing

/// The case manager's `consent` commands with the mistakes people make at a desk: a birth date typed with the
/// wrong year, a folder or a missing file given where a document or scan was meant.
@Suite struct ConsentLifecycleReviewCLITests {
    /// A demo installation in a temporary folder (shipped policy and demo keys, fresh database).
    struct Installation {
        /// The folder, removed when the test lets go of the installation (or earlier by `remove()`).
        let folder: TemporaryDirectory
        var dir: URL { folder.url }
        init() throws { folder = try TemporaryDirectory("cli-test") }
        func remove() { try? FileManager.default.removeItem(at: dir) }
        func run(_ args: [String], lang: String = "en") throws -> CLIResult {
            try CLIRunner.run(args + ["--demo", "--db", dir.appendingPathComponent("db.sqlite").path,
                                      "--policy", CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path,
                                      "--trust", CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path],
                              environment: ["CONSENTGATE_LANG": lang])
        }
        func grant(_ subject: String, _ more: [String] = [], lang: String = "en") throws -> CLIResult {
            try run(["consent", "grant", "--subject", subject, "--clauses", "jobcenter", "--collected-by", "cm-1",
                     "--municipality", "Troisdorf"] + more, lang: lang)
        }
    }

    /// A birth date in the future (2030 typed for 2003) or after `--granted-at` is a usage error
    /// (exit 2) naming the option and both dates, in German and English, and nothing is stored: before, the
    /// person was stored as born in 2030 and the consent taken with a guardian ("was -3 at granted-at").
    @Test(arguments: ["en", "de"])
    func aBirthDateAfterTheSignatureIsRefused(lang: String) throws {
        let inst = try Installation()
        defer { inst.remove() }
        // The birth date on the day of the signature and a real minor's with a guardian are fine (this also makes the
        // installation's database, which `consent list` below reads and would not create).
        #expect(try inst.grant("RSK-2022-000033", ["--birth-date", "2015-03-01", "--guardian", "Olena K."]).exitCode == 0)
        let future = try inst.grant("RSK-2022-000031", ["--birth-date", "2030-01-01", "--guardian", "Olena K."], lang: lang)
        #expect(future.exitCode == 2, "\(future)")
        #expect(future.stderr.contains("--birth-date") && future.stderr.contains("2030-01-01"), "\(future)")
        // Without --granted-at the signature is now: the date is in the future, and no --granted-at is cited that was not
        // given (a black-box review saw "after the signature (--granted-at 2026-12-06T21:51:56.104Z)").
        #expect(future.stderr.contains(lang == "de" ? "liegt in der Zukunft" : "is in the future"), "\(future)")
        #expect(!future.stderr.contains("--granted-at"), "\(future)")
        let afterGrant = try inst.grant("RSK-2022-000032", ["--birth-date", "01.06.2021", "--granted-at", "2021-01-10T10:00:00Z",
                                                            "--guardian", "Olena K."], lang: lang)
        #expect(afterGrant.exitCode == 2 && afterGrant.stderr.contains("2021-01-10"), "\(afterGrant)")
        #expect(afterGrant.stderr.contains(lang == "de" ? "nach der Unterschrift (--granted-at 2021-01-10T10:00:00Z)" : "after the signature (--granted-at 2021-01-10T10:00:00Z)"), "\(afterGrant)")
        for subject in ["RSK-2022-000031", "RSK-2022-000032"] {
            let list = try inst.run(["consent", "list", "--subject", subject, "--json"])
            #expect(list.exitCode == 0 && list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(list)")
        }
    }

    /// `consent import --birth-date` in the future is refused the same way (exit 2), before the file is read.
    @Test func importWithABirthDateInTheFutureIsRefused() throws {
        let inst = try Installation()
        defer { inst.remove() }
        let result = try inst.run(["consent", "import", "--birth-date", "2099-05-05", inst.dir.appendingPathComponent("x.json").path])
        #expect(result.exitCode == 2 && result.stderr.contains("--birth-date"), "\(result)")
    }
}

import Foundation
import Testing

/// `consent grant --template-version 1` on an earlier version kept with `recordable-until: 2026-01-31`: a declaration
/// signed at 23:30 in Berlin on the 31st is recorded on version 1 (exit 0; `consent list` shows v1); one signed at
/// 00:30 in Berlin on 1 February (still the 31st in UTC) is refused (exit 3, as for an earlier version without a
/// window), the message naming the version and both days, in German and English.
@Suite struct RecordingWindowCLITests {
    /// The bumped bundle of `EarlierTemplateVersionCLITests` with version 1 recordable until 2026-01-31.
    static func bundleWithWindow() throws -> URL {
        let bundle = try EarlierTemplateVersionCLITests.bumpedBundle()
        let file = bundle.appendingPathComponent("consent-templates.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let old = "      - version: 1\n"
        try #require(text.components(separatedBy: old).count == 2, "\(old)")
        text = text.replacingOccurrences(of: old, with: old + "        recordable-until: 2026-01-31\n")
        try Data(text.utf8).write(to: file)
        return bundle
    }

    @Test(arguments: ["en", "de"])
    func grantOnTheEarlierVersionWithinItsWindow(_ language: String) throws {
        let bundle = try Self.bundleWithWindow()
        defer { try? FileManager.default.removeItem(at: bundle.deletingLastPathComponent()) }
        let check = try CLIRunner.run(["policy", "check", bundle.path])
        #expect(check.exitCode == 0, "\(check)")
        let inst = try CLIInstallation()
        defer { inst.remove() }
        func grant(_ subject: String, at time: String) throws -> CLIResult {
            try inst.run(["consent", "grant", "--policy", bundle.path, "--subject", subject, "--template", "kim-erklaerung-2022",
                          "--template-version", "1", "--clauses", "jobcenter", "--collected-by", "cm.troisdorf.1",
                          "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--granted-at", time, "--lang", language])
        }
        let late = try grant("RSK-2022-000003", at: "2026-01-31T23:30:00Z")
        #expect(late.exitCode == 3, "\(late)")
        #expect(late.stderr.contains(language == "de"
            ? "Einwilligungsvorlage kim-erklaerung-2022 v1 ist eine frühere Version, auf der Erklärungen nur aufgenommen werden, wenn sie bis zum 2026-01-31 (Tag in Europe/Berlin) unterschrieben wurden; diese wurde am 2026-02-01 unterschrieben"
            : "consent template kim-erklaerung-2022 v1 is an earlier version on which declarations are recorded only when signed on or before 2026-01-31 (a day in Europe/Berlin); this one was signed on 2026-02-01"), "\(late)")

        let inTime = try grant("RSK-2022-000002", at: "2026-01-31T22:30:00Z")
        #expect(inTime.exitCode == 0, "\(inTime)")
        let list = try inst.run(["consent", "list", "--policy", bundle.path, "--subject", "RSK-2022-000002"])
        #expect(list.exitCode == 0 && list.stdout.contains("kim-erklaerung-2022 v1  [jobcenter]  2026-01-31T22:30:00Z"), "\(list)")
        let none = try inst.run(["consent", "list", "--policy", bundle.path, "--subject", "RSK-2022-000003"])
        #expect(none.stdout.contains("no consents"), "\(none)")
    }
}

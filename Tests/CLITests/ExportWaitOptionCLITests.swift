import Foundation
import Testing

/// `consentgate export --wait` takes seconds from 0 to a day: a negative, `nan` or `inf` value used to be taken
/// silently (a negative one meant "stop at once", `inf` would wait for ever). Now a usage error (exit 2) naming the
/// option, in German and English, before anything is opened or written.
@Suite struct ExportWaitOptionCLITests {
    @Test(arguments: ["-1", "nan", "inf", "86401"])
    func anImpossibleWaitIsAUsageError(_ value: String) throws {
        let setup = try ExportOpsReviewCLITests.Setup()
        defer { setup.remove() }
        let de = try setup.export(["--wait=\(value)"], env: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 2, "\(de.stderr)")
        #expect(de.stderr.contains("--wait erwartet Sekunden von 0 bis 86400"), "\(de.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.path("db.sqlite")))
        let en = try setup.export(["--wait=\(value)"], env: ["CONSENTGATE_LANG": "en"])
        #expect(en.exitCode == 2 && en.stderr.contains("--wait takes seconds from 0 to 86400"), "\(en.stderr)")
    }

    @Test func aWaitWithinADayIsTaken() throws {
        let setup = try ExportOpsReviewCLITests.Setup()
        defer { setup.remove() }
        let r = try setup.export(["--wait", "2.5", "--dry-run"])
        #expect(r.exitCode == 0, "\(r.stderr)")
    }
}

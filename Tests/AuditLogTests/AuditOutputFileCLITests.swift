import Foundation
import Testing
@testable import AuditLog

/// `audit report --output FILE` writes a person's GDPR Art. 15 answer (recipients, data categories, consents) and
/// `audit stats --output FILE` the county's disclosure figures. They were written readable by every user of the machine
/// (0644, a fixed temporary name beside the file, opened without O_EXCL) and a failed write said why in the C library's
/// English only, inside a German message. Now they are written as the export's own files with personal data are
/// (owner read-write, group read: 0640; a fresh temporary file, fsync, rename, fsync of the folder), and a failure is
/// explained in the user's language (`SystemErrorText`), exit 5.
@Suite(.serialized) struct AuditOutputFileCLITests {
    @Test func reportAndStatsFilesAreNotWorldReadable() throws {
        let base = try CLITests()
        let s = try base.setup()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: s.db))
        try store.append([TestSupport.disclosure(1, subject: "RSK-1", time: "2026-10-02T08:00:00Z")], signer: s.signer)
        for (command, name) in [(["report", "--subject", "RSK-1"], "report.html"), (["stats", "--by", "partner"], "stats.csv")] {
            let file = s.dir.appendingPathComponent(name).path
            let (st, _, err) = try base.cli(command + ["--output", file] + s.args)
            #expect(st == 0, "\(err)")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode == 0o640, "\(name): mode \(String(mode, radix: 8))")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: s.dir.path).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test(arguments: ["en", "de"])
    func aFailedWriteIsExplainedInTheUsersLanguage(lang: String) throws {
        let base = try CLITests()
        let s = try base.setup()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: s.db))
        try store.append([TestSupport.disclosure(1, subject: "RSK-1", time: "2026-10-02T08:00:00Z")], signer: s.signer)
        let file = s.dir.appendingPathComponent("missing-folder/report.html").path
        let (st, _, err) = try base.cli(["report", "--subject", "RSK-1", "--output", file] + s.args, lang: lang)
        #expect(st == 5, "\(err)")
        #expect(err.contains(file), "\(err)")
        #expect(err.contains(lang == "de" ? "Datei oder Ordner nicht vorhanden" : "no such file or folder"), "\(err)")
        #expect(!err.contains("No such file or directory"), "the C library's English text: \(err)")
    }
}

import Foundation
import Testing
@testable import AuditLog

/// A file named to `audit verify` (`--trusted-checkpoint`, `--public-key`) that cannot be read was reported with
/// Foundation's English-only text ("The file … couldn’t be opened …") inside a German message, and any file was read
/// whole, whatever its size (the database named by mistake). Now the reason is in the user's language, as for every
/// other input file (`InputFileProblem`): missing, a folder, too large for a note or key, not UTF-8 text; exit 3.
@Suite(.serialized) struct AuditInputFileCLITests {
    @Test(arguments: ["en", "de"])
    func unreadableFilesAreNamedInTheUsersLanguage(lang: String) throws {
        let base = try CLITests()
        let s = try base.setup()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let (st0, _, err0) = try base.cli(["crash-writer", "--count", "2", "--batch", "1"] + s.args)
        #expect(st0 == 0, "\(err0)")
        let binary = s.dir.appendingPathComponent("binary.bin").path
        try Data([0xFF, 0xFE, 0x00, 0x80, 0x0A]).write(to: URL(fileURLWithPath: binary))
        let huge = s.dir.appendingPathComponent("huge.txt").path
        try Data(repeating: 0x41, count: (1 << 20) + 1).write(to: URL(fileURLWithPath: huge))
        let cases: [(path: String, en: String, de: String)] = [
            (s.dir.appendingPathComponent("nowhere.txt").path, "no such file", "keine solche Datei"),
            (s.dir.path, "is a folder", "ist ein Ordner"),
            (binary, "not UTF-8 text", "kein UTF-8-Text"),
            (huge, "larger than", "größer als"),
        ]
        for c in cases {
            for option in ["--trusted-checkpoint", "--public-key"] {
                let args = option == "--public-key"
                    ? ["verify", "--db", s.db, "--origin", TestSupport.origin, "--public-key", c.path]
                    : ["verify", "--trusted-checkpoint", c.path] + s.args
                let (st, _, err) = try base.cli(args, lang: lang)
                #expect(st == 3, "\(option) \(c.path): \(err)")
                #expect(err.contains(c.path) && err.contains(lang == "de" ? c.de : c.en), "\(option): \(err)")
                #expect(!err.contains("couldn") && !err.contains("could not be completed"), "Foundation's English text: \(err)")
            }
        }
    }
}

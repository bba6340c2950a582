import Foundation
import Testing

/// A store that fails is reported in the user's language, readably, with exit code 5 (CONTRACTS §8): `--db` naming a
/// file that is not a database used to print GRDB's description ("SQLite error 26: file is not a database - while
/// executing `PRAGMA …`") in the middle of a German message.
@Suite struct StorageErrorCLITests {
    @Test(arguments: [("de", "Datenbank", "lässt sich nicht öffnen: die Datei ist keine Datenbank (oder beschädigt) (SQLite-Fehler 26)"),
                      ("en", "cannot open database", "not a database (or is corrupt) (SQLite error 26)")])
    func aFileThatIsNotADatabaseIsSaidInWords(language: String, start: String, words: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("registrierungsliste.sqlite").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: db))
        let r = try CLIRunner.run(["users", "list", "--db", db], environment: ["CONSENTGATE_LANG": language])
        #expect(r.exitCode == 5, "\(r)")
        #expect(r.stderr.contains(start) && r.stderr.contains(words), "\(r.stderr)")
        for dump in ["DatabaseError", "StorageError", "failed(operation:", "PRAGMA", "SELECT", "while executing"] {
            #expect(!r.stderr.contains(dump), "\(r.stderr)")
        }
        // The file is left as it was: nothing wrote into it.
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == Data(repeating: 0x5A, count: 8192))
    }
}

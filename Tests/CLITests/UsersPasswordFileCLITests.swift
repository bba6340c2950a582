import Foundation
import TestFolders
import Testing

/// `users add|password --password-file FILE` with a file that cannot be read is invalid input (exit 3) with the reason,
/// in German and English, as every other input file of the command line (`--passphrase-file`, `--evidence`, a JWS).
/// It was a usage error (exit 2) that gave no reason ("cannot read password file FILE").
@Suite struct UsersPasswordFileCLITests {
    @Test(arguments: [
        ("en", "missing", "error: cannot read password file PATH: no such file\n"),
        ("de", "missing", "Fehler: Passwortdatei PATH lässt sich nicht lesen: keine solche Datei\n"),
        ("en", "folder", "error: cannot read password file PATH: is a folder, not a file\n"),
    ])
    func anUnreadablePasswordFileIsInvalidInputWithTheReason(language: String, kind: String, expected: String) throws {
        let folder = try TemporaryDirectory("cli-password-file")
        let db = folder.url.appendingPathComponent("consentgate.sqlite").path
        let file = kind == "folder" ? try folder.folder("passwords").path : folder.url.appendingPathComponent("pw.txt").path
        let add = try CLIRunner.run(["users", "add", "--demo", "--db", db, "--name", "anna.dpo", "--role", "dpo", "--password-file", file],
                                    environment: ["CONSENTGATE_LANG": language])
        #expect(add.exitCode == 3, "\(add)")
        #expect(add.stderr == expected.replacingOccurrences(of: "PATH", with: file), "\(add)")
        #expect(add.stdout.isEmpty, "no account, no token: \(add)")
    }
}

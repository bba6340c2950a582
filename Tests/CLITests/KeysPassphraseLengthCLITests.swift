import Foundation
import TestFolders
import Testing

/// `keys generate` of a production (non-demo) key refuses a passphrase shorter than 12 characters, from a passphrase
/// file or `CONSENTGATE_PASSPHRASE` alike: a usage error (exit 2, as a missing passphrase), naming where the passphrase
/// came from (never what it is), in German and English, with nothing written. A demo key keeps the public demo
/// passphrase (`KeysCLITests`).
@Suite struct KeysPassphraseLengthCLITests {
    /// A passphrase and whether a production key accepts it (characters, not bytes: "Prüfung" is 7).
    static let passphrases: [(String, Bool)] = [
        ("geheim", false), ("abcde", false), ("elf Zeichen", false), ("Prüfung 2026", true), ("correct horse battery staple", true),
    ]

    @Test(arguments: passphrases, ["file", "environment"])
    func aShortPassphraseIsRefusedBeforeAnythingIsWritten(passphrase: (String, Bool), source: String) throws {
        let (pass, accepted) = passphrase
        let folder = try TemporaryDirectory("cli-passphrase-length")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        try Data((pass + "\n").utf8).write(to: folder.url.appendingPathComponent("pass.txt"))
        let args = ["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Kreis 2026", "--role", "consent-signer"]
            + (source == "file" ? ["--passphrase-file", "pass.txt"] : [])
        let env = source == "file" ? [:] : ["CONSENTGATE_PASSPHRASE": pass]
        for lang in ["en", "de"] {
            var environment = env
            environment["CONSENTGATE_LANG"] = lang
            let r = try CLIRunner.run(args, environment: environment, workingDirectory: folder.url)
            if accepted {
                #expect(r.exitCode == 0, "\(pass): \(r)")
                try FileManager.default.removeItem(at: folder.url.appendingPathComponent("keys"))
                continue
            }
            #expect(r.exitCode == 2, "\(pass): \(r)")
            let place = source == "file" ? "pass.txt" : "$CONSENTGATE_PASSPHRASE"
            #expect(r.stderr.contains(place) && r.stderr.contains(lang == "de" ? "mindestens 12" : "at least 12"), "\(r)")
            #expect(!r.stderr.contains(pass), "the message must not show the passphrase: \(r)")
            #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("keys").path), "written anyway")
        }
    }

    @Test func aDemoKeyNeedsNoPassphrase() throws {
        let folder = try TemporaryDirectory("cli-passphrase-length")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let r = try CLIRunner.run(["keys", "generate", "--demo", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Demo 2026",
                                   "--role", "consent-signer"], workingDirectory: folder.url)
        #expect(r.exitCode == 0, "\(r)")
    }
}

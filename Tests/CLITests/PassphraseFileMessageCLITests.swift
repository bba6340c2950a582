import Foundation
import TestFolders
import Testing

/// A `--passphrase-file` that is missing or cannot be read is named as the passphrase file, with the reason, in German
/// and English, and exits 3 (invalid input: a file named on the command line, as a key or document file that cannot be
/// read). Before, the message was only "PATH: nicht lesbar: keine solche Datei", which did not say which of the
/// command's files it was.
@Suite struct PassphraseFileMessageCLITests {
    /// What is wrong with the file, and the reason each language gives for it.
    struct Problem: Sendable, CustomStringConvertible {
        var name: String
        var make: @Sendable (String) throws -> Void
        var de: String, en: String
        var description: String { name }
    }

    static let problems: [Problem] = [
        Problem(name: "missing", make: { _ in }, de: "keine solche Datei", en: "no such file"),
        Problem(name: "a folder", make: { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: true) },
                de: "ist ein Ordner, keine Datei", en: "is a folder, not a file"),
    ]

    static let commands = ["keys generate", "users add", "serve"]

    @Test("the passphrase file is named as such", arguments: problems, commands)
    func namedAsThePassphraseFile(problem: Problem, command: String) throws {
        let folder = try TemporaryDirectory("cli-passphrase-file-message")
        let real = try CLIRealInstallation(folder, keys: [("audit", "audit-log")])
        let trust = real.trust
        let bad = folder.path + "/secret-pass"
        try problem.make(bad)
        let installation = real.arguments + ["--passphrase-file", bad]
        let arguments: [String] = switch command {
        case "keys generate": ["keys", "generate", "--trust", trust, "--name", "consents", "--role", "consent-signer", "--passphrase-file", bad]
        case "users add": ["users", "add", "--name", "admin", "--role", "admin"] + installation
        default: ["serve", "--port", "0"] + installation
        }
        for (language, text) in [("de", "Passphrasendatei \(bad) nicht lesbar: \(problem.de)"),
                                 ("en", "passphrase file \(bad) cannot be read: \(problem.en)")] {
            let r = try CLIRunner.run(arguments, environment: ["CONSENTGATE_LANG": language, "CONSENTGATE_PASSPHRASE": "unused"], timeout: 60)
            #expect(r.exitCode == 3 && r.stderr.contains(text), "\(language): \(r)")
            #expect(!r.stdout.contains("http://"), "nothing listens: \(r)")
        }
    }
}

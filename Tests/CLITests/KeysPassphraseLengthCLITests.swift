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

    /// An installation set up before the minimum has its keys under one shorter passphrase, and the installation opens
    /// every key with one passphrase: `keys generate` accepts that passphrase, with a warning, when it opens one of the
    /// installation's production keys, so the installation can still add (rotate) a key. Any other short one is refused.
    @Test func theInstallationsOwnShorterPassphraseIsAcceptedWithAWarning() throws {
        let folder = try TemporaryDirectory("cli-passphrase-length")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        try Data("a passphrase of 2025\n".utf8).write(to: folder.url.appendingPathComponent("long.txt"))
        try Data("kurz\n".utf8).write(to: folder.url.appendingPathComponent("short.txt"))
        try Data("falsch\n".utf8).write(to: folder.url.appendingPathComponent("other.txt"))
        func generate(_ name: String, _ passFile: String, lang: String = "en") throws -> CLIResult {
            try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", name, "--role", "consent-signer",
                               "--passphrase-file", passFile], environment: ["CONSENTGATE_LANG": lang], workingDirectory: folder.url)
        }
        let first = try generate("Kreis 2025", "long.txt")
        #expect(first.exitCode == 0, "\(first)")
        // The key file as an older installation has it: encrypted under the short passphrase (stock openssl).
        let keys = folder.url.appendingPathComponent("keys")
        let keyFile = try #require(try FileManager.default.contentsOfDirectory(atPath: keys.path).first { $0.hasSuffix(".key.pem") })
        let path = keys.appendingPathComponent(keyFile).path
        let reencrypt = try CLIRunner.runTool("openssl", ["pkey", "-in", path, "-passin", "pass:a passphrase of 2025",
                                                          "-aes-256-cbc", "-passout", "pass:kurz", "-out", path + ".new"])
        #expect(reencrypt.exitCode == 0, "\(reencrypt)")
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: path + ".new", toPath: path)

        let other = try generate("Kreis 2026", "other.txt")
        #expect(other.exitCode == 2 && other.stderr.contains("at least 12"), "\(other)")
        let kept = try generate("Kreis 2026", "short.txt", lang: "de")
        #expect(kept.exitCode == 0, "\(kept)")
        #expect(kept.stderr.hasPrefix("Warnung: die Passphrase ist kürzer als 12 Zeichen; angenommen, weil sie den Schlüssel "), "\(kept)")
        #expect(!kept.stderr.contains("kurz"), "the warning must not show the passphrase: \(kept)")
    }

    @Test func aDemoKeyNeedsNoPassphrase() throws {
        let folder = try TemporaryDirectory("cli-passphrase-length")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let r = try CLIRunner.run(["keys", "generate", "--demo", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Demo 2026",
                                   "--role", "consent-signer"], workingDirectory: folder.url)
        #expect(r.exitCode == 0, "\(r)")
    }
}

/// The shipped demo keys' passphrase is public: `keys generate` refuses it for a production key (exit 2, nothing
/// written), as it refuses a short one (consent review, session 40, L4).
@Suite struct KeysDemoPassphraseCLITests {
    @Test(arguments: ["en", "de"])
    func theDemoPassphraseIsRefusedForAProductionKey(_ lang: String) throws {
        let folder = try TemporaryDirectory("cli-demo-passphrase")
        try Data("consentgate-demo\n".utf8).write(to: folder.url.appendingPathComponent("pass.txt"))
        let r = try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Kreis 2026",
                                   "--role", "consent-signer", "--passphrase-file", "pass.txt"],
                                  environment: ["CONSENTGATE_LANG": lang], workingDirectory: folder.url)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(lang == "en" ? "is the shipped demo keys' one, which anyone knows; a production key needs its own"
                                               : "ist die der ausgelieferten Demo-Schlüssel, die jeder kennt"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("keys").path), "written anyway")
    }
}

/// `keys generate --name` with an escape sequence or a line break is refused (exit 2, nothing written): `keys list`
/// printed it raw, so a row of the list under review could be erased or forged (consent review, session 40, L1).
@Suite struct KeysControlCharacterNameCLITests {
    @Test(arguments: ["z\u{1B}[31mred", "two\nlines", "\u{202E}abc"])
    func aNameWithAControlCharacterIsRefused(_ name: String) throws {
        let folder = try TemporaryDirectory("cli-key-name-control")
        try Data("a passphrase of 2026\n".utf8).write(to: folder.url.appendingPathComponent("pass.txt"))
        let r = try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", name,
                                   "--role", "consent-signer", "--passphrase-file", "pass.txt"],
                                  environment: ["CONSENTGATE_LANG": "en"], workingDirectory: folder.url)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("--name contains a control or text-direction character"), "\(r)")
        #expect(!r.stderrBytes.contains(0x1B), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("keys").path), "written anyway")
    }

    /// A name the file holds with escapes (written by hand, or by an older `keys generate`) is listed and shown escaped:
    /// it loads as before, but cannot erase or forge a row of `keys list`.
    @Test func aNameFromTheFileIsShownEscaped() throws {
        let folder = try TemporaryDirectory("cli-key-name-shown")
        let pub = CLIRunner.packageRoot.appendingPathComponent("keys/demo/consent-signer.pub.pem").path
        let kid = "JfBcPhkK6ytcXugNus36LE4VlSwOAqHN7i23W90Dqog"
        let yaml = "version: 1\nkeys:\n  - kid: \"\(kid)\"\n    name: \"real\\e[2K\\rFAKEKID  ed25519\"\n    algorithm: ed25519\n"
            + "    public-key: \"\(pub)\"\n    roles: [consent-signer]\n    not-before: \"2020-01-01T00:00:00Z\"\n"
            + "    not-after: \"2036-01-01T00:00:00Z\"\n    demo: true\n"
        try Data(yaml.utf8).write(to: folder.url.appendingPathComponent("trust.yaml"))
        for command in [["keys", "list"], ["keys", "show", kid]] {
            let r = try CLIRunner.run(command + ["--trust", "trust.yaml"], environment: ["CONSENTGATE_LANG": "en"], workingDirectory: folder.url)
            #expect(r.exitCode == 0, "\(command): \(r)")
            #expect(!r.stdoutBytes.contains(0x1B) && !r.stdoutBytes.contains(0x0D), "\(command): \(r)")
            #expect(r.stdout.contains("real\\u{1B}[2K\\rFAKEKID"), "\(command): \(r)")
        }
    }
}

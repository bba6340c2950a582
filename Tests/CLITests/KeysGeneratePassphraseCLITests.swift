import Foundation
import TestFolders
import Testing

/// `keys generate` refuses a passphrase that opens none of the installation's production keys (found in a key review: a
/// rotation under another passphrase made the new key the chosen signer, and every later export failed with "wrong
/// passphrase" under the installation's right one). Exit 3 naming the keys, nothing written; the installation's own
/// passphrase is taken; after the lost-passphrase procedure of docs/keys.md (the old keys' `private-key` lines removed)
/// a new passphrase is taken.
@Suite struct KeysGeneratePassphraseCLITests {
    @Test func aPassphraseThatOpensNoKeyOfTheInstallationIsRefused() throws {
        let folder = try TemporaryDirectory("cli-generate-passphrase")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        try Data("the installation passphrase\n".utf8).write(to: folder.url.appendingPathComponent("pass.txt"))
        try Data("not the installation passphrase\n".utf8).write(to: folder.url.appendingPathComponent("other.txt"))
        func generate(_ name: String, _ passFile: String, role: String = "export-signer") throws -> CLIResult {
            try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", name, "--role", role,
                               "--passphrase-file", passFile], environment: ["CONSENTGATE_LANG": "en"], workingDirectory: folder.url)
        }
        let first = try generate("Export 2026", "pass.txt")
        #expect(first.exitCode == 0, "\(first)")
        let trust = folder.url.appendingPathComponent("keys/trust.yaml")
        let before = try String(contentsOf: trust, encoding: .utf8)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("keys").path).sorted()

        let refused = try generate("Export 2027", "other.txt")
        #expect(refused.exitCode == 3, "\(refused)")
        #expect(refused.stderr.contains("the passphrase in the passphrase file other.txt opens none of the installation's keys ("), "\(refused.stderr)")
        #expect(refused.stderr.contains("A lost passphrase"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("not the installation passphrase"), "never the passphrase itself")
        #expect(try String(contentsOf: trust, encoding: .utf8) == before, "the trust store is unchanged")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("keys").path).sorted() == files)

        let rotated = try generate("Export 2027", "pass.txt")
        #expect(rotated.exitCode == 0, "\(rotated)")

        // The passphrase lost: the old keys' private-key lines removed, as docs/keys.md says; a new passphrase is taken.
        let text = try String(contentsOf: trust, encoding: .utf8)
        let withoutPrivate = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("private-key:") }.joined(separator: "\n")
        #expect(withoutPrivate != text)
        try Data(withoutPrivate.utf8).write(to: trust)
        let renewed = try generate("Export nach Verlust", "other.txt")
        #expect(renewed.exitCode == 0, "\(renewed)")
    }
}

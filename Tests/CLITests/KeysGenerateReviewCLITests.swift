import Foundation
import Testing

/// `keys generate` is all or nothing: when a step after the private key fails, the admin is left with neither
/// key file of the run (no orphaned private key that no trust store names and that blocks the same name on the
/// next try) and with the trust store as it was.
@Suite struct KeysGenerateReviewCLITests {
    /// The trust store cannot be written (its folder is a regular file) after both key files were written to
    /// `--dir`: exit 5, both files removed again, and once the cause is gone the same command works.
    @Test func aTrustStoreThatCannotBeWrittenLeavesNoKeyFileBehind() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        try Data("correct horse battery staple\n".utf8).write(to: dir.appendingPathComponent("pass.txt"))
        try fm.createDirectory(at: dir.appendingPathComponent("keys"), withIntermediateDirectories: true)
        let blocked = dir.appendingPathComponent("blocked")
        try Data("not a folder".utf8).write(to: blocked)
        let args = ["keys", "generate", "--trust", "blocked/trust.yaml", "--dir", "keys", "--name", "Kreis 2026",
                    "--role", "consent-signer", "--passphrase-file", "pass.txt"]
        let result = try CLIRunner.run(args, workingDirectory: dir)
        #expect(result.exitCode == 5 && result.stderr.contains("blocked/trust.yaml"), "\(result)")
        let left = try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("keys").path)
        #expect(left.isEmpty, "left behind: \(left)")

        try fm.removeItem(at: blocked)
        try fm.createDirectory(at: blocked, withIntermediateDirectories: true)
        let again = try CLIRunner.run(args, workingDirectory: dir)
        #expect(again.exitCode == 0, "\(again)")
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("keys/kreis-2026.key.pem").path))
    }

    /// A dangling symlink where a key file would go is refused before anything is written (exit 2, both files
    /// named in the user's language), like an existing file.
    @Test(arguments: ["en", "de"], ["key", "pub"])
    func aDanglingLinkAtTheKeyPathIsRefusedUpFront(lang: String, file: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("keys"), withIntermediateDirectories: true)
        try Data("correct horse battery staple\n".utf8).write(to: dir.appendingPathComponent("pass.txt"))
        let link = dir.appendingPathComponent("keys/kreis-2026.\(file).pem").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir.appendingPathComponent("elsewhere.pem").path)
        let result = try CLIRunner.run(["keys", "generate", "--dir", "keys", "--trust", "keys/trust.yaml", "--name", "Kreis 2026",
                                        "--role", "consent-signer", "--passphrase-file", "pass.txt"],
                                       environment: ["CONSENTGATE_LANG": lang], workingDirectory: dir)
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("keys/kreis-2026.\(file).pem"))
        #expect(result.stderr.contains(lang == "de" ? "gibt es schon" : "exists already"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("elsewhere.pem").path))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("keys").path)
        #expect(left == ["kreis-2026.\(file).pem"], "written anyway: \(left)")
    }
}

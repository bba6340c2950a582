import Foundation
import TestFolders
import Testing

/// Files and standard input are read to at most the size the command takes, in chunks, so a pipe is read as a file is
/// and one without end is refused instead of filling memory (input review, findings 3, 5 and 6): `--password-file -`
/// read standard input to its end (1.5 GB aborted the command), `keys verify --sig` read a 300 MB file whole before
/// calling it an invalid signature, and `consent verify` of a pipe said "read: Success (errno 0)".
@Suite struct BoundedInputReadCLITests {
    @Test func standardInputForAPasswordIsReadToItsLimit() throws {
        let folder = try TemporaryDirectory("cli-bounded-stdin")
        let db = folder.url.appendingPathComponent("consentgate.sqlite").path
        let add = ["users", "add", "--demo", "--db", db, "--role", "dpo", "--password-file", "-", "--lang", "en"]
        let long = try CLIRunner.run(add + ["--name", "anna.dpo"], stdin: [UInt8](repeating: 0x61, count: 70_000))
        #expect(long.exitCode == 3, "\(long)")
        #expect(long.stderr.hasPrefix("error: cannot read password file -: larger than 65536 bytes"), "\(long)")
        let piped = try CLIRunner.run(add + ["--name", "berta.dpo"], stdin: Array("ein-langes-passwort-2026\n".utf8))
        #expect(piped.exitCode == 0, "\(piped)")
    }

    @Test func aSignatureFileLargerThanASignatureIsRefusedUnread() throws {
        let inst = try KeysCLITests.Installation()
        defer { inst.remove() }
        let kid = try inst.demoKid("consent-signer")
        try Data(repeating: 0x30, count: 4097).write(to: inst.url("big.sig"))
        let verify = try inst.run(["keys", "verify", "--demo", "--key", kid, "--in", "msg.txt", "--sig", "big.sig"], env: ["CONSENTGATE_LANG": "en"])
        #expect(verify.exitCode == 3, "\(verify)")
        #expect(verify.stderr.contains("big.sig") && verify.stderr.contains("larger than 4096 bytes"), "\(verify)")
    }

    @Test func aDocumentFromAPipeIsReadAndADeviceWithoutEndIsRefused() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant()
        let id = try #require(granted["id"] as? String)
        let export = try inst.run(["consent", "export", id, "--out", inst.path("export")])
        let file = try #require(export.stdout.split(separator: "\n").first.map(String.init), "\(export)")
        // Process substitution: the command is given /dev/fd/N, a pipe.
        let binary = try CLIRunner.executableURL.path
        let piped = try CLIRunner.runTool("bash", ["-c", "\"$0\" consent verify <(cat \"$1\") --json --lang en --demo --db \"$2\"",
                                                   binary, file, inst.databasePath], workingDirectory: CLIRunner.packageRoot)
        #expect(piped.exitCode == 0 && piped.stdout.contains("\"valid\":true"), "\(piped)")
        let zero = try inst.run(["consent", "verify", "/dev/zero", "--lang", "en"])
        #expect(zero.exitCode == 3, "\(zero)")
        #expect(zero.stderr.contains("/dev/zero") && zero.stderr.contains("larger than"), "\(zero)")
    }
}

import Foundation
import TestFolders
import Testing

/// A `consent-signer` key whose private file is not in this installation (the trust store lists only its public key, as
/// after copying the store from another machine) is an incomplete set-up: `consent grant` stops with exit 3 (invalid
/// input), naming the key and what to do, in German and English, and stores nothing. Before, it exited 4, the code for a
/// signature or integrity failure. A key refused for a reason of its own (revoked, expired) stays 4 (`KeysCLITests`).
@Suite struct KeyWithoutPrivateFileCLITests {
    @Test func grantWithOnlyAPublicConsentSignerExitsThree() throws {
        let folder = try TemporaryDirectory("cli-no-private-file")
        let real = try CLIRealInstallation(folder, keys: [("audit", "audit-log")])
        // Valid 2020–2036: a key valid only from this millisecond would be refused for a grant dated this second.
        let gen = try CLIRunner.run(["keys", "generate", "--trust", real.trust, "--name", "consents", "--role", "consent-signer",
                                     "--not-before", "2020-01-01T00:00:00Z", "--not-after", "2036-01-01T00:00:00Z", "--passphrase-file", real.passphraseFile])
        try #require(gen.exitCode == 0, "\(gen)")
        // Drop the consent-signer's `private-key:` line: the store keeps its public key only.
        let yaml = try String(contentsOfFile: real.trust, encoding: .utf8)
        let lines = yaml.components(separatedBy: "\n")
        let consentsAt = try #require(lines.firstIndex { $0.contains("name: \"consents\"") })
        let privateAt = try #require(lines.indices.first { $0 > consentsAt && lines[$0].contains("private-key:") })
        try #require(!lines[consentsAt..<privateAt].contains { $0.contains("- kid:") }, "the private-key line belongs to the key")
        var edited = lines
        edited.remove(at: privateAt)
        try edited.joined(separator: "\n").write(toFile: real.trust, atomically: true, encoding: .utf8)
        let grant = ["consent", "grant", "--subject", "RSK-2022-000002", "--clauses", "jobcenter", "--collected-by", "cm.troisdorf.1",
                     "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--passphrase-file", real.passphraseFile] + real.arguments
        for (language, text) in [("de", "keine private-key-Datei in dieser Installation"), ("en", "has no private-key file in this installation")] {
            let r = try CLIRunner.run(grant, environment: ["CONSENTGATE_LANG": language], timeout: 60)
            #expect(r.exitCode == 3, "\(language): \(r)")
            #expect(r.stderr.contains(text) && r.stderr.contains("consent-signer") && r.stderr.contains("consents"), "\(language): \(r)")
        }
        let list = try CLIRunner.run(["consent", "list", "--subject", "RSK-2022-000002", "--json", "--passphrase-file", real.passphraseFile] + real.arguments)
        #expect(list.exitCode == 0 && !list.stdout.contains("\"id\""), "nothing stored: \(list)")
    }
}

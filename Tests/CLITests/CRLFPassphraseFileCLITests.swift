import Foundation
import TestFolders
import Testing

/// A passphrase file with Windows line endings (the key review's I4): ConsentGate takes the first line without `\r\n`,
/// OpenSSL's `-passin file:` drops only the `\n`, so the check docs/keys.md gives failed for a key ConsentGate opens, and
/// the docs said only "a trailing newline is dropped". docs/keys.md now says so and gives the conversion; here the
/// real `consentgate` and `openssl` show each statement of it: ConsentGate opens the key with the CRLF file, `openssl`
/// does not, and after the documented `sed -i 's/\r$//' PASSFILE` both do, ConsentGate with the same passphrase.
@Suite struct CRLFPassphraseFileCLITests {
    static let conversion = #"sed -i 's/\r$//' PASSFILE"#

    @Test func aCRLFPassphraseFileOpensTheKeyAndTheDocumentedConversionMakesOpenSSLAgree() throws {
        let keys = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("docs/keys.md"), encoding: .utf8)
        #expect(keys.contains("`\(Self.conversion)`"), "docs/keys.md gives the conversion")
        #expect(keys.contains("drops only a `\\n` at the end of the line"))

        let folder = try TemporaryDirectory("cli-crlf-passphrase")
        let pass = folder.path + "/crlf.pass", trust = folder.path + "/keys/trust.yaml"
        try Data("correct horse battery\r\n".utf8).write(to: URL(fileURLWithPath: pass))
        let gen = try CLIRunner.run(["keys", "generate", "--trust", trust, "--name", "a", "--role", "export-signer", "--stem", "a",
                                     "--passphrase-file", pass])
        try #require(gen.exitCode == 0, "\(gen)")
        let key = folder.path + "/keys/a.key.pem"
        let kid = try #require(try String(contentsOfFile: trust, encoding: .utf8).components(separatedBy: "\n")
            .first { $0.contains("kid:") }?.split(separator: "\"").dropFirst().first.map(String.init))
        let message = folder.path + "/m.txt"
        try Data("to sign\n".utf8).write(to: URL(fileURLWithPath: message))
        func consentGateSigns(_ n: Int) throws -> Bool {
            try CLIRunner.run(["keys", "sign", "--key", kid, "--in", message, "--out", folder.path + "/m\(n).sig", "--trust", trust,
                               "--passphrase-file", pass]).exitCode == 0
        }
        func openSSLOpens() throws -> Bool {
            try CLIRunner.runTool("openssl", ["pkey", "-in", key, "-passin", "file:" + pass, "-noout"]).exitCode == 0
        }

        #expect(try consentGateSigns(1), "ConsentGate drops the \\r\\n")
        #expect(try !openSSLOpens(), "openssl keeps the \\r: the docs say so")
        let sed = try CLIRunner.runTool("sh", ["-c", Self.conversion.replacingOccurrences(of: "PASSFILE", with: "\"$1\""), "sh", pass])
        try #require(sed.exitCode == 0, "\(sed)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: pass)) == Data("correct horse battery\n".utf8))
        #expect(try openSSLOpens(), "after the conversion openssl opens it")
        #expect(try consentGateSigns(2), "and ConsentGate still does, with the same passphrase")
    }
}

import Foundation
import TestFolders
import Testing

/// A trust store with no `audit-log` key at all is a set-up problem, not an integrity failure: the commands that append
/// (here `serve`, `check`, `users add`) stop with exit 3 (invalid input: the trust store given is not one they can work
/// with), naming the role and how to make a key. Before, they exited 4, the code `audit verify` uses for a tampered log.
/// A key that is there but may not sign (revoked, expired, a demo key outside demo mode) stays exit 4 (`KeysCLITests`,
/// `CheckExitCodesCLITests`).
@Suite struct TrustStoreWithoutAuditKeyCLITests {
    @Test("no audit-log key in the trust store: exit 3, in German and English", arguments: ["serve", "check", "users add"])
    func exitsThree(command: String) throws {
        let folder = try TemporaryDirectory("cli-no-audit-key")
        let real = try CLIRealInstallation(folder, keys: [("consents", "consent-signer")])
        let installation = real.arguments + ["--passphrase-file", real.passphraseFile]
        let arguments: [String] = switch command {
        case "serve": ["serve", "--port", "0"] + installation
        case "check": ["check", "--subject", "RSK-1", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"] + installation
        default: ["users", "add", "--name", "admin", "--role", "admin"] + installation
        }
        for (language, text) in [("de", "der Trust-Store enthält keinen Schlüssel mit dieser Rolle (anlegen mit consentgate keys generate --role audit-log)"),
                                 ("en", "the trust store holds no key with this role (make one with consentgate keys generate --role audit-log)")] {
            let r = try CLIRunner.run(arguments, environment: ["CONSENTGATE_LANG": language], timeout: 60)
            #expect(r.exitCode == 3 && r.stderr.contains(text) && r.stderr.contains("audit-log"), "\(language): \(r)")
            #expect(!r.stdout.contains("http://"), "nothing listens: \(r)")
        }
    }
}

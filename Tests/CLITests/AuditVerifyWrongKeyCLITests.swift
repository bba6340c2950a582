import Foundation
import TestFolders
import Testing

/// `audit verify` with another key than the log's (`--public-key` of the consent signer) says the checkpoint is signed by
/// another key than the one given, naming both, not "replaced or altered" (a black-box review: the DPO guide reads the
/// latter as a possible incident). Still exit 4: nothing is verified.
@Suite struct AuditVerifyWrongKeyCLITests {
    @Test func aWrongKeyIsSaidAsSuch() throws {
        let folder = try TemporaryDirectory("cli-verify-wrong-key")
        let db = ["--demo", "--db", folder.path + "/cg.sqlite"]
        #expect(try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + db).exitCode == 0)
        let right = try CLIRunner.run(["audit", "verify", "--public-key", "keys/demo/audit-log.pub.pem"] + db)
        #expect(right.exitCode == 0, "\(right)")
        let wrong = try CLIRunner.run(["audit", "verify", "--public-key", "keys/demo/consent-signer.pub.pem"] + db)
        #expect(wrong.exitCode == 4, "\(wrong)")
        #expect(wrong.stderr.contains("not by the key given") && wrong.stderr.contains("is the key given this log's"), "\(wrong)")
        #expect(!wrong.stderr.contains("replaced or altered"), "\(wrong)")
        let german = try CLIRunner.run(["audit", "verify", "--public-key", "keys/demo/consent-signer.pub.pem"] + db, environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.stderr.contains("nicht vom angegebenen Schlüssel"), "\(german)")
    }

    /// `--json` prints the failed result on standard output too (it printed nothing: a script read an empty document).
    @Test func aFailedCheckPrintsItsResultAsJSON() throws {
        let folder = try TemporaryDirectory("cli-verify-json")
        let db = ["--demo", "--db", folder.path + "/cg.sqlite"]
        #expect(try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + db).exitCode == 0)
        let audit = try CLIRunner.run(["audit", "verify", "--json", "--public-key", "keys/demo/consent-signer.pub.pem"] + db)
        #expect(audit.exitCode == 4, "\(audit)")
        let answer = try #require(audit.json, "\(audit)")
        #expect(answer["ok"] as? Bool == false && answer["exit-code"] as? Int == 4, "\(audit)")
        #expect((answer["message"] as? String)?.contains("not by the key given") == true, "\(audit)")

        let file = folder.path + "/not-a-consent.json"
        try Data("{\"hello\": 1}".utf8).write(to: URL(fileURLWithPath: file))
        let consent = try CLIRunner.run(["consent", "verify", file, "--json"] + db)
        #expect(consent.exitCode == 3 || consent.exitCode == 4, "\(consent)")
        let verdict = try #require(consent.json, "\(consent)")
        #expect(verdict["valid"] as? Bool == false && verdict["exit-code"] as? Int == Int(consent.exitCode), "\(consent)")
        #expect(!consent.stderr.isEmpty, "the message on standard error as before")
    }
}

/// `--key` naming the demo audit-log key in demo mode opens it with the demo passphrase, as the installation does
/// (a key review: it asked for `CONSENTGATE_PASSPHRASE`).
@Suite struct AuditDemoKeyFileCLITests {
    @Test func theDemoKeyFileOpensInDemoMode() throws {
        let folder = try TemporaryDirectory("cli-demo-key-file")
        let db = ["--demo", "--db", folder.path + "/cg.sqlite"]
        #expect(try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + db).exitCode == 0)
        let r = try CLIRunner.run(["audit", "log", "--key", "keys/demo/audit-log.key.pem"] + db)
        #expect(r.exitCode == 0, "\(r)")
    }
}

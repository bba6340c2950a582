import Foundation
import Testing

/// CONTRACTS §4 and §8 against the built binary: `check` refuses what `POST /v1/decisions` refuses, every command
/// that prints results takes `--json`, and option values the command line got wrong are usage errors (exit 2).
@Suite struct ContractConformanceCLITests {

    // MARK: check: the same request refused as the web API refuses it

    @Test(arguments: [("--partner", "jobcentre", "unknown partner \"jobcentre\""),
                      ("--purpose", "job-placment", "unknown purpose \"job-placment\"")])
    func checkRefusesAPartnerOrPurposeThePolicyDoesNotKnow(option: String, value: String, message: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        var args = ["check", "--subject", CLIFixture.subject, "--partner", "jobcenter", "--purpose", "job-placement",
                    "--fields", "name.family", "--at", "2026-03-01T10:00:00Z", "--json"]
        args[args.firstIndex(of: option)! + 1] = value
        let r = try inst.run(args)
        // Invalid input (exit 3), as the API answers 422 unknown-partner / unknown-purpose: not a logged "deny".
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains(message), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
        if FileManager.default.fileExists(atPath: inst.databasePath) {
            #expect(try inst.auditKinds().contains("decision") == false, "a refused request must not be logged as a decision")
        }
        let german = try inst.run(args, environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 3, "\(german)")
        #expect(german.stderr.contains(option == "--partner" ? "unbekannte Stelle \"jobcentre\"" : "unbekannter Zweck \"job-placment\""),
                "\(german)")
    }

    @Test func checkRefusesASubjectThatIsNotACaseID() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        // The API answers 400 invalid-field for this subject; the command line names the option and, as
        // `consent grant` does for the same subject, exits 3 (invalid input).
        let r = try inst.run(["check", "--subject", "Anna Melnyk", "--partner", "jobcenter", "--purpose", "job-placement",
                              "--fields", "name.family", "--json"])
        #expect(r.exitCode == 3, "\(r)")
        let grant = try inst.run(["consent", "grant", "--subject", "Anna Melnyk", "--clauses", "jobcenter", "--collected-by", "cm.1",
                                  "--municipality", "Troisdorf", "--birth-date", "1948-07-18"])
        #expect(grant.exitCode == r.exitCode, "\(grant)")
        #expect(r.stderr.contains("--subject"), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
    }

    // MARK: §8: --json on every command that prints results

    @Test func auditCommandsThatPrintResultsTakeJSON() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant()
        _ = try inst.check(fields: "name.family", at: "2026-03-01T10:00:00Z")
        let calls: [[String]] = [
            ["audit", "prove", "--index", "1", "--json"],
            ["audit", "consistency", "--from", "1", "--to", "2", "--json"],
            ["audit", "key", "--json"],
            ["audit", "report", "--subject", CLIFixture.subject, "--json"],
            ["audit", "stats", "--json"],
        ]
        for call in calls {
            let r = try inst.run(call)
            #expect(r.exitCode == 0, "\(call): \(r)")
            #expect((try? JSONSerialization.jsonObject(with: Data(r.stdoutBytes))) != nil, "\(call) printed no JSON: \(r)")
        }
        let prove = try inst.run(["audit", "prove", "--index", "1", "--json"])
        #expect(prove.json?["leaf-index"] as? Int == 1, "\(prove)")
        let keys = try inst.run(["audit", "key", "--json"])
        let first = (keys.json?["keys"] as? [String])?.first
        #expect(first?.hasPrefix("consentgate.local/audit+") == true, "\(keys)")
        let stats = try inst.run(["audit", "stats", "--by", "partner", "--json"])
        #expect(stats.json?["rows"] is [[String: Any]], "\(stats)")
        // --json is --format json; a contradicting --format is a usage error.
        let both = try inst.run(["audit", "report", "--subject", CLIFixture.subject, "--json", "--format", "html"])
        #expect(both.exitCode == 2, "\(both)")
    }

    @Test func consentExportAndImportTakeJSON() throws {
        let source = try CLIInstallation()
        defer { source.remove() }
        let (_, granted) = try source.grant()
        let id = try #require(granted["id"] as? String)
        let export = try source.run(["consent", "export", id, "--out", source.path("out"), "--json"])
        #expect(export.exitCode == 0, "\(export)")
        let files = try #require(export.json?["files"] as? [String], "\(export)")
        #expect(files.count == 1 && files[0].hasSuffix("consent-\(id).jws.json"), "\(export)")

        let target = try CLIInstallation(name: "other.sqlite")
        defer { target.remove() }
        let first = try target.run(["consent", "import", files[0], "--json"])
        #expect(first.exitCode == 0, "\(first)")
        #expect(first.json?["kind"] as? String == "consent" && first.json?["id"] as? String == id, "\(first)")
        #expect(first.json?["imported"] as? Bool == true, "\(first)")
        let again = try target.run(["consent", "import", files[0], "--json"])
        #expect(again.json?["imported"] as? Bool == false, "\(again)")
    }

    @Test func usersDisableTakesJSON() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("users.sqlite").path
        let add = try CLIRunner.run(["users", "add", "--demo", "--name", "anna.dpo", "--role", "dpo", "--password-env", "PW", "--db", db],
                                    environment: ["PW": "a-long-password-2026"])
        try #require(add.exitCode == 0, "\(add)")
        let r = try CLIRunner.run(["users", "disable", "--demo", "anna.dpo", "--db", db, "--json"])
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.json?["name"] as? String == "anna.dpo" && r.json?["disabled"] as? Bool == true, "\(r)")
    }

    // MARK: §8: a bad option value is a usage error naming the option

    @Test(arguments: ["--since", "--until"])
    func auditLogNamesABadTimeOptionAsUsage(option: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.check(fields: "name.family", at: "2026-03-01T10:00:00Z")
        let bad = try inst.run(["audit", "log", option, "yesterday"])
        #expect(bad.exitCode == 2, "\(bad)")
        #expect(bad.stderr.contains(option) && bad.stderr.contains("yesterday"), "\(bad)")
        let german = try inst.run(["audit", "log", option, "yesterday"], environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 2 && german.stderr.contains("keine Zeit"), "\(german)")
        // A day is read as its start in Europe/Berlin (`AuditTimeBound`), as `GET /v1/audit/entries` reads it.
        let day = try inst.run(["audit", "log", option, "2026-01-01"])
        #expect(day.exitCode == 0, "\(day)")
    }
}

/// §8: an error about a consent document read from a file names that file (in both languages), with the
/// verifier's category (4 for a document that is not a valid or genuine JWS).
@Suite struct DocumentFileErrorCLITests {
    @Test(arguments: ["verify", "import"])
    func aBadDocumentFileIsNamedInTheError(command: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant()
        let id = try #require(granted["id"] as? String)
        let exported = try inst.run(["consent", "export", id, "--out", inst.path("out")])
        let file = try #require(exported.stdout.split(separator: "\n").first.map(String.init), "\(exported)")
        // The same document with its signature changed, and a file that is no JSON at all.
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: String])
        let signature = try #require(document["signature"])
        document["signature"] = (signature.first == "A" ? "B" : "A") + signature.dropFirst()
        let tampered = inst.path("tampered.jws.json")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: tampered))
        let garbage = inst.path("scan.pdf")
        try Data("%PDF-1.7".utf8).write(to: URL(fileURLWithPath: garbage))
        // A JWS whose signature fails is an integrity failure (4); a file that is not a JWS at all is invalid input (3).
        for (path, code) in [(tampered, Int32(4)), (garbage, Int32(3))] {
            for (language, word) in [("en", "JWS"), ("de", "JWS")] {
                let r = try inst.run(["consent", command, path], environment: ["CONSENTGATE_LANG": language])
                #expect(r.exitCode == code, "\(r)")
                #expect(r.stderr.contains(path) && r.stderr.contains(word), "\(language): \(r)")
            }
        }
    }
}

/// A kid is base64url and starts with `-` for one key in 64: `--key -…` must still be read as the kid (the
/// next argument), not as an unknown option with the value missing (exit 2). Seen as a random failure of
/// `KeysCLITests.generateDemoKey` when the freshly generated key's kid began with `-`.
@Suite struct KidWithLeadingDashCLITests {
    static let kid = "-" + String(repeating: "A", count: 42)

    @Test(arguments: [["keys", "sign", "--demo", "--key", kid, "--in", "README.md", "--out", "SIG"],
                      ["keys", "verify", "--demo", "--key", kid, "--in", "README.md", "--sig", ".gitignore"],
                      ["keys", "show", "--demo", "--kid", kid], ["keys", "show", "--demo", "--", kid]])
    func aKidStartingWithADashIsTakenAsTheKid(args: [String]) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLIRunner.run(args.map { $0 == "SIG" ? dir.appendingPathComponent("sig").path : $0 })
        // An unknown kid: the trust store's answer (exit 4, naming the kid), not a usage error.
        #expect(r.exitCode == 4, "\(r)")
        #expect(r.stderr.contains(Self.kid) && !r.stderr.contains("Missing value"), "\(r)")
    }

    @Test(arguments: [["keys", "show", "--demo"], ["keys", "show", "--demo", "--kid", "a", "b"]])
    func keysShowWantsTheKidOnce(args: [String]) throws {
        let r = try CLIRunner.run(args, environment: ["CONSENTGATE_LANG": "en"])
        #expect(r.exitCode == 2 && r.stderr.contains("give the kid once"), "\(r)")
    }
}

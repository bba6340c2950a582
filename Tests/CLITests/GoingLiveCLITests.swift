import ChildProcess
import Foundation
import TestFolders
import Testing

/// docs/going-live.md, executed: the administrator's steps from a fresh checkout to a production installation (own keys
/// in a new trust store, accounts, `serve` without `--demo`, a consent, a check, the export, the published key, `audit
/// verify`, a backup), run as the page writes them, then held to what they must have achieved.
///
/// Every ` ```sh ` block of the page is run in order with `/bin/sh -e` in a new empty folder (the installation folder),
/// the built `consentgate` first on `PATH`, `SRC` the checkout and the shared sample list at `input/registrations.csv`
/// (where the county's registration software would put it). Nothing else is changed, with one exception the page
/// states: the block that starts `consentgate serve` runs in the background with `--port 8080` replaced by `--port 0`
/// (a free port), and `8080` in the blocks after it by the port the service printed. A renamed option, a missing step
/// or a step in the wrong order on the page therefore fails here, as it would at the administrator's terminal.
@Suite struct GoingLiveCLITests {
    static let page = "docs/going-live.md"
    /// The county's audit-log origin, as step 0 sets it.
    static let origin = "rhein-sieg-kreis.de/consentgate/audit"

    /// `path` read as a JSON object.
    static func jsonObject(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any], "\(path)")
    }

    @Test("docs/going-live.md run as written: own keys, accounts, serve without --demo, consent, check, export, verify, backup",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")), .timeLimit(.minutes(10)))
    func thePageTakesAnAdministratorToAProductionInstallation() throws {
        let markdown = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(Self.page), encoding: .utf8)
        let blocks = MarkdownShellBlocks.shellBlocks(markdown)
        #expect(blocks.count >= 9, "the page's sh blocks: \(blocks.map(\.line))")

        let folder = try TemporaryDirectory("cli-going-live")
        let dir = folder.path
        func path(_ p: String) -> String { dir + "/" + p }
        let bin = try folder.folder("bin").path
        try FileManager.default.createSymbolicLink(atPath: bin + "/consentgate", withDestinationPath: try CLIRunner.executableURL.path)
        let installation = try folder.folder("installation").path
        try FileManager.default.createDirectory(atPath: installation + "/input", withIntermediateDirectories: true)
        // The shared sample list and one row as real lists have them: a birth date that is no date (31 February).
        var list = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8)
        let siegburg = try #require(list.split(whereSeparator: \.isNewline).first { $0.contains(";RSK-2022-000065;") })
        list += (list.hasSuffix("\n") ? "" : "\n") + siegburg.replacingOccurrences(of: "RSK-2022-000065", with: "RSK-2022-009999")
            .replacingOccurrences(of: "14.09.1981", with: "31.02.1981") + "\n"
        try list.write(toFile: installation + "/input/registrations.csv", atomically: true, encoding: .utf8)
        // The county's audit-log origin is given to the first command that creates the database only; every later one
        // (and the units) takes it from the log.
        let env = MarkdownShellBlocks.environment(bin: bin)
        #expect(markdown.contains("CONSENTGATE_AUDIT_ORIGIN=\(Self.origin) consentgate users add --name kreis-admin"))
        #expect(!markdown.contains("Environment=CONSENTGATE_AUDIT_ORIGIN"), "the units need no origin")
        func inst(_ p: String) -> String { installation + "/" + p }

        // The page, block by block.
        var serve: SpawnedProcess? = nil
        defer { if let serve { serve.terminate(); _ = try? serve.waitForExit(timeout: 20) } }
        var port: String? = nil
        var outputs: [Int: CLIResult] = [:]
        for block in blocks {
            if block.text.hasPrefix("consentgate serve") {
                #expect(serve == nil, "one serve block")
                #expect(!block.text.contains("--demo"), "line \(block.line): \(block.text)")
                #expect(block.text.contains("--port 8080"), "line \(block.line): the test replaces --port 8080: \(block.text)")
                let line = block.text.replacingOccurrences(of: "--port 8080", with: "--port 0")
                let p = try Spawn.start("/bin/sh", ["-c", "exec " + line], environment: .exactly(env), workingDirectory: installation)
                serve = p
                let printed = p.waitForStandardOutput(timeout: 60) { $0.contains("/  (") }
                port = printed.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//).map { String($0.1) }
                try #require(port != nil, "line \(block.line): serve printed no address: \(printed)\n\(String(decoding: p.capturedStandardError(), as: UTF8.self))")
                // Outside demo mode: no demo accounts, but how to add an account.
                #expect(!printed.contains("DEMO") && printed.contains("consentgate users add") && printed.contains("--passphrase-file"), "\(printed)")
                continue
            }
            let script = port.map { block.text.replacingOccurrences(of: "8080", with: $0) } ?? block.text
            let r = try MarkdownShellBlocks.shell(script, in: installation, environment: env)
            outputs[block.line] = r
            try #require(r.exitCode == 0, "\(Self.page):\(block.line) failed:\n\(block.text)\n\(r)")
        }
        let servedPort = try #require(port, "the page starts consentgate serve")
        func output(containing command: String) throws -> CLIResult {
            let line = try #require(blocks.first { $0.text.contains(command) }?.line, "no block runs \(command)")
            return try #require(outputs[line])
        }

        // 1. Three production keys, one per role, in the new trust store; no demo key, none of the checkout's keys.
        let keys = try CLIRunner.run(["keys", "list", "--json", "--trust", inst("keys/trust.yaml")])
        let checkout = try CLIRunner.run(["keys", "list", "--json", "--trust", CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path])
        let entries = try #require(keys.json?["keys"] as? [[String: Any]], "\(keys)")
        let demoKids = Set(try #require(checkout.json?["keys"] as? [[String: Any]], "\(checkout)").compactMap { $0["kid"] as? String })
        #expect(entries.count == 3, "\(keys)")
        #expect(entries.allSatisfy { ($0["demo"] as? Bool) == false && ($0["state"] as? String) == "valid" }, "\(keys)")
        #expect(Set(entries.compactMap { ($0["roles"] as? [String])?.first }) == ["audit-log", "consent-signer", "export-signer"], "\(keys)")
        #expect(demoKids.count >= 5 && demoKids.isDisjoint(with: entries.compactMap { $0["kid"] as? String }), "\(keys)")
        let trustText = try String(contentsOfFile: inst("keys/trust.yaml"), encoding: .utf8)
        #expect(!trustText.contains("demo: true") && !trustText.contains("demo/"), "\(trustText)")
        for stem in ["audit-log", "consent-signer", "export-signer"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: inst("keys/\(stem).key.pem"))[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(stem).key.pem: \(String(mode, radix: 8))")
        }
        let exportKid = try #require(entries.first { ($0["roles"] as? [String]) == ["export-signer"] }?["kid"] as? String)

        // 2. The four accounts, with their roles; the case worker bound to Siegburg.
        let users = try CLIRunner.run(["users", "list", "--json", "--db", inst("data/consentgate.sqlite")])
        #expect(users.exitCode == 0, "\(users)")
        for (name, role) in [("kreis-admin", "admin"), ("kreis-dsb", "dpo"), ("fm-siegburg-1", "caseworker"), ("kreis-export", "exporter")] {
            #expect(users.stdout.contains("\"\(name)\"") && users.stdout.contains("\"\(role)\""), "\(name): \(users)")
        }

        // 3. serve without --demo answered /health, and a decision through the API with the case worker's token (before
        // the consent: nothing released; the page kept the answer).
        let health = try output(containing: "/health")
        #expect(health.stdout.hasPrefix("ok"), "\(health)")
        let first = try Self.jsonObject(inst("secrets/first-decision.json"))
        #expect((first["released"] as? [String]) == [] && (first["subject"] as? String) == "RSK-2022-000065", "\(first)")
        let token = try #require(try String(contentsOfFile: inst("secrets/fm-siegburg-1.txt"), encoding: .utf8)
            .firstMatch(of: /cg_[A-Za-z0-9_-]{43}/).map { String($0.0) })
        // The same question after the consent the page recorded on the command line: the running service sees it.
        let body = #"{"subject": "RSK-2022-000065", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family", "health.notes"]}"#
        let decided = try Spawn.run("/usr/bin/curl", ["-sS", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                                      "-d", body, "-w", "\n%{http_code}", "http://127.0.0.1:\(servedPort)/v1/decisions"], timeout: 60)
        let answer = decided.stdoutText.split(separator: "\n").map(String.init)
        #expect(answer.last == "200", "\(decided.stdoutText)")
        let decision = try #require(try JSONSerialization.jsonObject(with: Data((answer.first ?? "").utf8)) as? [String: Any], "\(decided.stdoutText)")
        #expect((decision["released"] as? [String]) == ["name.family"], "\(decision)")
        // A demo account's token, or none, gets nothing: there are no demo accounts.
        let anonymous = try Spawn.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                                                        "-d", body, "http://127.0.0.1:\(servedPort)/v1/decisions"], timeout: 60)
        #expect(anonymous.stdoutText == "401", "\(anonymous.stdoutText)")

        // 4. The check on the command line after the consent: the family name released, the health notes forbidden.
        let check = try output(containing: "consentgate check")
        #expect(check.stdout.contains("Freigegeben: 1 von 2 Feldern") && check.stdout.contains("gesperrt, außer mit ausdrücklicher Einwilligung"), "\(check)")
        let dbMode = try #require(try FileManager.default.attributesOfItem(atPath: inst("data/consentgate.sqlite"))[.posixPermissions] as? Int)
        #expect(dbMode == 0o640, "as the page says: \(String(dbMode, radix: 8))")
        // The export wrote signed folders; the quarantine report went to reports/, never to the drive.
        let drive = inst("drive")
        let partnerFolders = try FileManager.default.contentsOfDirectory(atPath: drive).filter { !$0.hasPrefix(".") }
        let runFolders = try partnerFolders.flatMap { partner in
            try FileManager.default.contentsOfDirectory(atPath: drive + "/" + partner).filter { !$0.hasPrefix(".") }.map { drive + "/" + partner + "/" + $0 }
        }
        #expect(runFolders.count >= 3, "\(runFolders)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: inst("reports"))
        let report = try #require(reports.first { $0.hasPrefix("quarantine-") && $0.hasSuffix(".csv") }, "\(reports)")
        let quarantined = try String(contentsOfFile: inst("reports/" + report), encoding: .utf8)
        #expect(quarantined.contains("RSK-2022-009999") && quarantined.contains("invalid-date"), "\(quarantined)")
        #expect(try output(containing: "ls reports").stdout.contains(report))
        let onDrive = FileManager.default.enumerator(atPath: drive)?.compactMap { $0 as? String } ?? []
        #expect(!onDrive.contains { $0.contains("quarantine") }, "\(onDrive)")

        // 6. Every manifest verifies with stock openssl against the published key, names that key, and does not verify
        // with the demo export signer's public key.
        let published = inst("published/export-signer.pub.pem")
        let demoPublic = CLIRunner.packageRoot.appendingPathComponent("keys/demo/export-signer.pub.pem").path
        for run in runFolders {
            let manifest = try Self.jsonObject(run + "/manifest.json")
            #expect((manifest["signer"] as? [String: Any])?["kid"] as? String == exportKid, "\(run): \(manifest)")
            let ok = try CLIRunner.runTool("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", published, "-rawin",
                                                       "-in", run + "/manifest.json", "-sigfile", run + "/manifest.sig"])
            #expect(ok.exitCode == 0 && ok.stdout.contains("Signature Verified Successfully"), "\(run): \(ok)")
            let demo = try CLIRunner.runTool("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", demoPublic, "-rawin",
                                                         "-in", run + "/manifest.json", "-sigfile", run + "/manifest.sig"])
            #expect(demo.exitCode != 0, "\(run): \(demo)")
        }
        let verifiedByPage = try output(containing: "openssl pkeyutl")
        // The page's loop checks signature, run id and file digests per folder and names each: all OK, exit 0.
        let okLines = verifiedByPage.stdout.split(separator: "\n").filter { $0.hasPrefix("OK ") }
        #expect(okLines.count == runFolders.count && !verifiedByPage.stdout.contains("FAILED"), "\(verifiedByPage)")
        // audit verify without --demo: the installation's log checks out with its own keys.
        let verify = try output(containing: "consentgate audit verify")
        #expect(verify.stdout.hasPrefix("Audit-Protokoll in Ordnung") && verify.stdout.contains("1 Einwilligung, 0 Widerrufe, 3 Schlüssel, 4 Konten"),
                "\(verify)")
        // The backup: one file, owner only, a complete database (audit verify of the copy passes too).
        let backup = inst("backups/consentgate-first.sqlite")
        let backupMode = try #require(try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int)
        #expect(backupMode == 0o600, "\(String(backupMode, radix: 8))")
        let copy = path("backup-copy.sqlite")
        try FileManager.default.copyItem(atPath: backup, toPath: copy)
        let verifyCopy = try CLIRunner.run(["audit", "verify", "--db", copy, "--trust", inst("keys/trust.yaml")])
        #expect(verifyCopy.exitCode == 0 && verifyCopy.stdout.contains("1 consent, 0 withdrawals, 3 keys, 4 accounts"), "\(verifyCopy)")
        // The log carries the county's origin from its first checkpoint on (every block after the first `users add` ran
        // without it); a command given another one appends nothing.
        let checkpoint = try CLIRunner.run(["audit", "checkpoint", "--db", inst("data/consentgate.sqlite")])
        #expect(checkpoint.stdout.hasPrefix(Self.origin + "\n"), "\(checkpoint)")
        let otherOrigin = try CLIRunner.run(["check", "--subject", "RSK-2022-000065", "--partner", "jobcenter", "--purpose", "job-placement",
                                             "--fields", "name.family", "--passphrase-file", "secrets/passphrase"],
                                            environment: ["CONSENTGATE_AUDIT_ORIGIN": "consentgate.local/audit"],
                                            workingDirectory: URL(fileURLWithPath: installation))
        #expect(otherOrigin.exitCode == 2 && otherOrigin.stderr.contains(Self.origin), "\(otherOrigin)")

        // A demo key is refused by this installation: a file the demo export signer signed (in demo mode, with the
        // checkout's store) does not verify here, with or without the demo key's kid in the question.
        let signed = path("signed.txt")
        try Data("Lieferung\n".utf8).write(to: URL(fileURLWithPath: signed))
        let demoList = try #require(checkout.json?["keys"] as? [[String: Any]])
        let demoExportKid = try #require(demoList.first { ($0["roles"] as? [String]) == ["export-signer"] && ($0["demo"] as? Bool) == true }?["kid"] as? String)
        let sign = try CLIRunner.run(["keys", "sign", "--demo", "--key", demoExportKid, "--in", signed, "--out", signed + ".sig"])
        #expect(sign.exitCode == 0, "\(sign)")
        let refused = try CLIRunner.run(["keys", "verify", "--key", demoExportKid, "--in", signed, "--sig", signed + ".sig",
                                         "--trust", inst("keys/trust.yaml")])
        #expect(refused.exitCode == 4, "\(refused)")
        let refusedDemo = try CLIRunner.run(["keys", "verify", "--demo", "--key", exportKid, "--in", signed, "--sig", signed + ".sig",
                                             "--trust", inst("keys/trust.yaml")])
        #expect(refusedDemo.exitCode == 4, "the production key did not make this signature: \(refusedDemo)")

        // A consent recorded in a demo installation (signed with the demo consent signer) is not taken in either.
        let demoDB = path("demo.sqlite"), demoFolder = path("demo-consent")
        let demoGrant = try CLIRunner.run(["consent", "grant", "--demo", "--db", demoDB, "--subject", "RSK-2022-000063", "--clauses", "jobcenter",
                                           "--collected-by", "fm-siegburg-1", "--municipality", "Siegburg", "--birth-date", "1957-10-29"])
        #expect(demoGrant.exitCode == 0, "\(demoGrant)")
        let demoID = demoGrant.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let demoExport = try CLIRunner.run(["consent", "export", "--demo", "--db", demoDB, demoID, "--out", demoFolder])
        #expect(demoExport.exitCode == 0, "\(demoExport)")
        let demoConsent = demoFolder + "/consent-\(demoID).jws.json"
        let imported = try CLIRunner.run(["consent", "import", demoConsent, "--birth-date", "1957-10-29", "--passphrase-file", "secrets/passphrase"],
                                         workingDirectory: URL(fileURLWithPath: installation))
        let demoConsentKid = try #require(demoList.first { ($0["roles"] as? [String]) == ["consent-signer"] && ($0["algorithm"] as? String) == "ed25519" }?["kid"] as? String)
        #expect(imported.exitCode == 4 && imported.stderr.contains(demoConsentKid) && imported.stderr.contains("trust store"), "\(imported)")

        // serve stops on SIGTERM (systemctl stop) with status 0.
        let p = try #require(serve)
        p.terminate()
        let stopped = try p.waitForExit(timeout: 30)
        serve = nil
        #expect(stopped.status == 0, "\(stopped.stderrText)")
    }

    /// The test must fail when the page is wrong: a page whose export line names an option that does not exist stops at
    /// that block (exit 2), and the block before a missing step fails the next one.
    @Test("the runner stops at a block whose command is wrong")
    func aWrongBlockFails() throws {
        let folder = try TemporaryDirectory("cli-going-live-wrong")
        let bin = try folder.folder("bin").path
        try FileManager.default.createSymbolicLink(atPath: bin + "/consentgate", withDestinationPath: try CLIRunner.executableURL.path)
        let markdown = "```sh\nconsentgate keys list --no-such-option\n```\n\n```console\n# not run\n```\n"
        let blocks = MarkdownShellBlocks.shellBlocks(markdown)
        #expect(blocks.map(\.line) == [2])
        let r = try MarkdownShellBlocks.shell(blocks[0].text, in: folder.path, environment: MarkdownShellBlocks.environment(bin: bin))
        #expect(r.exitCode == 2, "\(r)")
    }
}

import ChildProcess
import Foundation
import TestFolders
import Testing

/// `consentgate export` as the people who live with it meet it: the operator running it unattended (a real signing
/// key with a passphrase file, a log file, a list that cannot be read or has no good row, a stop by SIGTERM), and the
/// partner agency following the README's verification commands verbatim.
@Suite struct ExportOpsReviewCLITests {
    static let policy = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path

    /// An installation in a temporary folder: `drive/`, `reports/`, a database, and a copy of the trust store.
    struct Setup {
        /// The folder, removed when the test lets go of the installation (or earlier by `remove()`).
        let folder: TemporaryDirectory
        var dir: URL { folder.url }
        init() throws {
            folder = try TemporaryDirectory("cli-test")
            for sub in ["drive", "reports"] {
                _ = try folder.folder(sub)
            }
        }
        func path(_ p: String) -> String { dir.appendingPathComponent(p).path }
        func remove() { try? FileManager.default.removeItem(at: dir) }
        /// `consentgate <command> --demo --db … --policy … --trust …` plus `args`.
        func run(_ command: [String], _ args: [String], policy: String = ExportOpsReviewCLITests.policy, trust: String? = nil,
                 env: [String: String] = [:]) throws -> CLIResult {
            try CLIRunner.run(command + ["--demo", "--db", path("db.sqlite"), "--policy", policy,
                                         "--trust", trust ?? CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path] + args,
                              environment: env)
        }
        func export(_ args: [String], policy: String = ExportOpsReviewCLITests.policy, trust: String? = nil,
                    env: [String: String] = [:]) throws -> CLIResult {
            try run(["export"], ["--input", ExportCLITests.Installation.sample, "--drive", path("drive"),
                                 "--quarantine-dir", path("reports")] + args, policy: policy, trust: trust, env: env)
        }
        /// The single run folder of `partner` (not hidden), as a path.
        func runFolders(_ partner: String) -> [String] {
            let folder = path("drive/" + partner)
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                .map { folder + "/" + $0 }
        }
    }

    /// The README's commands for partner agencies (section "For partner agencies"), as written there.
    static func readmePartnerCommands() throws -> [String] {
        let readme = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "## For partner agencies"))
        let section = readme[start.upperBound...]
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        return section[..<end].split(separator: "\n").filter { $0.hasPrefix("    ") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Runs a README line verbatim with /bin/sh in `folder` (the partner's working folder).
    static func shell(_ line: String, in folder: String) throws -> CLIResult {
        let r = try Spawn.run("/bin/sh", ["-c", line], workingDirectory: folder, timeout: 60)
        return CLIResult(exitCode: r.status, stdoutBytes: [UInt8](r.stdout), stderrBytes: [UInt8](r.stderr))
    }

    /// The operator's unattended run with a real (non-demo) export signer, P-256 here: the passphrase comes from a
    /// file (a secret the service manager mounts), as the message for a missing passphrase tells. Before, `export`
    /// had no `--passphrase-file`: the run stopped with "unknown option" (exit 2), and the only way was the
    /// environment. The partner then verifies the P-256 folder with the README's `openssl dgst` line verbatim.
    @Test("export reads the signing key's passphrase from --passphrase-file; the P-256 folder verifies as the README says")
    func passphraseFileForARealExportSigner() throws {
        let s = try Setup()
        defer { s.remove() }
        // A copy of the trust store without the demo export signer, and a new P-256 export signer.
        let keys = s.path("keys")
        try FileManager.default.copyItem(atPath: CLIRunner.packageRoot.appendingPathComponent("keys").path, toPath: keys)
        var trust = try String(contentsOfFile: keys + "/trust.yaml", encoding: .utf8)
        let entries = trust.components(separatedBy: "\n  - kid:")
        trust = entries.filter { !$0.contains("Demo export-signer") }.joined(separator: "\n  - kid:")
        try trust.write(toFile: keys + "/trust.yaml", atomically: true, encoding: .utf8)
        try Data("geheim genug 2026\n".utf8).write(to: URL(fileURLWithPath: s.path("pass.txt")))
        let gen = try CLIRunner.run(["keys", "generate", "--trust", keys + "/trust.yaml", "--name", "Kreis Export P-256",
                                     "--role", "export-signer", "--algorithm", "p256", "--stem", "export-signer",
                                     "--passphrase-file", s.path("pass.txt")])
        #expect(gen.exitCode == 0, "\(gen)")

        let none = try s.export([], trust: keys + "/trust.yaml")
        #expect(none.exitCode == 2 && none.stderr.contains("--passphrase-file"), "\(none)")
        for lang in ["en", "de"] {
            let help = try CLIRunner.run(["export", "--help"], environment: ["CONSENTGATE_LANG": lang])
            #expect(help.stdout.contains("--passphrase-file"), "the option the message names exists (\(lang)): \(help)")
        }
        let run = try s.export(["--passphrase-file", s.path("pass.txt")], trust: keys + "/trust.yaml")
        #expect(run.exitCode == 0, "\(run)")
        let folder = try #require(s.runFolders("Schulamt").first, "\(run)")
        try FileManager.default.copyItem(atPath: keys + "/export-signer.pub.pem", toPath: folder + "/export-signer.pub.pem")
        let p256 = try #require(try Self.readmePartnerCommands().first { $0.hasPrefix("openssl dgst") })
        let verified = try Self.shell(p256, in: folder)
        #expect(verified.exitCode == 0 && verified.stdout.contains("Verified OK"), "\(verified)")
        let wrong = try s.export(["--passphrase-file", s.path("nope.txt")], trust: keys + "/trust.yaml")
        #expect(wrong.exitCode != 0 && wrong.stderr.contains("nope.txt"), "\(wrong)")
    }

    /// The partner receives an erasure-notice folder (`erasure-notices.csv` listed in the signed manifest) and follows
    /// the README verbatim. Every file the manifest lists must be checked by those commands: before, the README named
    /// only `registrations.csv`, so a notices file changed on the drive passed every step the README gives.
    @Test("the README's partner commands check every file of an erasure-notice folder")
    func readmeChecksErasureNotices() throws {
        let s = try Setup()
        defer { s.remove() }
        // A policy whose Ausländerbehörde profile also exports contact.phone, released by the abh-kontakt consent clause.
        let policy = s.path("policy")
        try FileManager.default.copyItem(atPath: Self.policy, toPath: policy)
        try? FileManager.default.removeItem(atPath: policy + "/tests")
        let exports = policy + "/exports.yaml"
        let before = "address.street, address.postcode, address.city, residence.status]"
        let text = try String(contentsOfFile: exports, encoding: .utf8)
        #expect(text.contains(before))
        try text.replacingOccurrences(of: before, with: "address.street, address.postcode, address.city, residence.status, contact.phone]")
            .write(toFile: exports, atomically: true, encoding: .utf8)
        let grant = try s.run(["consent", "grant"], ["--subject", "RSK-2022-000001", "--clauses", "abh-kontakt", "--collected-by",
                                                     "cm.troisdorf.1", "--municipality", "Niederkassel", "--birth-date", "1968-01-02"],
                              policy: policy)
        #expect(grant.exitCode == 0, "\(grant)")
        let consentID = grant.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try s.export([], policy: policy).exitCode == 0)
        let withdraw = try s.run(["consent", "withdraw"], [consentID], policy: policy)
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        let second = try s.export([], policy: policy)
        #expect(second.exitCode == 0, "\(second)")
        // The second run's folder (two runs within one second do not sort by time: take the one with the notices).
        let folder = try #require(s.runFolders("Auslaenderbehoerde").first {
            FileManager.default.fileExists(atPath: $0 + "/erasure-notices.csv")
        }, "\(second)")
        try FileManager.default.copyItem(atPath: CLIRunner.packageRoot.appendingPathComponent("keys/demo/export-signer.pub.pem").path,
                                         toPath: folder + "/export-signer.pub.pem")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json")))
                                    as? [String: Any])
        let files = try #require(manifest["files"] as? [[String: Any]])
        #expect(files.count == 2)

        let commands = try Self.readmePartnerCommands()
        let ed25519 = try #require(commands.first { $0.hasPrefix("openssl pkeyutl") })
        let verified = try Self.shell(ed25519, in: folder)
        #expect(verified.exitCode == 0 && verified.stdout.contains("Signature Verified Successfully"), "\(verified)")
        // The README's digest line, run verbatim, prints every listed file with the digest the manifest gives for it.
        let digests = try #require(commands.first { $0.hasPrefix("sha256sum") })
        let printed = try Self.shell(digests, in: folder)
        for file in files {
            let name = try #require(file["name"] as? String), sha = try #require(file["sha256"] as? String)
            #expect(printed.stdout.contains(sha + "  " + name), "the README's line checks \(name): \(printed)")
        }
        // A changed notices file: its digest no longer matches the manifest's.
        let notices = folder + "/erasure-notices.csv"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: notices)))
        bytes[bytes.count - 3] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: notices))
        let tampered = try Self.shell(digests, in: folder)
        let listed = files.compactMap { $0["sha256"] as? String }
        #expect(tampered.stdout.split(separator: "\n").contains { line in
            line.hasSuffix("erasure-notices.csv") && !listed.contains(String(line.prefix(64)))
        }, "\(tampered)")
    }

    /// Standard error goes to a log file while standard output is a terminal (`consentgate export … 2>>export.log`
    /// typed by the operator to try the cron line): the log gets no progress line (carriage returns, escape codes).
    @Test("no progress-line control characters in a log file that takes standard error",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func noProgressLineInStandardErrorLog() throws {
        let s = try Setup()
        defer { s.remove() }
        let list = s.path("list.csv")
        // A list long enough for progress reports (every 2,000 rows): the sample's rows again under new case ids.
        let sample = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8)
        var lines = sample.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst()
        var out = [header]
        for copy in 0..<12 {
            for line in lines { out.append(line.replacingOccurrences(of: "RSK-2022-", with: "RSK-\(2030 + copy)-")) }
        }
        try (out.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let command = [try CLIRunner.executableURL.path, "export", "--demo", "--db", s.path("db.sqlite"), "--policy", Self.policy,
                       "--trust", CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path, "--input", list,
                       "--drive", s.path("drive"), "--quarantine-dir", s.path("reports")]
            .map { "'" + $0 + "'" }.joined(separator: " ") + " 2>" + s.path("export.log")
        // `script` gives the command a terminal as standard output.
        let r = try Spawn.run("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], timeout: 300)
        #expect(r.status == 0, "\(r.stdoutText)")
        let log = try Data(contentsOf: URL(fileURLWithPath: s.path("export.log")))
        #expect(!log.contains(0x0D) && !log.contains(0x1B), "\(String(decoding: log, as: UTF8.self))")
    }

    /// A list where every row is broken (here: each has one cell too many, as when a column was deleted from the header
    /// only), and a list with only its header: the summary must not let the operator read "(nothing new)" as "all is
    /// well": it says that no row could be read or that there was none. Before, the table showed only "(nichts Neues)"
    /// for every partner. The run completes either way (quarantined rows never stop a run), but a list whose every row
    /// was quarantined exits 3 (invalid input, also with --json), so a monitored unattended run is marked failed; a
    /// list with only its header exits 0.
    @Test("a list whose every row is quarantined exits 3 with a warning line; a list without rows exits 0 with one")
    func everyRowBrokenOrNoRows() throws {
        let s = try Setup()
        defer { s.remove() }
        let sample = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8)
        var lines = sample.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst()
        let broken = s.path("broken.csv"), empty = s.path("header-only.csv")
        try ([header] + lines.prefix(30).map { $0 + ";zu viel" }).joined(separator: "\n").appending("\n")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        try (header + "\n").write(toFile: empty, atomically: true, encoding: .utf8)
        for (lang, allBroken, noRows) in [("de", "Achtung: alle 30 gelesenen Zeilen", "Achtung: die Liste enthält keine Datenzeilen"),
                                          ("en", "Attention: all 30 rows read", "Attention: the list has no data rows")] {
            let a = try s.run(["export"], ["--input", broken, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"),
                                           "--lang", lang])
            #expect(a.exitCode == 3 && a.stdout.contains(allBroken) && a.stdout.contains("quarantine-"), "\(a)")
            #expect(a.stderr.isEmpty, "the summary's warning says it all: \(a)")
            let b = try s.run(["export"], ["--input", empty, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"),
                                           "--lang", lang])
            #expect(b.exitCode == 0 && b.stdout.contains(noRows), "\(b)")
        }
        let json = try s.run(["export"], ["--input", broken, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"), "--json"])
        #expect(json.exitCode == 3 && json.stdout.contains("\"quarantined\""), "\(json)")
        let dry = try s.run(["export"], ["--input", broken, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"), "--dry-run"])
        #expect(dry.exitCode == 3, "a dry run says what the real run would do, exit code included: \(dry)")
        let good = try s.export([])
        #expect(good.exitCode == 0 && !good.stdout.contains("Attention"), "\(good)")
    }

    /// The same as the operator meets it: the list belongs to another user (mode 000), the export runs as `nobody`.
    @Test("a list the run's user may not read: exit 3 and 'permission denied'",
          .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func listWithoutReadPermission() throws {
        let s = try Setup()
        defer { s.remove() }
        let list = s.path("list.csv")
        try FileManager.default.copyItem(atPath: ExportCLITests.Installation.sample, toPath: list)
        let fm = FileManager.default
        for p in [s.dir.path, s.path("drive"), s.path("reports"), list] {
            try fm.setAttributes([.ownerAccountID: 65534, .groupOwnerAccountID: 65534], ofItemAtPath: p)
        }
        try fm.setAttributes([.posixPermissions: 0o000], ofItemAtPath: list)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: s.dir.path)
        let args = ["--reuid=65534", "--regid=65534", "--clear-groups", try CLIRunner.executableURL.path, "export", "--demo",
                    "--db", s.path("db.sqlite"), "--policy", Self.policy,
                    "--trust", CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path, "--input", list,
                    "--drive", s.path("drive"), "--quarantine-dir", s.path("reports")]
        // The binary, the policy and the keys must be readable by nobody (they are in a world-readable checkout); when
        // not (a checkout under a private home folder), there is nothing to learn here.
        let probe = try Spawn.run("/usr/bin/setpriv", Array(args.prefix(4)) + ["policy", "check", Self.policy],
                                  environment: .exactly(["PATH": "/usr/bin:/bin"]), workingDirectory: s.dir.path, timeout: 120)
        guard probe.status == 0 else { return }
        for (lang, words) in [("en", "permission denied"), ("de", "keine Berechtigung")] {
            let r = try Spawn.run("/usr/bin/setpriv", args, environment: .exactly(["CONSENTGATE_LANG": lang, "PATH": "/usr/bin:/bin"]),
                                  workingDirectory: s.dir.path, timeout: 120)
            #expect(r.status == 3 && r.stderrText.contains(words) && r.stderrText.contains("list.csv"), "\(r.stderrText)")
        }
    }

    /// The service manager stops the run (systemd's `TimeoutStartSec`, `systemctl stop`, a cron wrapper's `timeout`):
    /// SIGTERM. The log must say so, in the run's language, with what happens next; before, it ended with nothing at
    /// all and the operator could not tell a killed run from one that never started.
    @Test("a run stopped with SIGTERM says so in its log, in German and English")
    func terminatedRunSaysSo() throws {
        let s = try Setup()
        defer { s.remove() }
        let list = s.path("long.csv")
        let sample = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8)
        var lines = sample.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst()
        var out = [header]
        for copy in 0..<150 {
            for line in lines { out.append(line.replacingOccurrences(of: "RSK-2022-", with: "RSK-\(2100 + copy)-")) }
        }
        try (out.joined(separator: "\r\n") + "\r\n").write(toFile: list, atomically: true, encoding: .utf8)
        for (lang, words) in [("de", "SIGTERM"), ("en", "SIGTERM")] {
            let log = s.path("export-\(lang).log")
            var env = ProcessInfo.processInfo.environment
            env["CONSENTGATE_LANG"] = lang
            let lock = s.path("db.sqlite.export.lock")
            try? FileManager.default.removeItem(atPath: lock)
            let child = try Spawn.start(try CLIRunner.executableURL.path,
                                        ["export", "--demo", "--db", s.path("db.sqlite"), "--policy", Self.policy, "--trust",
                                         CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path, "--input", list,
                                         "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"), "--full"],
                                        environment: .exactly(env), stdout: .file(log), stderr: .standardOutput)
            // Once the run holds its lock it is at work: stop it.
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: lock) && Date() < deadline { usleep(20_000) }
            usleep(200_000)
            child.terminate()
            let result = try child.waitForExit(timeout: 60)
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(result.status == 128 + SIGTERM, "\(text)")
            #expect(text.contains(words), "\(lang): \(text)")
            #expect(text.contains(lang == "de" ? "nächste Lauf" : "next run"), "\(lang): \(text)")
        }
    }
}

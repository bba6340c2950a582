import ChildProcess
import Foundation
import GRDB
import Signing
import StrictJSON
import TestFolders
import Testing
@testable import AuditLog

/// The built `consentgate` executable against real database files: verify (exit 4 on tampering),
/// prove, consistency, key, log/report/stats (which record `audit-read`), and the SIGKILL crash test.
@Suite("consentgate audit (built executable)", .serialized)
struct CLITests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    static let passphrase = "test passphrase for the audit key"

    struct Setup {
        let dir: URL
        let db: String
        let keyFile: String
        let trustFile: String
        let signer: NoteSigner
        var args: [String] { ["--db", db, "--key", keyFile, "--trust", trustFile, "--origin", TestSupport.origin, "--actor", "dpo-1"] }
    }

    /// A fresh audit key (encrypted, mode 0600) in a trust store of its own with the `audit-log` role.
    func setup() throws -> Setup {
        let dir = try tmp.folder()
        let key = try PrivateKey.generate()
        let keyFile = dir.appendingPathComponent("audit-key.pem").path
        try Data(try key.encryptedPEM(passphrase: Self.passphrase, iterations: 1000).utf8).write(to: URL(fileURLWithPath: keyFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        let trustFile = try Self.trustStore(in: dir, keys: [(key, "audit-key", ["audit-log"])])
        return Setup(dir: dir, db: dir.appendingPathComponent("app.sqlite").path, keyFile: keyFile, trustFile: trustFile,
                     signer: try NoteSigner(name: TestSupport.origin, key: key))
    }

    /// Writes `trust.yaml` in `dir` listing each key (public key written as `<stem>.pub.pem`) with its roles.
    static func trustStore(in dir: URL, keys: [(key: PrivateKey, stem: String, roles: [String])],
                           revoked: Set<String> = []) throws -> String {
        var yaml = "version: 1\nkeys:\n"
        for k in keys {
            try Data(k.key.publicKey.pem.utf8).write(to: dir.appendingPathComponent("\(k.stem).pub.pem"))
            yaml += """
                  - kid: "\(k.key.publicKey.kid)"
                    name: "\(k.stem)"
                    algorithm: ed25519
                    public-key: "\(k.stem).pub.pem"
                    private-key: "\(k.stem).pem"
                    roles: [\(k.roles.joined(separator: ", "))]
                    not-before: "2020-01-01T00:00:00Z"
                    not-after: "2036-01-01T00:00:00Z"\n
                """
            if revoked.contains(k.stem) { yaml += "    revoked-at: \"2026-01-01T00:00:00Z\"\n" }
        }
        let file = dir.appendingPathComponent("trust.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    var binary: String { TestSupport.productsDir.appendingPathComponent("consentgate").path }
    let env = ["CONSENTGATE_PASSPHRASE": passphrase, "CONSENTGATE_LANG": "en"]

    func cli(_ args: [String], lang: String = "en") throws -> (Int32, String, String) {
        try TestSupport.run(binary, ["audit"] + args, environment: ["CONSENTGATE_PASSPHRASE": Self.passphrase, "CONSENTGATE_LANG": lang])
    }

    @Test("verify, prove, consistency, key, checkpoint; tampering gives exit 4 naming the entry in both languages")
    func verifyAndProve() throws {
        let s = try setup()
        let (st0, _, err0) = try cli(["crash-writer", "--count", "6", "--batch", "2"] + s.args)
        #expect(st0 == 0, "\(err0)")
        let (st, out, err) = try cli(["verify"] + s.args)
        #expect(st == 0, "\(err)")
        #expect(out.hasPrefix("audit log OK: 12 entries, 6 signed checkpoints"))
        let (_, vkey, _) = try cli(["key"] + s.args)
        #expect(vkey == s.signer.verifier.verifierKey + "\n")
        // Verification needs only the public verifier key.
        let (stV, _, errV) = try cli(["verify", "--db", s.db, "--verifier-key", s.signer.verifier.verifierKey])
        #expect(stV == 0, "\(errV)")
        let (_, proofText, _) = try cli(["prove", "--index", "3", "--size", "10"] + s.args)
        let proof = try JSONParser.parse(Array(proofText.utf8.dropLast()), context: "proof")
        #expect(proof["leaf-index"] == .int(3) && proof["tree-size"] == .int(10) && proof["hashes"]?.arrayValue?.count == 4)
        let (_, consText, _) = try cli(["consistency", "--from", "5", "--to", "12"] + s.args)
        let cons = try JSONParser.parse(Array(consText.utf8.dropLast()), context: "consistency")
        #expect(cons["tree-size-1"] == .int(5) && cons["tree-size-2"] == .int(12))
        let (stBad, _, errBad) = try cli(["prove", "--index", "12"] + s.args)
        #expect(stBad == 2, "\(errBad)")
        #expect(errBad.contains("outside the log: index 12 is not below tree size 12"), "\(errBad)")
        let (stBadDE, _, errBadDE) = try cli(["prove", "--index", "12"] + s.args, lang: "de")
        #expect(stBadDE == 2)
        #expect(errBadDE.contains("Außerhalb des Protokolls: Index 12 liegt nicht unter der Baumgröße 12"), "German throughout: \(errBadDE)")
        let badNote = NSTemporaryDirectory() + "bad-checkpoint-\(UUID().uuidString)"
        try Data("origin\nnot a size\nroot\n\n— k AAAA\n".utf8).write(to: URL(fileURLWithPath: badNote))
        defer { try? FileManager.default.removeItem(atPath: badNote) }
        let (stNote, _, errNote) = try cli(["verify", "--trusted-checkpoint", badNote] + s.args, lang: "de")
        #expect(stNote == 3, "\(errNote)")
        #expect(errNote.contains("ist keine dezimale Baumgröße") || errNote.contains("Signaturzeile"), "German reason: \(errNote)")
        let (_, note, _) = try cli(["checkpoint"] + s.args)
        #expect(try Checkpoint.verified(note: note, key: s.signer.verifier, source: "cli").size == 12)

        try TestSupport.sqlite(s.db, "DROP TRIGGER audit_entry_no_update; UPDATE audit_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'school', 'SCHOOL') AS BLOB) WHERE idx = 7")
        let (st4, _, err4) = try cli(["verify"] + s.args)
        #expect(st4 == 4)
        #expect(err4 == "error: audit log tampered with or damaged: entry 7 was changed: its bytes no longer match the leaf hash recorded when it was appended\n")
        let (st4de, _, err4de) = try cli(["verify"] + s.args, lang: "de")
        #expect(st4de == 4)
        #expect(err4de.hasPrefix("Fehler: Audit-Protokoll manipuliert oder beschädigt: Eintrag 7 wurde verändert"))
    }

    @Test("A stored checkpoint with a second, bad signature by the log's key gives exit 4 naming the key in both languages")
    func badSecondSignatureExit4() throws {
        let s = try setup()
        let (st0, _, err0) = try cli(["crash-writer", "--count", "3", "--batch", "1"] + s.args)
        #expect(st0 == 0, "\(err0)")
        let raw = try DatabaseQueue(path: s.db)
        let note = try #require(try raw.read { db in try String.fetchOne(db, sql: "SELECT note FROM audit_checkpoint WHERE tree_size = 2") })
        let bad = try s.signer.signatureLine(for: "\(TestSupport.origin)\n2\n\(Data(Array(repeating: UInt8(0), count: 32)).base64EncodedString())\n")
        try TestSupport.sqlite(s.db, "DROP TRIGGER audit_checkpoint_no_update")
        try raw.write { db in try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 2", arguments: [note + bad]) }
        let key = "\(TestSupport.origin)+\(Hex.encode(s.signer.verifier.keyID))"
        let (st, _, err) = try cli(["verify"] + s.args)
        #expect(st == 4, "\(err)")
        #expect(err == "error: invalid checkpoint: checkpoint of size 2: the signature by key \(key) does not verify (altered or forged)\n")
        let (stDE, _, errDE) = try cli(["verify"] + s.args, lang: "de")
        #expect(stDE == 4)
        #expect(errDE.contains("Signatur des Schlüssels \(key) ist ungültig"), "\(errDE)")
    }

    @Test("An index b-tree rebuilt to leave a row out gives exit 4 naming the index in both languages; REINDEX repairs it")
    func verifyNamesTamperedIndex() throws {
        let s = try setup()
        let (st0, _, err0) = try cli(["crash-writer", "--count", "6", "--batch", "2"] + s.args)
        #expect(st0 == 0, "\(err0)")
        let original = "CREATE INDEX audit_entry_time ON audit_entry(time)"
        try TestSupport.sqlite(s.db, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '\(original) WHERE idx <> 3' WHERE name = 'audit_entry_time';")
        try TestSupport.sqlite(s.db, "REINDEX audit_entry_time;")
        try TestSupport.sqlite(s.db, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '\(original)' WHERE name = 'audit_entry_time';")
        let (st, _, err) = try cli(["verify"] + s.args)
        #expect(st == 4)
        #expect(err.hasPrefix("error: audit log tampered with or damaged: the index audit_entry_time no longer lists exactly the stored entries"), "\(err)")
        let (stDE, _, errDE) = try cli(["verify"] + s.args, lang: "de")
        #expect(stDE == 4)
        #expect(errDE.hasPrefix("Fehler: Audit-Protokoll manipuliert oder beschädigt: der Index audit_entry_time listet nicht mehr genau"), "\(errDE)")
        try TestSupport.sqlite(s.db, "REINDEX audit_entry_time;")
        let (stOK, outOK, errOK) = try cli(["verify"] + s.args)
        #expect(stOK == 0 && outOK.hasPrefix("audit log OK: 12 entries"), "\(errOK)")
    }

    @Test("--key must name an audit-log key of the trust store; after a rotation verify accepts both keys, a revoked one no more")
    func keyFileTrustAndRotation() throws {
        let s = try setup()
        let (st0, _, err0) = try cli(["crash-writer", "--count", "2", "--batch", "1"] + s.args)
        #expect(st0 == 0, "\(err0)")
        // A key outside the trust store, and a trusted key without the audit-log role: refused, nothing signed.
        let stranger = try PrivateKey.generate()
        let strangerFile = s.dir.appendingPathComponent("stranger.pem").path
        try Data(try stranger.encryptedPEM(passphrase: Self.passphrase, iterations: 1000).utf8).write(to: URL(fileURLWithPath: strangerFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: strangerFile)
        let outside = s.args.map { $0 == s.keyFile ? strangerFile : $0 }
        let (stOut, _, errOut) = try cli(["log"] + outside)
        #expect(stOut == 4 && errOut.contains("not in the trust store"), "\(stOut) \(errOut)")
        let consentKey = try PrivateKey.generate()
        try Data(try consentKey.encryptedPEM(passphrase: Self.passphrase, iterations: 1000).utf8)
            .write(to: s.dir.appendingPathComponent("consent-key.pem"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: s.dir.appendingPathComponent("consent-key.pem").path)
        let old = try PrivateKey(file: s.keyFile, passphrase: Self.passphrase)
        _ = try Self.trustStore(in: s.dir, keys: [(old, "audit-key", ["audit-log"]), (consentKey, "consent-key", ["consent-signer"])])
        let wrongRole = s.args.map { $0 == s.keyFile ? s.dir.appendingPathComponent("consent-key.pem").path : $0 }
        let (stRole, _, errRole) = try cli(["log"] + wrongRole)
        #expect(stRole == 4 && errRole.contains("audit-log"), "\(stRole) \(errRole)")
        let (stV0, out0, errV0) = try cli(["verify"] + s.args)
        #expect(stV0 == 0 && out0.contains("2 entries"), "\(errV0)")

        // Rotation: a second audit-log key signs from now on; the trust store keeps both.
        let newer = try PrivateKey.generate()
        let newerFile = s.dir.appendingPathComponent("audit-key-2.pem").path
        try Data(try newer.encryptedPEM(passphrase: Self.passphrase, iterations: 1000).utf8).write(to: URL(fileURLWithPath: newerFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: newerFile)
        _ = try Self.trustStore(in: s.dir, keys: [(old, "audit-key", ["audit-log"]), (newer, "audit-key-2", ["audit-log"])])
        let rotated = s.args.map { $0 == s.keyFile ? newerFile : $0 }
        let (st1, _, err1) = try cli(["crash-writer", "--count", "2", "--batch", "1"] + rotated)
        #expect(st1 == 0, "\(err1)")
        let trustOnly = ["--db", s.db, "--trust", s.trustFile, "--origin", TestSupport.origin]
        let (stV, outV, errV) = try cli(["verify"] + trustOnly)
        #expect(stV == 0 && outV.contains("4 entries, 4 signed checkpoints"), "\(stV) \(errV)")
        let (_, keys, _) = try cli(["key"] + trustOnly)
        #expect(Set(keys.split(separator: "\n").map(String.init)) == [
            try NoteSigner(name: TestSupport.origin, key: old).verifier.verifierKey,
            try NoteSigner(name: TestSupport.origin, key: newer).verifier.verifierKey])
        // The old key alone no longer covers the log: the new checkpoints are not its.
        let oldOnly = try NoteSigner(name: TestSupport.origin, key: old).verifier.verifierKey
        let (stOld, _, errOld) = try cli(["verify", "--db", s.db, "--verifier-key", oldOnly])
        #expect(stOld == 4 && errOld.contains("checkpoint of size 3"), "\(errOld)")
        // A revoked key vouches for nothing: its checkpoints fail verification, naming the revocation.
        _ = try Self.trustStore(in: s.dir, keys: [(old, "audit-key", ["audit-log"]), (newer, "audit-key-2", ["audit-log"])],
                                revoked: ["audit-key"])
        let (stRev, _, errRev) = try cli(["verify"] + trustOnly)
        #expect(stRev == 4 && errRev.contains("checkpoint of size 1"), "\(errRev)")
    }

    @Test("log, report and stats print what the log holds and each records an audit-read entry")
    func readingIsRecorded() throws {
        let s = try setup()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: s.db))
        try store.append([TestSupport.disclosure(1, subject: "RSK-1", time: "2026-10-02T08:00:00Z"),
                          TestSupport.disclosure(2, partner: "jobcenter", subject: "RSK-1", time: "2026-11-03T08:00:00Z"),
                          TestSupport.disclosure(3, subject: "RSK-2", time: "2026-11-04T08:00:00Z")], signer: s.signer)
        let (st, out, err) = try cli(["log", "--subject", "RSK-1", "--json"] + s.args)
        #expect(st == 0, "\(err)")
        #expect(out.split(separator: "\n").count == 2)
        #expect(try store.size() == 4)
        let read = try store.entry(index: 3).entry
        #expect(read.kind == .auditRead && read.actor == "dpo-1")
        #expect(read.content == .auditRead(AuditReadRecord(command: "audit log", filters: ["subject": "RSK-1"], results: 2)))

        let reportFile = s.dir.appendingPathComponent("report.html").path
        let (st2, _, err2) = try cli(["report", "--subject", "RSK-1", "--lang", "de", "--output", reportFile] + s.args)
        #expect(st2 == 0, "\(err2)")
        let html = try String(contentsOfFile: reportFile, encoding: .utf8)
        #expect(html.contains("Art. 15 Abs. 1 lit. c DSGVO") && html.contains("jobcenter") && html.contains("§ 34 SchulG NRW"))
        #expect(try store.size() == 5)

        let (st3, csv, _) = try cli(["stats", "--by", "partner,month", "--format", "csv", "--lang", "en"] + s.args)
        #expect(st3 == 0)
        #expect(csv == "\u{FEFF}partner;month;disclosures;checks releasing data\r\njobcenter;2026-11;1;0\r\nschulamt;2026-10;1;0\r\nschulamt;2026-11;1;0\r\n")
        #expect(try store.size() == 6)
        #expect(try store.verify(key: s.signer.verifier).size == 6)
    }

    /// Each batch's commit is flushed to disk before its indices are reported: counted with `strace` as
    /// fsync/fdatasync calls on the database's `-wal` file. (GRDB's pool runs its writer at
    /// `synchronous = NORMAL`, which would make none per commit; the log raises it, or, pipelined, syncs itself.)
    @Test("Every append batch fsyncs the WAL before reporting (strace)", arguments: [false, true])
    func fsyncPerBatch(pipelined: Bool) throws {
        let s = try setup()
        _ = try TestSupport.openDatabase(at: s.db)
        let trace = s.dir.appendingPathComponent("strace.txt").path
        let (st, out, err) = try TestSupport.run("/usr/bin/strace", ["-f", "-e", "trace=openat,fsync,fdatasync", "-o", trace, binary,
                                                                   "audit", "crash-writer", "--count", "8", "--batch", "2"] + (pipelined ? ["--pipelined"] : []) + s.args,
                                                 environment: env)
        #expect(st == 0, "\(err)")
        #expect(out.split(separator: "\n").count == 16)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        // File descriptors the -wal file was opened as (by SQLite and by the pipeline's syncer).
        var walFDs = Set<String>()
        var syncs = 0
        for line in lines {
            if line.contains("openat("), line.contains(s.db + "-wal\""), let fd = line.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) {
                walFDs.insert(fd)
            }
            for call in ["fsync(", "fdatasync("] {
                if let r = line.range(of: call), let close = line[r.upperBound...].firstIndex(of: ")"),
                   walFDs.contains(String(line[r.upperBound..<close])) { syncs += 1 }
            }
        }
        #expect(!walFDs.isEmpty)
        #expect(syncs >= 8, "only \(syncs) fsyncs of the WAL for 8 batches")
    }

    /// The repository's own policy bundle (package root from this file's path).
    static let policyFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policies/kim-rhein-sieg").path

    @Test("report shows the policy's partner, purpose and field names (German and English, HTML and JSON)")
    func reportLabels() throws {
        let s = try setup()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: s.db))
        try store.append([TestSupport.disclosure(1, partner: "jobcenter", subject: "RSK-7")], signer: s.signer)
        let base = ["report", "--subject", "RSK-7", "--policy", Self.policyFolder] + s.args
        let (st, de, err) = try cli(base + ["--lang", "de"])
        #expect(st == 0, "\(err)")
        #expect(de.contains("<td>Jobcenter (jobcenter)</td>"))
        #expect(de.contains("Schulplatzplanung (school-planning)") && de.contains("Familienname (name.family)"))
        let (_, en, _) = try cli(base + ["--lang", "en"])
        #expect(en.contains("<td>Jobcentre (jobcenter)</td>") && en.contains("School place planning (school-planning)"))
        #expect(en.contains("Date of birth (birth.date)"))
        let (stJ, jsonText, errJ) = try cli(base + ["--format", "json"])
        #expect(stJ == 0, "\(errJ)")
        let json = try JSONParser.parse(Array(jsonText.utf8.dropLast()), context: "report")
        let recipient = json["recipients"]?.arrayValue?.first
        #expect(recipient?["partner"] == .string("jobcenter"))
        #expect(recipient?["partner-name"] == .object(["de": .string("Jobcenter"), "en": .string("Jobcentre")]))
        #expect(recipient?["field-names"]?["name.family"] == .object(["de": .string("Familienname"), "en": .string("Family name")]))
        // A policy folder that does not load is an input error, not a silent report with ids.
        let (stBad, _, errBad) = try cli(["report", "--subject", "RSK-7", "--policy", s.dir.appendingPathComponent("missing").path] + s.args)
        #expect(stBad != 0 && !errBad.isEmpty)
    }

    @Test("Crash test: a writer killed with SIGKILL mid-append loses nothing it reported; verify passes",
          arguments: [false, true])
    func crash(pipelined: Bool) throws {
        let s = try setup()
        // Create the database first so the child does not race the migration.
        _ = try TestSupport.openDatabase(at: s.db)
        let p = try Spawn.start(binary, ["audit", "crash-writer", "--batch", "3"] + (pipelined ? ["--pipelined"] : []) + s.args,
                                environment: .inherited(overriding: env), stderr: .null)
        // Let it commit for a while, then kill it without warning.
        _ = p.waitForStandardOutput(timeout: 20) { $0.split(separator: "\n").count >= 150 }
        p.kill(SIGKILL)
        let ended = try p.waitForExit()
        #expect(ended.termination.signal != nil, "\(ended.termination)")
        let text = ended.stdoutText
        // Only complete lines count as reported (a line cut by the kill was never fully printed).
        let lines = text.hasSuffix("\n") ? text.split(separator: "\n") : text.split(separator: "\n").dropLast()
        let indices = lines.compactMap { Int64($0) }
        #expect(indices.count >= 150)
        #expect(indices == Array(0..<Int64(indices.count)))
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: s.db))
        let report = try store.verify(key: s.signer.verifier)
        #expect(report.size >= Int64(indices.count))
        #expect(report.size % 3 == 0)
        for i in indices.suffix(5) { #expect(try store.entry(index: i).entry.actor == "crash-writer") }
    }
}

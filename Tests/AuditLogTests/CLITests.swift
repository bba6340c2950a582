import Foundation
import Signing
import Testing
@testable import AuditLog

/// The built `consentgate` executable against real database files: verify (exit 4 on tampering),
/// prove, consistency, key, log/report/stats (which record `audit-read`), and the SIGKILL crash test.
@Suite("consentgate audit (built executable)", .serialized)
struct CLITests {
    static let passphrase = "test passphrase for the audit key"

    struct Setup {
        let dir: URL
        let db: String
        let keyFile: String
        let signer: NoteSigner
        var args: [String] { ["--db", db, "--key", keyFile, "--origin", TestSupport.origin, "--actor", "dpo-1"] }
    }

    func setup() throws -> Setup {
        let dir = try TestSupport.tempDir()
        let key = try PrivateKey.generate()
        let keyFile = dir.appendingPathComponent("audit-key.pem").path
        try Data(try key.encryptedPEM(passphrase: Self.passphrase, iterations: 1000).utf8).write(to: URL(fileURLWithPath: keyFile))
        return Setup(dir: dir, db: dir.appendingPathComponent("app.sqlite").path, keyFile: keyFile,
                     signer: try NoteSigner(name: TestSupport.origin, key: key))
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
        #expect(csv == "\u{FEFF}partner;month;disclosures;referrals\r\njobcenter;2026-11;1;0\r\nschulamt;2026-10;1;0\r\nschulamt;2026-11;1;0\r\n")
        #expect(try store.size() == 6)
        #expect(try store.verify(key: s.signer.verifier).size == 6)
    }

    @Test("Crash test: a writer killed with SIGKILL mid-append loses nothing it reported; verify passes")
    func crash() throws {
        let s = try setup()
        // Create the database first so the child does not race the migration.
        _ = try TestSupport.openDatabase(at: s.db)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["audit", "crash-writer", "--batch", "3"] + s.args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Let it commit for a while, then kill it without warning.
        var reported = Data()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            reported.append(chunk)
            if String(decoding: reported, as: UTF8.self).split(separator: "\n").count >= 150 { break }
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        reported.append(out.fileHandleForReading.readDataToEndOfFile())
        #expect(p.terminationReason == .uncaughtSignal)
        let text = String(decoding: reported, as: UTF8.self)
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

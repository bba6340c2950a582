import Foundation
import Signing
import TestFolders
import Testing
@testable import AuditLog

@Suite("C2SP checkpoints and signed notes")
struct CheckpointTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    @Test("Key id is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ pub)[0..<4]; the verifier key string round-trips")
    func keyID() throws {
        let signer = try TestSupport.signer()
        let pub = signer.key.publicKey.rawBytes
        let expected = Array(SHA256.hash(Array(TestSupport.origin.utf8) + [0x0A, 0x01] + pub).prefix(4))
        #expect(signer.verifier.keyID == expected)
        let text = signer.verifier.verifierKey
        #expect(text.hasPrefix(TestSupport.origin + "+" + Hex.encode(expected) + "+"))
        #expect(try NoteVerifierKey(verifierKey: text) == signer.verifier)
        // A key id that does not match the key is refused.
        let parts = text.split(separator: "+", maxSplits: 2)
        #expect(throws: AuditLogError.self) { try NoteVerifierKey(verifierKey: "\(parts[0])+00000000+\(parts[2])") }
    }

    @Test("A verifier key whose base64 contains '+' parses (the name cannot contain '+')")
    func plusInBase64() throws {
        var found = false
        for _ in 0..<64 {
            let v = try TestSupport.signer().verifier
            guard v.verifierKey.split(separator: "+").count > 3 else { continue }
            found = true
            #expect(try NoteVerifierKey(verifierKey: v.verifierKey) == v)
            break
        }
        #expect(found)
    }

    @Test("Checkpoint body format, signing, parsing and verification; a different key or a changed body fails")
    func signAndVerify() throws {
        let signer = try TestSupport.signer()
        let cp = Checkpoint(origin: TestSupport.origin, size: 42, rootHash: Array(repeating: 7, count: 32))
        #expect(cp.body == "\(TestSupport.origin)\n42\n\(Data(Array(repeating: UInt8(7), count: 32)).base64EncodedString())\n")
        let note = try cp.signedNote(signer: signer)
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[3] == "")
        #expect(lines[4].hasPrefix("\u{2014} \(TestSupport.origin) "))
        #expect(try Checkpoint.verified(note: note, key: signer.verifier, source: "t") == cp)
        let other = try TestSupport.signer()
        #expect(throws: AuditLogError.self) { try Checkpoint.verified(note: note, key: other.verifier, source: "t") }
        let altered = note.replacingOccurrences(of: "\n42\n", with: "\n43\n")
        #expect(throws: AuditLogError.self) { try Checkpoint.verified(note: altered, key: signer.verifier, source: "t") }
        #expect(throws: AuditLogError.self) { try Checkpoint(body: "origin\n042\nAAAA\n", source: "t") }
    }

    /// A checkpoint of another log, validly signed by this log's key (a key shared with another log, or a signer made to
    /// sign a foreign body), is refused for its origin: its signature under this log's name proves nothing about this
    /// log (found by mutation testing, session 35: the origin check could be dropped with every test passing).
    @Test("A checkpoint naming another log's origin is refused even when this log's key signed it")
    func anotherLogsCheckpointIsRefusedForItsOrigin() throws {
        let signer = try TestSupport.signer()
        let foreign = Checkpoint(origin: "elsewhere.example/log", size: 42, rootHash: Array(repeating: 7, count: 32))
        let note = try foreign.signedNote(signer: signer)
        #expect(note.contains("\u{2014} \(TestSupport.origin) "), "signed under this log's name: \(note)")
        #expect { try Checkpoint.verified(note: note, key: signer.verifier, source: "t") } throws: { e in
            guard case let AuditLogError.badCheckpoint(size, .wrongOrigin(found, expected)) = e else { return false }
            return size == 42 && found == "elsewhere.example/log" && expected == TestSupport.origin
        }
    }

    func writeNote() throws -> (URL, NoteSigner, String) {
        let dir = try tmp.folder()
        let signer = try TestSupport.signer()
        let pool = try TestSupport.openDatabase(at: dir.appendingPathComponent("log.sqlite").path)
        let store = AuditLogStore(writer: pool)
        try store.append([TestSupport.disclosure(0), TestSupport.disclosure(1), TestSupport.disclosure(2)], signer: signer)
        let note = try #require(try store.latestCheckpoint())
        return (dir, signer, note)
    }

    @Test("The stored checkpoint's signature verifies with stock `openssl pkeyutl -verify -rawin`")
    func opensslVerifies() throws {
        let (dir, signer, note) = try writeNote()
        let parsed = try SignedNote(parsing: note, source: "t")
        let body = dir.appendingPathComponent("body"), sig = dir.appendingPathComponent("sig"), pub = dir.appendingPathComponent("pub.pem")
        try Data(parsed.text.utf8).write(to: body)
        try Data(parsed.signatures[0].signature).write(to: sig)
        try Data(signer.key.publicKey.pem.utf8).write(to: pub)
        let (status, out, err) = try TestSupport.run("/usr/bin/openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pub.path, "-rawin",
                                                                           "-in", body.path, "-sigfile", sig.path])
        #expect(status == 0, "\(err)")
        #expect(out.contains("Signature Verified Successfully"))
        // And the same command rejects a body that was changed.
        try Data(parsed.text.replacingOccurrences(of: "\n3\n", with: "\n4\n").utf8).write(to: body)
        let (status2, _, _) = try TestSupport.run("/usr/bin/openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pub.path, "-rawin",
                                                                        "-in", body.path, "-sigfile", sig.path])
        #expect(status2 != 0)
    }

    @Test("The stored checkpoint verifies with Python `cryptography` from the verifier key string alone")
    func pythonVerifies() throws {
        let (dir, signer, note) = try writeNote()
        let noteFile = dir.appendingPathComponent("checkpoint.note"), keyFile = dir.appendingPathComponent("vkey")
        try Data(note.utf8).write(to: noteFile)
        try Data(signer.verifier.verifierKey.utf8).write(to: keyFile)
        let script = TestSupport.fixtures.appendingPathComponent("note_check.py").path
        let (status, out, err) = try TestSupport.run("/usr/bin/env", ["python3", script, noteFile.path, keyFile.path])
        #expect(status == 0, "\(out) \(err)")
        #expect(out == "OK \(TestSupport.origin) 3\n")
        // A note signed by another key under the same name is refused by the Python check too.
        let other = try TestSupport.signer()
        try Data(other.verifier.verifierKey.utf8).write(to: keyFile)
        let (status2, _, _) = try TestSupport.run("/usr/bin/env", ["python3", script, noteFile.path, keyFile.path])
        #expect(status2 != 0)
        // After a rotation `audit key` lists every key of the log, newest first: the check takes the one that signed.
        try Data((other.verifier.verifierKey + "\n" + signer.verifier.verifierKey + "\n").utf8).write(to: keyFile)
        let (status3, out3, err3) = try TestSupport.run("/usr/bin/env", ["python3", script, noteFile.path, keyFile.path])
        #expect(status3 == 0 && out3 == "OK \(TestSupport.origin) 3\n", "\(out3) \(err3)")
    }
}

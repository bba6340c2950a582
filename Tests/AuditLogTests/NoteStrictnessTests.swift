import Diagnostics
import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// What C2SP `tlog-checkpoint` and `signed-note` require beyond the happy path: extension lines are
/// non-empty, and a signature by a known key that does not verify refuses the note (as Go's
/// `golang.org/x/mod/sumdb/note.Open`), even when another signature verifies.
@Suite("C2SP checkpoint and signed-note strictness")
struct NoteStrictnessTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    /// The reason `Checkpoint(body:source:)` gives for an empty extension line.
    static func emptyExtension(line: Int) -> LocalizedText {
        LocalizedText(de: "Zeile \(line) ist eine leere Erweiterungszeile (C2SP tlog-checkpoint: Erweiterungszeilen dürfen nicht leer sein)",
                      en: "line \(line) is an empty extension line (C2SP tlog-checkpoint: extension lines must be non-empty)")
    }

    static let root = Data(Array(repeating: UInt8(7), count: 32)).base64EncodedString()

    @Test("A checkpoint with an empty extension line is refused, naming the line", arguments: [
        (["", "x"], 4), (["x", ""], 5), ([""], 4), (["a", "", "b"], 5),
    ])
    func emptyExtensionLine(extensions: [String], line: Int) throws {
        let body = "\(TestSupport.origin)\n42\n\(Self.root)\n" + extensions.map { $0 + "\n" }.joined()
        #expect(throws: AuditLogError.malformedNote(source: "t", reason: Self.emptyExtension(line: line))) {
            try Checkpoint(body: body, source: "t")
        }
        // Signed by the right key, the note is refused too (it never gets to the signature check).
        let signer = try TestSupport.signer()
        let note = try SignedNote.sign(text: body, signer: signer)
        #expect(throws: AuditLogError.self) { try Checkpoint.verified(note: note, key: signer.verifier, source: "t") }
    }

    @Test("Non-empty extension lines are kept", arguments: [[], ["x"], ["— timestamp 1700000000", "y"]])
    func nonEmptyExtensions(extensions: [String]) throws {
        let signer = try TestSupport.signer()
        let cp = Checkpoint(origin: TestSupport.origin, size: 42, rootHash: Array(repeating: 7, count: 32), extensions: extensions)
        #expect(try Checkpoint.verified(note: try cp.signedNote(signer: signer), key: signer.verifier, source: "t") == cp)
    }

    /// `note` with one more signature line by `signer`'s key (name and key id) over other text: it does not verify.
    static func withBadSignature(_ note: String, by signer: NoteSigner, first: Bool) throws -> String {
        let bad = try signer.signatureLine(for: "something else\n")
        let split = try #require(note.range(of: "\n\n", options: .backwards))
        let text = note[..<split.upperBound], sigs = note[split.upperBound...]
        return first ? String(text) + bad + String(sigs) : note + bad
    }

    @Test("A bad signature by a known key refuses the note although another signature verifies",
          arguments: [true, false])
    func badSignatureBesideGoodOne(badFirst: Bool) throws {
        let signer = try TestSupport.signer()
        let cp = Checkpoint(origin: TestSupport.origin, size: 42, rootHash: Array(repeating: 7, count: 32))
        let note = try Self.withBadSignature(try cp.signedNote(signer: signer), by: signer, first: badFirst)
        let key = "\(TestSupport.origin)+\(Hex.encode(signer.verifier.keyID))"
        #expect(throws: AuditLogError.badCheckpoint(size: 42, problem: .invalidSignature(key: key))) {
            try Checkpoint.verified(note: note, key: signer.verifier, source: "t")
        }
        let message = AuditLogError.badCheckpoint(size: 42, problem: .invalidSignature(key: key))
        #expect(message.message(in: .en).contains("signature by key \(key) does not verify"))
        #expect(message.message(in: .de).contains("Signatur des Schlüssels \(key) ist ungültig"))
        // Of two rotated keys, a bad line by the other known key refuses it as well.
        let other = try NoteSigner(name: TestSupport.origin, key: PrivateKey.generate(.ed25519))
        let byOther = try Self.withBadSignature(try cp.signedNote(signer: signer), by: other, first: badFirst)
        #expect(throws: AuditLogError.badCheckpoint(size: 42, problem: .invalidSignature(key: "\(TestSupport.origin)+\(Hex.encode(other.verifier.keyID))"))) {
            try Checkpoint.verified(note: byOther, keys: [signer.verifier, other.verifier], source: "t")
        }
    }

    @Test("A signature by an unknown key (a witness cosignature) beside the log's own is ignored")
    func unknownKeyIgnored() throws {
        let signer = try TestSupport.signer()
        let witness = try NoteSigner(name: "witness.example/w1", key: PrivateKey.generate(.ed25519))
        let cp = Checkpoint(origin: TestSupport.origin, size: 42, rootHash: Array(repeating: 7, count: 32))
        let note = try cp.signedNote(signer: signer) + (try witness.signatureLine(for: "not the text\n"))
        #expect(try Checkpoint.verified(note: note, key: signer.verifier, source: "t") == cp)
    }

    @Test("audit verify reports a stored checkpoint with a bad second signature by the log's key as tampering")
    func storeVerifyRefuses() throws {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        for n in 0..<4 { try store.append(TestSupport.disclosure(n), signer: signer) }
        _ = try store.verify(key: signer.verifier)
        let raw = try DatabaseQueue(path: path)
        let note3 = try #require(try raw.read { db in try String.fetchOne(db, sql: "SELECT note FROM audit_checkpoint WHERE tree_size = 3") })
        try TestSupport.sqlite(path, "DROP TRIGGER audit_checkpoint_no_update")
        try raw.write { db in
            try db.execute(sql: "UPDATE audit_checkpoint SET note = ? WHERE tree_size = 3", arguments: [try Self.withBadSignature(note3, by: signer, first: false)])
        }
        let key = "\(TestSupport.origin)+\(Hex.encode(signer.verifier.keyID))"
        #expect(throws: AuditLogError.badCheckpoint(size: 3, problem: .invalidSignature(key: key))) { try store.verify(key: signer.verifier) }
        #expect(AuditLogError.badCheckpoint(size: 3, problem: .invalidSignature(key: key)).category == .integrity)
    }
}


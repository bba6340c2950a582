import Diagnostics
import Foundation
import Signing

/// A C2SP `tlog-checkpoint`: origin line, decimal tree size, base64 root hash, each ending in a newline
/// (non-empty extension lines after them are kept but not interpreted; an empty one is refused).
public struct Checkpoint: Sendable, Equatable {
    /// The log's unique origin (also the signing key's name).
    public var origin: String
    /// Number of entries committed to.
    public var size: Int64
    /// The RFC 9162 root hash of the first `size` entries.
    public var rootHash: [UInt8]
    /// Extension lines (without newlines), if any.
    public var extensions: [String]

    /// Creates a checkpoint for the first `size` entries with root hash `rootHash`; no extension lines by default.
    public init(origin: String, size: Int64, rootHash: [UInt8], extensions: [String] = []) {
        self.origin = origin; self.size = size; self.rootHash = rootHash; self.extensions = extensions
    }

    /// The checkpoint body (the note text that is signed).
    public var body: String {
        "\(origin)\n\(size)\n\(Data(rootHash).base64EncodedString())\n" + extensions.map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint body. `source` names it in errors.
    public init(body: String, source: String) throws {
        guard body.hasSuffix("\n") else { throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "ein Checkpoint muss mit einem Zeilenumbruch enden", en: "checkpoint must end with a newline")) }
        let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "ein Checkpoint braucht Ursprungs-, Größen- und Wurzelzeile", en: "a checkpoint needs origin, size and root lines")) }
        guard !lines[0].isEmpty else { throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "leere Ursprungszeile", en: "empty origin line")) }
        guard let size = Int64(lines[1]), size >= 0, lines[1] == String(size) else {
            throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "Zeile 2 \"\(lines[1])\" ist keine dezimale Baumgröße", en: "line 2 \"\(lines[1])\" is not a tree size in decimal"))
        }
        guard let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "Zeile 3 ist kein Base64-SHA-256-Wurzelhash", en: "line 3 is not a base64 SHA-256 root hash"))
        }
        // C2SP tlog-checkpoint: extension lines are optional but each MUST be non-empty (a blank line would
        // also end the note text early for any reader that splits at the first blank line).
        if let blank = lines[3...].firstIndex(where: \.isEmpty) {
            throw AuditLogError.malformedNote(source: source, reason: LocalizedText(
                de: "Zeile \(blank + 1) ist eine leere Erweiterungszeile (C2SP tlog-checkpoint: Erweiterungszeilen dürfen nicht leer sein)",
                en: "line \(blank + 1) is an empty extension line (C2SP tlog-checkpoint: extension lines must be non-empty)"))
        }
        self.init(origin: lines[0], size: size, rootHash: Array(root), extensions: Array(lines[3...]))
    }

    /// Signs the checkpoint as a C2SP signed note.
    public func signedNote(signer: NoteSigner) throws -> String {
        try SignedNote.sign(text: body, signer: signer)
    }

    /// Parses a signed checkpoint note and verifies it with `key` (whose name must be the origin).
    public static func verified(note: String, key: NoteVerifierKey, source: String) throws -> Checkpoint {
        try verified(note: note, keys: [key], source: source)
    }

    /// Parses a signed checkpoint note and verifies that one of `keys` signed it. All keys carry the log's
    /// origin as their name; several stand for one log whose signing key was rotated (each old key still
    /// verifies the checkpoints it signed). As Go's `golang.org/x/mod/sumdb/note.Open`, a signature line
    /// naming one of `keys` (name and key id) that does not verify refuses the note, even if another
    /// signature verifies; signature lines by unknown keys (e.g. witness cosignatures) are ignored.
    /// `revoked`: keys of the log that may no longer vouch for anything; a checkpoint signed only by one of them is
    /// `signedByRevokedKey`, so the message says revoked rather than "replaced or altered".
    public static func verified(note: String, keys: [NoteVerifierKey], source: String,
                                revoked: [RevokedNoteKey] = []) throws -> Checkpoint {
        let parsed = try SignedNote(parsing: note, source: source)
        let cp = try Checkpoint(body: parsed.text, source: source)
        guard let origin = keys.first?.name else {
            throw AuditLogError.badCheckpoint(size: cp.size, problem: .noValidSignature(key: "—"))
        }
        guard keys.contains(where: { $0.name == cp.origin }) else {
            throw AuditLogError.badCheckpoint(size: cp.size, problem: .wrongOrigin(found: cp.origin, expected: origin))
        }
        if let bad = parsed.firstKnownKeyWithInvalidSignature(among: keys) {
            throw AuditLogError.badCheckpoint(size: cp.size, problem: .invalidSignature(key: "\(bad.name)+\(Hex.encode(bad.keyID))"))
        }
        guard keys.contains(where: { parsed.isSigned(by: $0) }) else {
            if let r = revoked.first(where: { parsed.isSigned(by: $0.key) }) {
                throw AuditLogError.badCheckpoint(size: cp.size, problem: .signedByRevokedKey(
                    key: "\(r.key.name)+\(Hex.encode(r.key.keyID))", revokedAt: RFC3339.format(r.revokedAt)))
            }
            let names = keys.map { "\($0.name)+\(Hex.encode($0.keyID))" }.joined(separator: ", ")
            // Signed under the log's name by a key not given: most likely the wrong key was given (`--public-key`), which
            // is no sign of tampering by itself (a black-box review: "replaced or altered" sent a DPO to report an
            // incident). Said as such; the checkpoint is still refused.
            let others = parsed.signatures.filter { $0.name == cp.origin }.map { "\($0.name)+\(Hex.encode($0.keyID))" }
            if !others.isEmpty {
                throw AuditLogError.badCheckpoint(size: cp.size, problem: .signedByOtherKey(given: names, found: others.joined(separator: ", ")))
            }
            throw AuditLogError.badCheckpoint(size: cp.size, problem: .noValidSignature(key: names))
        }
        return cp
    }
}

/// A key of the log that the trust store revoked at `revokedAt`: its checkpoints are not counted (`Checkpoint.verified`).
public struct RevokedNoteKey: Sendable, Equatable {
    /// The revoked key, named with the log's origin.
    public let key: NoteVerifierKey
    /// When the trust store revoked it.
    public let revokedAt: Date

    /// The revoked `key`, as of `revokedAt`.
    public init(key: NoteVerifierKey, revokedAt: Date) { self.key = key; self.revokedAt = revokedAt }

    /// The Ed25519 `audit-log` keys `store` revoked, named `origin`.
    public static func all(in store: TrustStore, origin: String) throws -> [RevokedNoteKey] {
        try store.entries.filter { $0.roles.contains(.auditLog) && $0.algorithm == .ed25519 }.compactMap { entry in
            guard let revokedAt = entry.revokedAt else { return nil }
            return RevokedNoteKey(key: try NoteVerifierKey(name: origin, publicKey: entry.publicKey), revokedAt: revokedAt)
        }
    }
}

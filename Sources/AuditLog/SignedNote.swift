import Diagnostics
import Foundation

/// A C2SP signed note: a UTF-8 text ending in a newline, a blank line, and signature lines
/// `— <name> <base64(keyid ‖ signature)>`. The signature covers exactly the text (with its final newline).
public struct SignedNote: Sendable, Equatable {
    /// One signature line.
    public struct Signature: Sendable, Equatable {
        /// The signer's key name; for a checkpoint, the log's origin.
        public var name: String
        /// The 4-byte key id that picks the verifier key among those of the same name.
        public var keyID: [UInt8]
        /// The raw signature over the note text (64 bytes for Ed25519).
        public var signature: [UInt8]
    }

    /// The signed text, ending with a newline.
    public var text: String
    /// The signatures, in order.
    public var signatures: [Signature]

    /// Signs `text` (must end in a newline) with `signer`.
    public static func sign(text: String, signer: NoteSigner) throws -> String {
        precondition(text.hasSuffix("\n"), "note text must end with a newline")
        return text + "\n" + (try signer.signatureLine(for: text))
    }

    /// Parses a signed note; `source` names it in errors.
    public init(parsing note: String, source: String) throws {
        guard note.utf8.count <= 1 << 20 else { throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "größer als 1 MiB", en: "larger than 1 MiB")) }
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "keine Leerzeile vor den Signaturen", en: "no blank line before the signatures"))
        }
        text = String(note[..<note.index(after: split.lowerBound)])
        let sigBlock = note[split.upperBound...]
        guard sigBlock.hasSuffix("\n") else { throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "der Signaturblock muss mit einem Zeilenumbruch enden", en: "signature block must end with a newline")) }
        signatures = []
        for (n, line) in sigBlock.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "\u{2014}", !parts[1].isEmpty,
                  let blob = Data(base64Encoded: String(parts[2])), blob.count > 4 else {
                throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "Signaturzeile \(n + 1) hat nicht die Form \"— <Name> <Base64>\"", en: "signature line \(n + 1) is not \"— <name> <base64>\""))
            }
            signatures.append(Signature(name: String(parts[1]), keyID: Array(blob.prefix(4)), signature: Array(blob.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "keine Signaturzeilen", en: "no signature lines")) }
    }

    /// Whether a signature by `key` (matching name and key id) is present and verifies.
    public func isSigned(by key: NoteVerifierKey) -> Bool {
        guard let pub = try? key.publicKey() else { return false }
        let message = Array(text.utf8)
        return signatures.contains { s in
            s.name == key.name && s.keyID == key.keyID && pub.isValidSignature(s.signature, for: message)
        }
    }

    /// The first of `keys` (in signature-line order) that a signature line names by name and key id
    /// but whose signature does not verify over the text: such a note must be refused even if another
    /// signature verifies (as `golang.org/x/mod/sumdb/note.Open` does).
    public func firstKnownKeyWithInvalidSignature(among keys: [NoteVerifierKey]) -> NoteVerifierKey? {
        let message = Array(text.utf8)
        for s in signatures {
            guard let key = keys.first(where: { $0.name == s.name && $0.keyID == s.keyID }) else { continue }
            guard let pub = try? key.publicKey(), pub.isValidSignature(s.signature, for: message) else { return key }
        }
        return nil
    }
}

import Diagnostics
import Foundation
import Signing

/// A C2SP signed-note Ed25519 key identity: its name (= the log's origin), the raw public key, and
/// the 4-byte key id `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ pub)[0..<4]`.
public struct NoteVerifierKey: Sendable, Equatable {
    /// The signature type byte for Ed25519 in C2SP signed notes.
    public static let ed25519Type: UInt8 = 0x01

    /// The key name; for a checkpoint signer, the log's origin.
    public let name: String
    /// The raw 32-byte Ed25519 public key.
    public let publicKeyRaw: [UInt8]
    /// The 4-byte key id.
    public let keyID: [UInt8]

    /// Builds the identity of an Ed25519 public key under `name`.
    public init(name: String, publicKey: PublicKey) throws {
        guard publicKey.algorithm == .ed25519 else {
            throw AuditLogError.badCheckpoint(size: nil, problem: .notEd25519(algorithm: publicKey.algorithm.rawValue))
        }
        try self.init(name: name, raw: publicKey.rawBytes)
    }

    init(name: String, raw: [UInt8]) throws {
        try Self.checkName(name)
        guard raw.count == 32 else { throw AuditLogError.malformedNote(source: "verifier key", reason: LocalizedText(de: "ein Ed25519-Schlüssel muss 32 Bytes lang sein", en: "Ed25519 key must be 32 bytes")) }
        self.name = name
        self.publicKeyRaw = raw
        self.keyID = Array(SHA256.hash(Array(name.utf8) + [0x0A, Self.ed25519Type] + raw).prefix(4))
    }

    /// Parses a verifier key string `name+hex(keyid)+base64(0x01 ‖ pub)` and checks its key id.
    public init(verifierKey text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let decoded = Data(base64Encoded: String(parts[2])), decoded.first == Self.ed25519Type,
              decoded.count == 33 else {
            throw AuditLogError.malformedNote(source: "verifier key", reason: LocalizedText(de: "erwartet: Name+Hex8+Base64(0x01‖32-Byte-Schlüssel)", en: "expected name+hex8+base64(0x01‖32-byte key)"))
        }
        try self.init(name: String(parts[0]), raw: Array(decoded.dropFirst()))
        guard Hex.encode(keyID) == parts[1].lowercased() else {
            throw AuditLogError.malformedNote(source: "verifier key", reason: LocalizedText(de: "Schlüssel-ID \(parts[1]) passt nicht zu Name und Schlüssel", en: "key id \(parts[1]) does not match name and key"))
        }
    }

    /// The verifier key string other note tools accept.
    public var verifierKey: String {
        "\(name)+\(Hex.encode(keyID))+\(Data([Self.ed25519Type] + publicKeyRaw).base64EncodedString())"
    }

    /// The public key for signature checks.
    public func publicKey() throws -> PublicKey { try PublicKey(ed25519Raw: publicKeyRaw) }

    /// A key name is non-empty and contains no Unicode spaces and no `+`.
    static func checkName(_ name: String) throws {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0 == "+" || $0.properties.isWhitespace }) else {
            throw AuditLogError.malformedNote(source: "key name", reason: LocalizedText(de: "\"\(name)\" darf nicht leer sein und weder Leerzeichen noch + enthalten", en: "\"\(name)\" must be non-empty, without spaces or +"))
        }
    }
}

/// Signs notes with an Ed25519 private key under a name (for checkpoints, the log's origin).
/// The caller checks that the key has the `audit-log` role in the trust store before handing it here.
public struct NoteSigner: Sendable {
    /// The private key.
    public let key: PrivateKey
    /// The key's public identity.
    public let verifier: NoteVerifierKey
    /// The other keys of the log whose checkpoints this signer may continue, asked when the newest checkpoint is not
    /// one this process signed or accepted already: the trust store's `audit-log` keys as the file reads now (a rotated
    /// or revoked key's last checkpoint is the head the next key's first append extends; a key another process began
    /// to sign with since this one started, too). An append signs a new tree head only over a newest checkpoint signed
    /// by `verifier` or one of these (`AppendBase`).
    private let predecessors: @Sendable () -> [PublicKey]

    /// A signer under `name` (for checkpoints, the log's origin); throws unless `key` is Ed25519 and `name` a valid key name.
    public init(name: String, key: PrivateKey) throws {
        self.key = key
        self.verifier = try NoteVerifierKey(name: name, publicKey: key.publicKey)
        self.predecessors = { [] }
    }

    private init(key: PrivateKey, verifier: NoteVerifierKey, predecessors: @escaping @Sendable () -> [PublicKey]) {
        self.key = key
        self.verifier = verifier
        self.predecessors = predecessors
    }

    /// This signer, also continuing checkpoints signed by `keys`.
    public func continuing(_ keys: [PublicKey]) -> NoteSigner {
        NoteSigner(key: key, verifier: verifier, predecessors: { keys })
    }

    /// This signer, also continuing checkpoints signed by the keys `source` gives when asked (the trust store file as it
    /// reads then).
    public func continuing(from source: @escaping @Sendable () -> [PublicKey]) -> NoteSigner {
        NoteSigner(key: key, verifier: verifier, predecessors: source)
    }

    /// The keys whose checkpoint an append by this signer may extend: its own first, each named with the log's origin.
    public var headKeys: [NoteVerifierKey] {
        [verifier] + predecessors().compactMap { try? NoteVerifierKey(name: verifier.name, publicKey: $0) }.filter { $0 != verifier }
    }

    /// The signature line `— <name> <base64(keyid ‖ signature)>` for `text` (the note body, ending in a newline).
    public func signatureLine(for text: String) throws -> String {
        let sig = try key.signature(for: Array(text.utf8))
        return "\u{2014} \(verifier.name) \(Data(verifier.keyID + sig).base64EncodedString())\n"
    }
}

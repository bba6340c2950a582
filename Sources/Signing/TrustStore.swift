import Foundation

/// The set of keys this installation trusts, from `keys/trust.yaml` (CONTRACTS §2).
///
/// "Is this signature by a key that had role R at time T" is one call: `verify(_:role:signedAt:)` for a JWS,
/// `verifyDetached(signature:message:kid:role:signedAt:)` for a raw signature.
public struct TrustStore: Sendable {
    /// The keys by kid.
    public private(set) var keys: [String: TrustedKey]
    /// The kids in file order (listings and saving keep it).
    public private(set) var order: [String]
    /// Whether demo keys are accepted.
    public var demoMode: Bool
    /// The folder key file paths are relative to (the trust file's folder).
    public var directory: String
    /// The trust file this store was loaded from (errors name it), nil for a store built in memory.
    public var file: String?
    /// The line of each key's `private-key:` member in `file`, by kid (empty for a store built in memory): an error
    /// about a private key file names the line that points at it (`SigningError.privateKeyFile`).
    public internal(set) var privateKeyLines: [String: Int] = [:]

    /// `file:line` of the `private-key:` member of `kid`, when the store was loaded from a file.
    public func privateKeyReference(kid: String) -> String? {
        guard let file, let line = privateKeyLines[kid] else { return nil }
        return "\(file):\(line)"
    }

    /// A store over `keys`, which must have distinct kids (a programming error otherwise).
    public init(keys: [TrustedKey], demoMode: Bool, directory: String = ".") {
        self.keys = [:]
        self.order = []
        self.demoMode = demoMode
        self.directory = directory
        for key in keys {
            precondition(self.keys[key.kid] == nil, "duplicate kid \(key.kid) in TrustStore(keys:)")
            self.keys[key.kid] = key
            order.append(key.kid)
        }
    }

    /// The keys in file order.
    public var entries: [TrustedKey] { order.compactMap { keys[$0] } }

    /// Adds a key; throws when its kid is already present.
    public mutating func add(_ key: TrustedKey) throws {
        guard keys[key.kid] == nil else {
            throw SigningError.invalidTrustStore(file: file ?? (directory as NSString).appendingPathComponent("trust.yaml"), line: nil, column: nil,
                                                 reason: text("key \(key.kid) is already in the trust store",
                                                              de: "Schlüssel \(key.kid) ist bereits im Trust-Store"))
        }
        keys[key.kid] = key
        order.append(key.kid)
    }

    /// A path from the trust file resolved against `directory` (absolute paths stay as they are).
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    }

    /// The public key for `kid` if that key had `role` and was valid (inside its window, not revoked,
    /// not a refused demo key) at `time`; otherwise throws `unknownKey` or `keyNotTrusted` saying why.
    public func key(kid: String, role: KeyRole, at time: Date) throws -> PublicKey {
        try entry(kid: kid, role: role, at: time).publicKey
    }

    /// The keys that may vouch for what was signed with `role` in the past, newest `not-before` first: every
    /// entry with the role that is not revoked (expired ones included: a rotated key still vouches for what
    /// it signed while in force), demo keys only in demo mode. `audit verify` checks checkpoints with these.
    public func historicalKeys(for role: KeyRole) -> [TrustedKey] {
        entries.filter { $0.roles.contains(role) && $0.revokedAt == nil && (!$0.demo || demoMode) }
            .sorted { ($0.notBefore, $1.kid) > ($1.notBefore, $0.kid) }
    }

    /// Like `key(kid:role:at:)` but returns the whole entry; `role` nil accepts any role.
    public func entry(kid: String, role: KeyRole?, at time: Date) throws -> TrustedKey {
        guard let key = keys[kid] else { throw SigningError.unknownKey(kid: kid) }
        if let reason = key.refusal(role: role, at: time, demoMode: demoMode) {
            throw SigningError.keyNotTrusted(kid: kid, reason: reason)
        }
        return key
    }

    /// Verifies `jws` against the key its header names, which must have had `role` at `signedAt`.
    public func verify(_ jws: JWS, role: KeyRole, signedAt: Date) throws {
        guard let kid = jws.header.kid else {
            throw SigningError.malformedJWS(text("the protected header has no \"kid\"", de: "der geschützte Header hat kein \"kid\""))
        }
        let key = try key(kid: kid, role: role, at: signedAt)
        try jws.verify(with: key)
    }

    /// Verifies a raw detached signature (Ed25519: 64 bytes; P-256: DER) over `message` by key `kid`, which
    /// must have had `role` at `signedAt` (`role` nil: any role). `what` names the signed thing in errors. Given
    /// `signatureFile`, the file the signature came from, a signature of the wrong form (empty, base64 text, a raw
    /// R‖S for P-256) is `malformedSignature` naming that file (invalid input), not a signature that does not verify.
    public func verifyDetached<S: ContiguousBytes, M: ContiguousBytes>(signature: S, message: M, kid: String,
                                                                       role: KeyRole?, signedAt: Date, what: String? = nil,
                                                                       signatureFile: String? = nil) throws {
        let entry = try entry(kid: kid, role: role, at: signedAt)
        if let signatureFile {
            let bytes = signature.withUnsafeBytes { Array($0) }
            if let reason = DetachedSignatureShape.problem(bytes, algorithm: entry.algorithm) {
                throw SigningError.malformedSignature(file: signatureFile, reason: reason)
            }
        }
        try entry.publicKey.verify(signature: signature, for: message, what: what)
    }
}

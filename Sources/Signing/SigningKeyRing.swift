import Diagnostics
import Foundation

/// A private key ready to sign, with the trust store entry that allows it.
public struct SigningKey: Sendable {
    /// The trust store entry (kid, roles, validity, demo flag).
    public let entry: TrustedKey
    /// The decrypted private key.
    public let privateKey: PrivateKey

    /// The key id (RFC 7638 thumbprint).
    public var kid: String { entry.kid }
    /// The key's algorithm.
    public var algorithm: SignatureAlgorithm { privateKey.algorithm }

    /// A raw detached signature over `message` (Ed25519: 64 bytes; P-256: DER), as CONTRACTS §7 uses.
    public func sign<M: ContiguousBytes>(_ message: M) throws -> [UInt8] { try privateKey.signature(for: message) }

    /// A flattened-JSON JWS over `payload` with this key's `kid` and the given `typ` (CONTRACTS §5).
    public func jws(payload: [UInt8], type: String?) throws -> JWS { try JWS.sign(payload: payload, type: type, key: privateKey) }
}

/// The application's way to get a key to sign with: "give me a usable private key for role R now".
///
/// It picks a key from the trust store that has the role, lies inside its validity window, is not revoked and
/// is not a demo key outside demo mode; opens its encrypted private key file with the passphrase source (demo
/// keys, in demo mode only, with the documented demo passphrase); and checks that the file holds the key the
/// trust store names. Opening a key runs 600,000 PBKDF2 iterations (about half a second): get a
/// `SigningKey` once and keep it for the life of the process or job.
public struct SigningKeyRing: Sendable {
    /// The trust store keys are chosen from (its `demoMode` decides whether demo keys may sign).
    public let trustStore: TrustStore
    /// Where the passphrase of non-demo keys comes from.
    public let passphrase: PassphraseSource

    /// A ring over `trustStore`, opening non-demo keys with `passphrase`.
    public init(trustStore: TrustStore, passphrase: PassphraseSource) {
        self.trustStore = trustStore
        self.passphrase = passphrase
    }

    /// Loads the trust store at `trustFile` and takes the passphrase from `passphraseFile` or the environment.
    public static func load(trustFile: String, demoMode: Bool, passphraseFile: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SigningKeyRing {
        SigningKeyRing(trustStore: try TrustStore.load(file: trustFile, demoMode: demoMode),
                       passphrase: PassphraseSource.resolve(passphraseFile: passphraseFile, environment: environment))
    }

    /// A usable private key for `role` at `time`. Among usable keys with a private key file here, the one
    /// with the latest `not-before` wins (a rotated key takes over from its predecessor); ties go to the
    /// smaller kid. Throws `noUsableKey` listing why each candidate was refused.
    public func signingKey(for role: KeyRole, at time: Date = Date()) throws -> SigningKey {
        try open(try usableEntry(for: role, at: time))
    }

    /// The trust store entry `signingKey(for:at:)` would open (same choice, same refusals), without decrypting
    /// anything: a long-lived caller keeps opened keys by kid and opens only a key it has not opened yet. `refused`
    /// adds the caller's own refusals (a running service: what the trust store file revoked since the start), so that
    /// the choice falls to the next usable key rather than to none.
    public func usableEntry(for role: KeyRole, at time: Date = Date(),
                            refused: (TrustedKey) -> LocalizedText? = { _ in nil }) throws -> TrustedKey {
        try chooseEntry(for: role) { $0.refusal(role: role, at: time, demoMode: trustStore.demoMode) ?? refused($0) }
    }

    /// The choice of `usableEntry(for:at:)` among the entries with `role` that `refusal` lets through.
    func chooseEntry(for role: KeyRole, refusal: (TrustedKey) -> LocalizedText?) throws -> TrustedKey {
        var refusals: [LocalizedText] = []
        var withoutPrivateFile: [String] = []
        var usable: [TrustedKey] = []
        for entry in trustStore.entries where entry.roles.contains(role) {
            if let reason = refusal(entry) {
                refusals.append(LocalizedText(de: "\(entry.kid) (\(entry.name)): \(reason.de)", en: "\(entry.kid) (\(entry.name)): \(reason.en)"))
            } else if entry.privateKeyFile == nil {
                refusals.append(text("\(entry.kid) (\(entry.name)): no private-key file in this installation",
                                     de: "\(entry.kid) (\(entry.name)): keine private-key-Datei in dieser Installation"))
                withoutPrivateFile.append("\(entry.kid) (\(entry.name))")
            } else {
                usable.append(entry)
            }
        }
        let chosen = usable.sorted { ($0.notBefore, $1.kid) > ($1.notBefore, $0.kid) }.first
        guard let chosen else {
            // Every candidate would sign but for its missing private file: an incomplete set-up (3), not a refusal (4).
            if !withoutPrivateFile.isEmpty && withoutPrivateFile.count == refusals.count {
                throw SigningError.noPrivateKeyFile(role: role, keys: withoutPrivateFile)
            }
            throw SigningError.noUsableKey(role: role, reasons: refusals)
        }
        return chosen
    }

    /// The private key of `kid`, which must be usable for `role` (nil: any of its roles) at `time`.
    public func signingKey(kid: String, role: KeyRole?, at time: Date = Date()) throws -> SigningKey {
        let entry = try trustStore.entry(kid: kid, role: role, at: time)
        guard entry.privateKeyFile != nil else {
            throw SigningError.keyNotTrusted(kid: kid, reason: text("no private-key file for this key in the trust store",
                                                                   de: "für diesen Schlüssel ist keine private-key-Datei im Trust-Store eingetragen"))
        }
        return try open(entry)
    }

    /// A private key named by its file (`--key FILE`) rather than chosen from the store: it is decrypted, and it
    /// must then be a key of this trust store that is usable for `role` at `time` (role, validity window,
    /// revocation, demo keys only in demo mode) and, unless a demo key, readable by its owner only. So naming
    /// a file cannot sign with a key the installation does not trust, e.g. a checkpoint no verifier accepts.
    ///
    /// A file the trust store itself names is checked before it is decrypted (role, validity, mode 0600) and opened as
    /// `open(_:)` opens it, a demo key with the demo passphrase: before, `audit verify --demo --key keys/demo/…` asked
    /// for the real passphrase, and a real key readable by others was decrypted before it was refused (a key review).
    public func signingKey(file path: String, for role: KeyRole, at time: Date = Date()) throws -> SigningKey {
        if let entry = trustStore.entries.first(where: { $0.privateKeyFile.map { Self.sameFile(trustStore.resolve($0), path) } ?? false }) {
            if let reason = entry.refusal(role: role, at: time, demoMode: trustStore.demoMode) {
                throw SigningError.keyNotTrusted(kid: entry.kid, reason: reason)
            }
            do { return try openFile(entry, path: path) } catch { throw KeyFileOwner.explaining(error, path: path) }
        }
        let key: PrivateKey
        do { key = try PrivateKey(file: path, passphrase: try passphrase.passphrase()) } catch {
            throw KeyFileOwner.explaining(error, path: path)
        }
        let kid = key.publicKey.kid
        guard let entry = trustStore.entries.first(where: { $0.kid == kid }) else {
            throw SigningError.keyNotTrusted(kid: kid, reason: text("the key in \(path) is not in the trust store",
                                                                   de: "der Schlüssel in \(path) steht nicht im Trust-Store"))
        }
        if let reason = entry.refusal(role: role, at: time, demoMode: trustStore.demoMode) {
            throw SigningError.keyNotTrusted(kid: kid, reason: reason)
        }
        if !entry.demo { try Self.checkPrivate(path) }
        return SigningKey(entry: entry, privateKey: key)
    }

    /// Decrypts the entry's private key file (600,000 PBKDF2 iterations) and checks it is the trusted key. A demo key
    /// is opened with the demo passphrase, any other with `passphrase`, and only from a file no one else may read
    /// (`invalidKey` otherwise); an entry without a private key file is `unknownKey`. Does not check the entry's
    /// role or validity: callers pass an entry they have chosen (`usableEntry(for:at:)`).
    ///
    /// A problem with the file (missing, unreadable, a public key, readable by others, another key, a wrong passphrase)
    /// is `privateKeyFile` naming the trust store line that points at it, when the store was loaded from a file; an
    /// unreadable file owned by another user says so and how to hand it over (`KeyFileOwner`). No passphrase at all
    /// (`passphraseUnavailable`, exit 2) or an unreadable passphrase file stays as it is: it is not the key file's problem.
    public func open(_ entry: TrustedKey) throws -> SigningKey {
        guard let file = entry.privateKeyFile else { throw SigningError.unknownKey(kid: entry.kid) }
        do {
            return try openFile(entry, path: trustStore.resolve(file))
        } catch let error as SigningError {
            switch error {
            case .passphraseUnavailable, .unreadablePassphraseFile: throw error
            default: break
            }
            let explained = KeyFileOwner.explaining(error, path: trustStore.resolve(file)) as? SigningError ?? error
            guard let reference = trustStore.privateKeyReference(kid: entry.kid) else { throw explained }
            throw SigningError.privateKeyFile(reference: reference, entry: "\(entry.kid) (\(entry.name))", error: explained)
        }
    }

    /// `open(_:)` without naming the trust store line.
    private func openFile(_ entry: TrustedKey, path: String) throws -> SigningKey {
        if !entry.demo { try Self.checkPrivate(path) }
        let pass = entry.demo ? PassphraseSource.demoPassphrase : try passphrase.passphrase()
        let key = try PrivateKey(file: path, passphrase: pass)
        guard key.publicKey.kid == entry.kid else {
            throw SigningError.invalidKey(source: path, reason: text(
                "holds key \(key.publicKey.kid), but the trust store names \(entry.kid) for it",
                de: "enthält Schlüssel \(key.publicKey.kid), der Trust-Store nennt dafür aber \(entry.kid)"))
        }
        return SigningKey(entry: entry, privateKey: key)
    }

    /// Whether `a` and `b` name the same file (same device and inode; false when either does not exist).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Refuses a real private key file that others may read (as ssh does): it must be mode 0600 or stricter.
    /// Demo keys are exempt: git does not keep file modes, so a checkout makes them 0644.
    /// The file that holds the key decides: a symlink (a secret mounted by the service manager or an orchestrator
    /// is one) always shows mode 0777 itself, so the mode is read with `stat`, which follows links, not `lstat`.
    static func checkPrivate(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }  // a missing or unreadable file is reported when it is read
        // A folder is no key file, whatever its mode (found in a review: a folder of mode 755 was told to chmod 600).
        if info.st_mode & S_IFMT == S_IFDIR {
            throw SigningError.invalidKey(source: path, reason: text("is a folder, not a file", de: "ist ein Ordner, keine Datei"))
        }
        let mode = Int(info.st_mode) & 0o7777
        guard mode & 0o077 == 0 else {
            // A public key file named as the private key (it is 0644 as written): say that, not "chmod 600" (after which
            // came "not encrypted"; found in a key review).
            if PrivateKey.holdsPublicKey(path) { throw PrivateKey.publicKeyNamed(path) }
            let shown = String(mode, radix: 8)
            // Group bits only (0640, 0660): "by its group", not "by others" (found in a key review).
            let who = mode & 0o007 == 0 ? (en: "by its group", de: "für seine Gruppe") : (en: "by others", de: "für andere")
            let how = mode & 0o044 != 0 ? (en: "readable", de: "lesbar") : (en: "accessible", de: "zugänglich")
            throw SigningError.invalidKey(source: path, reason: text(
                "the private key file is \(how.en) \(who.en) (mode \(shown)); run chmod 600 \(path)",
                de: "die private Schlüsseldatei ist \(who.de) \(how.de) (Modus \(shown)); chmod 600 \(path) ausführen"))
        }
    }
}

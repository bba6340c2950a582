import ArgumentParser
import AuditLog
import Foundation
import Diagnostics
import Signing

/// Where `consentgate audit` gets its log key and identity: by default the installation's trust store
/// (`--trust`, `--demo`): the usable key with the `audit-log` role. `--key FILE` (encrypted PEM, passphrase
/// from `CONSENTGATE_PASSPHRASE` or `--passphrase-file`) names a key file explicitly instead.
struct AuditKeyOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $CONSENTGATE_DB or ./data/consentgate.sqlite).")
    var db: String?

    @Option(name: .long, help: "The log's origin, also the checkpoint key name (default: $CONSENTGATE_AUDIT_ORIGIN or consentgate.local/audit).")
    var origin: String?

    @Option(name: .long, help: "The audit-log private key (encrypted PKCS#8 PEM); default: the trust store's audit-log key.")
    var key: String?

    @Option(name: .long, help: "Trust store file.")
    var trust: String = "keys/trust.yaml"

    @Flag(name: .long, help: "Demo mode: accept the shipped demo keys (never in production).")
    var demo: Bool = false

    @Option(name: .long, help: "A file holding the key's passphrase (else $CONSENTGATE_PASSPHRASE).")
    var passphraseFile: String?

    @Option(name: .long, help: "The audit-log public key (SPKI PEM), to verify without the private key.")
    var publicKey: String?

    @Option(name: .long, help: "A signed-note verifier key name+hash+base64 to verify checkpoints with.")
    var verifierKey: String?

    @Option(name: .long, help: "Who is acting (user id or job name; default: $CONSENTGATE_ACTOR, else $USER).")
    var actor: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var resolvedOrigin: String {
        origin ?? environment["CONSENTGATE_AUDIT_ORIGIN"].flatMap { $0.isEmpty ? nil : $0 } ?? "consentgate.local/audit"
    }

    var resolvedActor: String {
        actor ?? environment["CONSENTGATE_ACTOR"] ?? environment["USER"] ?? "cli"
    }
}

/// The one place the audit commands obtain keys.
enum AuditKeySource {
    /// The checkpoint signer under the origin name: the trust store's usable `audit-log` key (role, window,
    /// revocation and demo mode checked by the key ring), or the explicit `--key` file.
    static func signer(_ o: AuditKeyOptions) throws -> NoteSigner {
        guard let path = o.key else {
            let ring = try SigningKeyRing.load(trustFile: o.trust, demoMode: o.demo, passphraseFile: o.passphraseFile,
                                               environment: o.environment)
            return try NoteSigner(name: o.resolvedOrigin, key: ring.signingKey(for: .auditLog).privateKey)
        }
        let pem = try AuditFiles.readText(path)
        let passphrase: String?
        if let file = o.passphraseFile {
            passphrase = try AuditFiles.readText(file).trimmingCharacters(in: .newlines)
        } else {
            passphrase = o.environment["CONSENTGATE_PASSPHRASE"]
        }
        let key = try PrivateKey(pem: pem, passphrase: passphrase, source: path)
        return try NoteSigner(name: o.resolvedOrigin, key: key)
    }

    /// The checkpoint verifier: `--verifier-key`, else `--public-key`, else the public half of `--key`, else
    /// the trust store's `audit-log` public key valid now (no passphrase needed to verify).
    static func verifier(_ o: AuditKeyOptions) throws -> NoteVerifierKey {
        if let text = o.verifierKey { return try NoteVerifierKey(verifierKey: text) }
        if let path = o.publicKey {
            return try NoteVerifierKey(name: o.resolvedOrigin, publicKey: PublicKey(pem: AuditFiles.readText(path), source: path))
        }
        if o.key != nil { return try signer(o).verifier }
        let store = try TrustStore.load(file: o.trust, demoMode: o.demo)
        let now = Date()
        var refusals: [LocalizedText] = []
        for entry in store.entries.filter({ $0.roles.contains(.auditLog) }).sorted(by: { $0.notBefore > $1.notBefore }) {
            if let reason = entry.refusal(role: .auditLog, at: now, demoMode: store.demoMode) { refusals.append(reason); continue }
            return try NoteVerifierKey(name: o.resolvedOrigin, publicKey: entry.publicKey)
        }
        throw SigningError.noUsableKey(role: .auditLog, reasons: refusals)
    }
}

import ArgumentParser
import AuditLog
import Foundation
import Signing

/// Where `consentgate audit` gets its log key and identity. Interim: the key comes from `--key FILE`
/// (encrypted PEM) with the passphrase from `CONSENTGATE_PASSPHRASE` or `--passphrase-file`; the lead
/// rewires `signer(…)`/`verifier(…)` to the key ring (audit-log role check) once it exists.
struct AuditKeyOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $CONSENTGATE_DB or ./data/consentgate.sqlite).")
    var db: String?

    @Option(name: .long, help: "The log's origin, also the checkpoint key name (default: $CONSENTGATE_AUDIT_ORIGIN or consentgate.local/audit).")
    var origin: String?

    @Option(name: .long, help: "The audit-log private key (encrypted PKCS#8 PEM).")
    var key: String?

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

/// The one place the audit commands obtain keys (to be rewired to the key ring).
enum AuditKeySource {
    /// The checkpoint signer: the `--key` private key under the origin name. The caller must only pass a
    /// key the trust store lists with the `audit-log` role (checked here once the key ring exists).
    static func signer(_ o: AuditKeyOptions) throws -> NoteSigner {
        guard let path = o.key else { throw AuditCLIError.missingKey }
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

    /// The checkpoint verifier: `--verifier-key`, else `--public-key`, else the public half of `--key`.
    static func verifier(_ o: AuditKeyOptions) throws -> NoteVerifierKey {
        if let text = o.verifierKey { return try NoteVerifierKey(verifierKey: text) }
        if let path = o.publicKey {
            return try NoteVerifierKey(name: o.resolvedOrigin, publicKey: PublicKey(pem: AuditFiles.readText(path), source: path))
        }
        return try signer(o).verifier
    }
}

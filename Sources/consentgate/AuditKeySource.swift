import ArgumentParser
import AuditLog
import Foundation
import Diagnostics
import Gate
import GRDB
import Signing
import Synchronization

/// Where `consentgate audit` gets its log key and identity: by default the installation's trust store
/// (`--trust`, `--demo`): the usable key with the `audit-log` role. `--key FILE` (encrypted PEM, passphrase
/// from `CONSENTGATE_PASSPHRASE` or `--passphrase-file`) names a key file explicitly instead.
struct AuditKeyOptions: ParsableArguments {
    @Option(name: .long, help: HelpText.help("The database file (default: $CONSENTGATE_DB, else consentgate.sqlite in $CONSENTGATE_DATA or ./data).",
                                             de: "Datenbankdatei (Standard: $CONSENTGATE_DB, sonst consentgate.sqlite in $CONSENTGATE_DATA oder ./data)."))
    var db: String?

    @Option(name: .long, help: HelpText.help("The log's origin, also the checkpoint key name (default: $CONSENTGATE_AUDIT_ORIGIN, else the log's own, else consentgate.local/audit).",
                                             de: "Ursprung (origin) des Protokolls, zugleich Schlüsselname der Checkpoints (Standard: $CONSENTGATE_AUDIT_ORIGIN, sonst der des Protokolls, sonst consentgate.local/audit)."))
    var origin: String?

    @Option(name: .long, help: HelpText.help("The audit-log private key (encrypted PKCS#8 PEM); default: the trust store's audit-log key.",
                                             de: "Privater Schlüssel des Audit-Protokolls (verschlüsseltes PKCS#8-PEM); Standard: der audit-log-Schlüssel des Trust-Stores."))
    var key: String?

    @Option(name: .long, help: HelpText.help("Trust store file.", de: "Trust-Store-Datei."))
    var trust: String = "keys/trust.yaml"

    @Flag(name: .long, help: HelpText.help("Demo mode: accept the shipped demo keys (never in production).",
                                           de: "Demo-Modus: die mitgelieferten Demo-Schlüssel akzeptieren (nie im Produktivbetrieb)."))
    var demo: Bool = false

    @Option(name: .long, help: HelpText.help("A file holding the key's passphrase (else $CONSENTGATE_PASSPHRASE).",
                                             de: "Datei mit der Passphrase des Schlüssels (sonst $CONSENTGATE_PASSPHRASE)."))
    var passphraseFile: String?

    @Option(name: .long, help: HelpText.help("The audit-log public key (SPKI PEM), to verify without the private key.",
                                             de: "Öffentlicher Schlüssel des Audit-Protokolls (SPKI-PEM), um ohne den privaten Schlüssel zu prüfen."))
    var publicKey: String?

    @Option(name: .long, help: HelpText.help("A signed-note verifier key name+hash+base64 to verify checkpoints with.",
                                             de: "Prüfschlüssel für signierte Notizen (signed-note verifier key, name+hash+base64), mit dem die Checkpoints geprüft werden."))
    var verifierKey: String?

    @Option(name: .long, help: HelpText.help("Who is acting (user id or job name; default: $CONSENTGATE_ACTOR, else the login name: $USER, $LOGNAME or the process's user).",
                                             de: "Wer handelt (Benutzerkennung oder Jobname; Standard: $CONSENTGATE_ACTOR, sonst der Anmeldename: $USER, $LOGNAME oder der Benutzer des Prozesses)."))
    var actor: String?

    /// `--lang`, as on every command (found in a review: `audit verify`, `log`, `prove`, … refused it): the language of
    /// messages, and of a report's or the statistics' words.
    @Option(name: .long, help: InstallationOptions.langHelp)
    var lang: Language?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The language for messages and output: `--lang`, else `CONSENTGATE_LANG`, then `LANG`, then German.
    var language: Language { lang ?? Language.fromEnvironment(environment) }

    /// The database file: `--db`, else the default (`$CONSENTGATE_DB`, …).
    var databasePath: String { db ?? AppDatabase.defaultPath(environment: environment) }

    /// Whether the origin was given (`--origin`, `$CONSENTGATE_AUDIT_ORIGIN`) rather than taken from the log or defaulted.
    var originGiven: Bool { origin != nil || environment["CONSENTGATE_AUDIT_ORIGIN"].map { !$0.isEmpty } == true }

    /// The log's origin: `--origin`, else `$CONSENTGATE_AUDIT_ORIGIN`, else the one the log's newest checkpoint carries
    /// when it verifies under it with an audit-log key of the trust store (an installation begun under the county's own
    /// origin needs it on no later command), else `consentgate.local/audit`.
    var resolvedOrigin: String {
        origin ?? environment["CONSENTGATE_AUDIT_ORIGIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? LogOrigin.of(databasePath: databasePath, trust: trust, demo: demo) ?? GateConfiguration.defaultAuditOrigin
    }

    var resolvedActor: String { CommandActor.resolve(actor, environment: environment) }

    /// Who is acting must be fit for the audit log (`CommandActor.validate`).
    func validate() throws { try CommandActor.validated(actor, environment: environment) }
}

/// The one place the audit commands obtain keys.
enum AuditKeySource {
    /// The checkpoint signer under the origin name: the trust store's usable `audit-log` key (role, window,
    /// revocation and demo mode checked by the key ring), or the explicit `--key` file, which must be such a
    /// key of the trust store too (a checkpoint signed by any other key would make the log fail `verify`
    /// for good, since checkpoints cannot be removed).
    static func signer(_ o: AuditKeyOptions) throws -> NoteSigner {
        let ring = try SigningKeyRing.load(trustFile: o.trust, demoMode: o.demo, passphraseFile: o.passphraseFile,
                                           environment: o.environment)
        let key = try o.key.map { try ring.signingKey(file: $0, for: .auditLog) } ?? ring.signingKey(for: .auditLog)
        // It continues checkpoints signed by the store's audit-log keys (a rotation; a revoked key's last one), no others.
        return try NoteSigner(name: o.resolvedOrigin, key: key.privateKey).continuing(Gate.auditLogKeys(ring.trustStore))
    }

    /// The checkpoint verifiers: `--verifier-key`, else `--public-key`, else the public half of `--key`, else
    /// every `audit-log` key of the trust store that is not revoked (expired ones too: a rotated key still
    /// vouches for the checkpoints it signed; demo keys only with `--demo`). No passphrase is needed to verify.
    static func verifiers(_ o: AuditKeyOptions) throws -> [NoteVerifierKey] {
        if let text = o.verifierKey { return [try NoteVerifierKey(verifierKey: text)] }
        if let path = o.publicKey {
            return [try NoteVerifierKey(name: o.resolvedOrigin, publicKey: PublicKey(pem: AuditFiles.readText(path), source: path))]
        }
        if o.key != nil { return [try signer(o).verifier] }
        let store = try TrustStore.load(file: o.trust, demoMode: o.demo)
        let keys = try store.historicalKeys(for: .auditLog).filter { $0.algorithm == .ed25519 }
            .map { try NoteVerifierKey(name: o.resolvedOrigin, publicKey: $0.publicKey) }
        guard keys.isEmpty else { return keys }
        // None: say why each audit-log key of the store was left out.
        let refusals = store.entries.filter { $0.roles.contains(.auditLog) }.map { entry -> LocalizedText in
            if let revoked = entry.revokedAt {
                return LocalizedText(de: "\(entry.kid): am \(RFC3339.format(revoked)) widerrufen", en: "\(entry.kid): revoked at \(RFC3339.format(revoked))")
            }
            let reason = entry.refusal(role: .auditLog, at: Date(), demoMode: store.demoMode)
                ?? LocalizedText(de: "kein Ed25519-Schlüssel", en: "not an Ed25519 key")
            return LocalizedText(de: "\(entry.kid): \(reason.de)", en: "\(entry.kid): \(reason.en)")
        }
        throw SigningError.noUsableKey(role: .auditLog, reasons: refusals)
    }

    /// The `audit-log` keys of the trust store that are revoked (none when a key was given on the command line), so
    /// that a checkpoint signed only by one of them is said to be by a revoked key, not "replaced or altered".
    static func revokedVerifiers(_ o: AuditKeyOptions) throws -> [RevokedNoteKey] {
        guard o.verifierKey == nil, o.publicKey == nil, o.key == nil else { return [] }
        return try RevokedNoteKey.all(in: TrustStore.load(file: o.trust, demoMode: o.demo), origin: o.resolvedOrigin)
    }
}

/// The origin an existing log's newest checkpoint carries and verifies under (`AuditLogStore.verifiedOrigin`, with the
/// trust store's audit-log keys), read once per database file and process from the file opened read-only (no
/// migration, nothing written); nil when there is no database there, no checkpoint, or one that does not verify.
enum LogOrigin {
    private static let known = Mutex<[String: String?]>([:])

    static func of(databasePath path: String, trust: String, demo: Bool) -> String? {
        if let cached = known.withLock({ $0[path] }) { return cached }
        var origin: String? = nil
        var configuration = Configuration()
        configuration.readonly = true
        if FileManager.default.fileExists(atPath: path), let db = try? DatabaseQueue(path: path, configuration: configuration),
           let store = try? TrustStore.load(file: trust, demoMode: demo) {
            let keys = store.historicalKeys(for: .auditLog).filter { $0.algorithm == .ed25519 }.map(\.publicKey)
            origin = AuditLogStore(writer: db).verifiedOrigin(keys: keys)
        }
        known.withLock { $0[path] = origin }
        return origin
    }
}

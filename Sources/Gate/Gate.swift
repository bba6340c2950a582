import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing
import Synchronization

/// The application core: one installation's database, policy, keys, consent store and audit log, and the
/// use cases over them (check = evaluate + record, grant, withdraw, ...). The CLI, the web service and the
/// export job all act through a `Gate`, so every decision and disclosure is recorded the same way.
public final class Gate: Sendable {
    /// How this installation was opened.
    public let configuration: GateConfiguration
    /// The one SQLite database.
    public let database: AppDatabase
    /// The compiled policy in force.
    public let policy: CompiledPolicy
    /// The trust store and the private keys this installation may use.
    public let keyRing: SigningKeyRing
    /// Signed consents and withdrawals.
    public let consents: ConsentStore
    /// The tamper-evident audit log.
    public let auditLog: AuditLogStore
    let subjects: SubjectStore
    /// The checkpoint signer and the kid of its key, opened on first append (opening a key costs ~0.1–0.5 s of PBKDF2),
    /// and again only when the key ring chooses another key (`auditSigner()`).
    let signer = Mutex<(kid: String, signer: NoteSigner)?>(nil)
    /// The last failure to open the chosen audit-log key (its kid, when, why): for `auditSignerRetryInterval` after it the
    /// same key is not decrypted again, the error is given at once (see `auditSigner(at:)`).
    let signerFailure = Mutex<(kid: String, at: Date, error: any Error)?>(nil)
    /// How long a key that failed to open is not tried again. Each try costs ~0.1–0.5 s of PBKDF2 under the signer's
    /// lock: without a pause, a `serve` whose successor key cannot be opened (a wrong passphrase, a damaged file) would
    /// spend that on every request, each waiting for the one before, to answer 503 in the end anyway.
    static let auditSignerRetryInterval: TimeInterval = 10
    /// The checkpoint signer being opened in the background since `open` (when asked for): the first append
    /// takes it from here instead of decrypting the key itself.
    let signerInFlight: BackgroundResult<NoteSigner>?
    /// Other roles' current keys, decrypted while the installation opened when the caller asked for them
    /// (`open(prefetchingKeys:)`); taken by `currentSigningKey(for:)`.
    let keysInFlight: [KeyRole: BackgroundResult<SigningKey>]
    /// Private keys opened for signing consents and withdrawals, by kid (each opened once per process: a grant
    /// that decrypted its key would spend ~0.1 s of CPU on PBKDF2 alone).
    let openedKeys = Mutex<[String: SigningKey]>([:])
    /// The last error opening each key that failed to open, by kid (`opened(_:role:)`, `signingKeyProblem`).
    let openFailures = Mutex<[String: any Error]>([:])
    /// Shares one durable commit among concurrent async callers (see `checkConcurrently`).
    let groupCommit: AuditGroupCommit
    /// Accounts, subjects and consent records kept in memory for the decision path, invalidated by the
    /// database's change counter (see `GateReadCache`).
    public let readCache: GateReadCache
    /// The statistics' totals per partner and hour, brought up to date with the entries appended since the last view
    /// (`disclosureStats(by:query:)`).
    let disclosureStatsCache = DisclosureStatsCache()
    /// The trust store file against the store in force (`trustStoreFileState()`).
    let trustStoreWatch: TrustStoreWatch

    /// The trust store in force.
    public var trustStore: TrustStore { keyRing.trustStore }

    init(configuration: GateConfiguration, database: AppDatabase, policy: CompiledPolicy, keyRing: SigningKeyRing,
         checkpointer: WALCheckpointer? = nil, signerInFlight: BackgroundResult<NoteSigner>? = nil,
         keysInFlight: [KeyRole: BackgroundResult<SigningKey>] = [:]) {
        self.configuration = configuration
        self.signerInFlight = signerInFlight
        self.keysInFlight = keysInFlight
        self.database = database
        self.policy = policy
        self.keyRing = keyRing
        let watch = TrustStoreWatch(file: configuration.trustFile, demoMode: keyRing.trustStore.demoMode, store: keyRing.trustStore)
        self.trustStoreWatch = watch
        self.consents = ConsentStore(database: database.writer,
                                     verifier: ConsentVerifier(trustStore: keyRing.trustStore, templates: policy.bundle.templateVersions,
                                                               keyInFile: { watch.keyInFile(kid: $0) }))
        self.auditLog = AuditLogStore(writer: database.writer)
        self.subjects = SubjectStore(writer: database.writer)
        self.groupCommit = AuditGroupCommit(checkpointer: checkpointer ?? WALCheckpointer(database: database))
        self.readCache = GateReadCache(databasePath: database.path)
    }

    /// Opens an installation: loads and validates the policy and the trust store, opens and migrates the
    /// database, and records `policy-loaded` (archiving the bundle) when this policy differs from the last one, and
    /// a `key-event` for each change of the trust store since the last one recorded (and, once, the accounts that
    /// existed before account logging began).
    ///
    /// `prefetchingAuditKey` is for callers that will append (an export run, the web service): the audit-log
    /// key is then decrypted on another core while the policy compiles and the database opens, instead of
    /// at the first append. A policy error is still reported before a trust store error, and a key that cannot
    /// be opened fails the first append, as without prefetching (and is opened again at an append `auditSignerRetryInterval` later).
    ///
    /// `prefetchingKeys` likewise starts decrypting the current key of each role named (the export run's
    /// `export-signer`) at once, so it runs while the audit-log key is awaited rather than later beside the
    /// run's own work; `currentSigningKey(for:)` takes it.
    ///
    /// `policyLoaded` is called with the compiled policy as soon as it is loaded, before the database is opened:
    /// an export run starts reading its list then (`FirstPassInFlight`), while the migrations and the
    /// `policy-loaded` entry of a new database wait for the disk.
    public static func open(_ configuration: GateConfiguration, actor: Actor = Actor(id: "system"),
                            prefetchingAuditKey: Bool = false, prefetchingKeys: [KeyRole] = [],
                            policyLoaded: (CompiledPolicy) -> Void = { _ in }) throws -> Gate {
        let loadedKeyRing = Result {
            try SigningKeyRing.load(trustFile: configuration.trustFile, demoMode: configuration.demoMode,
                                    passphraseFile: configuration.passphraseFile, environment: configuration.environment)
        }
        var signerInFlight = prefetchingAuditKey ? (try? loadedKeyRing.get()).map { keyRing in
            BackgroundResult(label: "consentgate.gate.audit-key") {
                try NoteSigner(name: configuration.auditOrigin, key: keyRing.signingKey(for: .auditLog).privateKey)
            }
        } : nil
        var keysInFlight: [KeyRole: BackgroundResult<SigningKey>] = [:]
        if let keyRing = try? loadedKeyRing.get() {
            for role in prefetchingKeys {
                keysInFlight[role] = BackgroundResult(label: "consentgate.gate.\(role.rawValue)-key") { try keyRing.signingKey(for: role) }
            }
        }
        let policy = try CompiledPolicy.load(directory: URL(fileURLWithPath: configuration.policyDirectory))
        policyLoaded(policy)
        let keyRing = try loadedKeyRing.get()
        // A new installation's first entries (`policy-loaded`, the trust store's keys) are signed with the audit-log key:
        // it is opened before anything is created (the folder, the lock file, the database), so that a wrong passphrase
        // (or a key that cannot be read) fails the command without leaving an empty installation behind
        // (`NewInstallationKeyCheckCLITests`). Outside the lock: a database made meanwhile by another process only means
        // the key was opened a little earlier than needed.
        if !FileManager.default.fileExists(atPath: configuration.databasePath) {
            let signer = signerInFlight ?? BackgroundResult(label: "consentgate.gate.audit-key") {
                try NoteSigner(name: configuration.auditOrigin, key: keyRing.signingKey(for: .auditLog).privateKey)
            }
            _ = try signer.value()
            signerInFlight = signer
        }
        try AppDatabase.refuseFolder(at: configuration.databasePath)
        let lock = try InstallationLock(databasePath: configuration.databasePath)
        let database = try AppDatabase.open(path: configuration.databasePath)
        // The log's origin is fixed by its checkpoints (`resolveAuditOrigin`); when one not given is taken from the log, the
        // prefetched signer is renamed (no second decryption).
        var configuration = configuration
        if try Self.resolveAuditOrigin(&configuration, log: AuditLogStore(writer: database.writer), trustStore: keyRing.trustStore) {
            let origin = configuration.auditOrigin
            signerInFlight = signerInFlight.map { prefetched in
                BackgroundResult(label: "consentgate.gate.audit-key") { try NoteSigner(name: origin, key: prefetched.value().key) }
            }
        }
        let gate = Gate(configuration: configuration, database: database, policy: policy, keyRing: keyRing,
                        signerInFlight: signerInFlight, keysInFlight: keysInFlight)
        try gate.recordPolicyIfNew(actor: actor)
        try gate.recordTrustStoreChanges(actor: actor)
        try gate.recordAccountsWhenLoggingBegins(actor: actor)
        _ = consume lock
        return gate
    }

    /// Fixes `configuration.auditOrigin` to the log's: a log's origin is set by its first checkpoint and never changes.
    /// One given (`auditOriginGiven`) that is not the origin of the log's newest checkpoint is refused at once
    /// (`AuditLogError.originChanged`, exit 2), before a web service comes up only to fail at every append (found in an
    /// operator's review, 2026-12-07). One not given is replaced by the log's when the newest checkpoint verifies under it
    /// with a key of `trustStore` (`AuditLogStore.verifiedOrigin`); returns whether it was replaced. An unverified row is
    /// not followed: the append under the default origin is then refused, and `audit verify` names the row.
    static func resolveAuditOrigin(_ configuration: inout GateConfiguration, log: AuditLogStore, trustStore: TrustStore) throws -> Bool {
        guard let stored = try log.origin(), stored != configuration.auditOrigin else { return false }
        guard !configuration.auditOriginGiven else {
            throw AuditLogError.originChanged(log: stored, given: configuration.auditOrigin)
        }
        let keys = trustStore.historicalKeys(for: .auditLog).filter { $0.algorithm == .ed25519 }.map(\.publicKey)
        guard let origin = log.verifiedOrigin(keys: keys) else { return false }
        configuration.auditOrigin = origin
        return true
    }

    /// The consent verifier of the installation `configuration` describes (its trust store and the policy's templates),
    /// without opening or creating its database: for checking a document where no installation is set up yet (`consent
    /// verify` before the first import). The policy is loaded first, so its errors come before the trust store's, as in
    /// `open`.
    public static func consentVerifier(_ configuration: GateConfiguration) throws -> ConsentVerifier {
        let policy = try CompiledPolicy.load(directory: URL(fileURLWithPath: configuration.policyDirectory))
        let keyRing = try SigningKeyRing.load(trustFile: configuration.trustFile, demoMode: configuration.demoMode,
                                              passphraseFile: configuration.passphraseFile, environment: configuration.environment)
        return ConsentVerifier(trustStore: keyRing.trustStore, templates: policy.bundle.templateVersions)
    }

    /// Appends entries in one durable batch with one signed checkpoint; returns their indices.
    @discardableResult
    public func record(_ entries: [AuditEntry]) throws -> [Int64] {
        try auditLog.append(entries, signer: auditSigner())
    }

    /// Appends one entry durably and returns its index.
    @discardableResult
    public func record(_ content: AuditContent, actor: Actor, municipality: String? = nil, at time: Date = Date()) throws -> Int64 {
        try record([AuditEntry(time: time, actor: actor.id, municipality: municipality ?? actor.municipality,
                               policyDigest: policy.digest, content: content)])[0]
    }

    /// The stored subject with `id`, if any.
    public func subject(id: String) throws -> Subject? {
        try readCache.subject(id: id) { try subjects.subject(id: id) }
    }

    /// Records a new subject, or merges the attributes it states into the stored one (stated ones replace stored
    /// ones, unstated ones are kept); returns the subject as stored. Writes no audit entry.
    @discardableResult
    public func saveSubject(_ subject: Subject) throws -> Subject { try subjects.upsert(subject) }
}

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
    private let signer = Mutex<(kid: String, signer: NoteSigner)?>(nil)
    /// The last failure to open the chosen audit-log key (its kid, when, why): for `auditSignerRetryInterval` after it the
    /// same key is not decrypted again, the error is given at once (see `auditSigner(at:)`).
    private let signerFailure = Mutex<(kid: String, at: Date, error: any Error)?>(nil)
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
    private let openedKeys = Mutex<[String: SigningKey]>([:])
    /// The last error opening each key that failed to open, by kid (`opened(_:role:)`, `signingKeyProblem`).
    private let openFailures = Mutex<[String: any Error]>([:])
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

    /// The checkpoint signer: the usable `audit-log` key under the log's origin name, as the key ring chooses it at
    /// `now` (role, validity window, revocation, demo mode; the latest `not-before` wins).
    ///
    /// The decrypted key is kept, but the choice is made again at every call (no decryption: the trust store in memory):
    /// a long-running `serve` whose key reaches its `not-after` stops signing with it, and one whose trust store holds a
    /// successor (`not-before` later than the start) takes it over at that time, as a new process would. Before, the key
    /// opened at start signed for the life of the process, past its `not-after` too. A key that the trust store file has
    /// revoked or removed since the installation opened signs no more either (within a second, `TrustStoreWatch`), though
    /// a successor added to the file counts only after a restart.
    ///
    /// Throws `AuditSigningUnavailable` (with the key ring's or the key file's error as its reason, whose category and
    /// message it keeps) when no key may sign now or the chosen one cannot be opened: the web service answers 503, since
    /// the request was in order and nothing was recorded.
    public func auditSigner(at now: Date = Date()) throws -> NoteSigner {
        do {
            return try signer.withLock { cached in
                // A key the trust store file has revoked or removed since the start signs no more (at most a second
                // late); the next key of the store in force that the file still allows takes over.
                let entry = try keyRing.usableEntry(for: .auditLog, at: now, refused: fileRefusal(role: .auditLog, at: now))
                if let cached, cached.kid == entry.kid { return cached.signer }
                // The key decrypted while opening, if that worked and is still the one to use. If it failed, the key is
                // opened again here, as without prefetching: a failure is kept only for `auditSignerRetryInterval`, so a
                // long-running service appends again soon after the cause (a passphrase file, a key file) is put right.
                let made: NoteSigner
                if cached == nil, let prefetched = try? signerInFlight?.value(), prefetched.key.publicKey.kid == entry.kid {
                    made = prefetched
                } else {
                    // A key that failed a moment ago fails again at once (`auditSignerRetryInterval`); after that it is tried anew.
                    if let failed = signerFailure.withLock({ $0 }), failed.kid == entry.kid,
                       abs(now.timeIntervalSince(failed.at)) < Self.auditSignerRetryInterval {
                        throw failed.error
                    }
                    do {
                        made = try NoteSigner(name: configuration.auditOrigin, key: keyRing.open(entry).privateKey)
                    } catch {
                        signerFailure.withLock { $0 = (entry.kid, now, error) }
                        throw error
                    }
                }
                signerFailure.withLock { $0 = nil }
                // It continues checkpoints signed by the audit-log keys of the store in force or of the file as it reads
                // now (a rotation, also one another process began after this one started; a revoked key's last checkpoint),
                // no others (`AppendBase`).
                let continuing = made.continuing(from: { [keyRing, trustStoreWatch] in
                    Self.auditLogKeys(keyRing.trustStore) + (trustStoreWatch.currentStore().map(Self.auditLogKeys) ?? [])
                })
                cached = (entry.kid, continuing)
                return continuing
            }
        } catch let error as AuditSigningUnavailable {
            throw error
        } catch {
            throw AuditSigningUnavailable(reason: error)
        }
    }

    /// Every Ed25519 `audit-log` key of `store`, revoked ones included (demo keys only in demo mode): the keys whose
    /// checkpoint an append may extend. A revoked key's checkpoints do not verify (`audit verify` says so), but refusing
    /// to append after one would stop the installation for good after the documented compromise procedure.
    public static func auditLogKeys(_ store: TrustStore) -> [PublicKey] {
        store.entries.filter { $0.roles.contains(.auditLog) && $0.algorithm == .ed25519 && (!$0.demo || store.demoMode) }.map(\.publicKey)
    }

    /// Whether some key of the trust store may sign for `role` now (without opening it): when one may and none may at a
    /// document's date, the date is what to check, not the keys.
    public func hasUsableSigningKey(for role: KeyRole) -> Bool {
        let now = Date()
        return (try? keyRing.usableEntry(for: role, at: now, refused: fileRefusal(role: role, at: now))) != nil
    }

    /// The current key for `role` (`SigningKeyRing.signingKey(for:)`): the one decrypted while the installation
    /// opened, when it was asked for (`open(prefetchingKeys:)`), that worked and is still the one to use; otherwise
    /// decrypted now, so the error reported is this attempt's, as without prefetching. Never a key the trust store file
    /// has revoked or removed since the installation opened (`fileRefusal`).
    public func currentSigningKey(for role: KeyRole) throws -> SigningKey {
        let now = Date()
        let entry = try keyRing.usableEntry(for: role, at: now, refused: fileRefusal(role: role, at: now))
        if let prefetched = try? keysInFlight[role]?.value(), prefetched.kid == entry.kid { return prefetched }
        return try keyRing.open(entry)
    }

    /// The usable key for `role` at `time` (as `SigningKeyRing.signingKey(for:at:)` chooses it), decrypted only
    /// the first time this installation uses it. Throws `SigningKeyUnavailable` when none may sign or it cannot be opened.
    func signingKey(for role: KeyRole, at time: Date) throws -> SigningKey {
        let entry: TrustedKey
        do {
            entry = try keyRing.usableEntry(for: role, at: time, refused: fileRefusal(role: role, at: time))
        } catch {
            throw SigningKeyUnavailable(role: role, reason: error)
        }
        return try opened(entry, role: role)
    }

    /// The key to sign, at `now`, a document dated `documentTime` (a consent's `granted-at`, a withdrawal's
    /// `withdrawn-at`): usable now and valid then (`SigningKeyRing.usableEntry(for:at:documentTime:)`), so a
    /// revoked or retired key never signs a backdated document and the document verifies. Throws
    /// `SigningKeyUnavailable` when no key may sign now at all or the chosen one cannot be opened; the key ring's own
    /// error when one may sign now but none was in force at `documentTime` (the date is then what to check).
    func signingKey(for role: KeyRole, at now: Date, documentTime: Date) throws -> SigningKey {
        let entry: TrustedKey
        do {
            entry = try keyRing.usableEntry(for: role, at: now, documentTime: documentTime, refused: { entry in
                fileRefusal(role: role, at: now)(entry) ?? fileRefusal(role: role, at: documentTime)(entry)
            })
        } catch {
            if signingKeyProblem(for: role, at: now) != nil { throw SigningKeyUnavailable(role: role, reason: error) }
            throw error
        }
        return try opened(entry, role: role)
    }

    /// Why no key may sign for `role` at `now` (the key ring's refusal, or the trust store file's since the start, or the
    /// last failure to open the key that would sign), or nil when one may. Decrypts nothing: a key not opened yet counts
    /// as usable until an attempt to open it fails. `/metrics` reports it per role (`consentgate_signing_key_usable`).
    public func signingKeyProblem(for role: KeyRole, at now: Date = Date()) -> (any Error)? {
        do {
            let entry = try keyRing.usableEntry(for: role, at: now, refused: fileRefusal(role: role, at: now))
            if let failed = openFailures.withLock({ $0[entry.kid] }) { return failed }
            return nil
        } catch {
            return error
        }
    }

    /// The decrypted key of `entry`, opened only the first time this installation uses it; `SigningKeyUnavailable` for
    /// `role` when it cannot be opened (remembered for `signingKeyProblem` until an attempt succeeds).
    private func opened(_ entry: TrustedKey, role: KeyRole) throws -> SigningKey {
        do {
            return try openedKeys.withLock { keys in
                if let key = keys[entry.kid] { return key }
                let key = try keyRing.open(entry)
                keys[entry.kid] = key
                openFailures.withLock { _ = $0.removeValue(forKey: entry.kid) }
                return key
            }
        } catch {
            openFailures.withLock { $0[entry.kid] = error }
            throw SigningKeyUnavailable(role: role, reason: error)
        }
    }

    /// How many signing keys this installation has decrypted so far (for tests).
    var openedSigningKeyCount: Int { openedKeys.withLock { $0.count } }

    /// The verifier key of the log at `time`: the signer's when it is open already, else that of the newest
    /// `audit-log` key of the trust store usable at `time` (no private key needed). Only when there is none is the
    /// signer opened, which then throws why no key is usable (`SigningError.noUsableKey`).
    public func auditVerifierKey(at time: Date = Date()) throws -> NoteVerifierKey {
        if let s = signer.withLock({ $0?.signer }) { return s.verifier }
        let candidates = trustStore.entries.filter { $0.roles.contains(.auditLog) }
            .sorted { ($0.notBefore, $1.kid) > ($1.notBefore, $0.kid) }
        for entry in candidates {
            if let key = try? trustStore.key(kid: entry.kid, role: .auditLog, at: time) {
                return try NoteVerifierKey(name: configuration.auditOrigin, publicKey: key)
            }
        }
        return try auditSigner().verifier
    }

    /// The keys `audit verify` accepts checkpoints from: every `audit-log` key of the trust store that is not
    /// revoked (expired ones included: a rotated key still vouches for the checkpoints it signed while it was
    /// in force), demo keys only in demo mode; and the signer in use.
    public func auditVerifierKeys() throws -> [NoteVerifierKey] {
        var keys = try trustStore.historicalKeys(for: .auditLog).filter { $0.algorithm == .ed25519 }
            .map { try NoteVerifierKey(name: configuration.auditOrigin, publicKey: $0.publicKey) }
        if let s = signer.withLock({ $0?.signer }), !keys.contains(s.verifier) { keys.append(s.verifier) }
        if keys.isEmpty { keys.append(try auditVerifierKey()) }
        return keys
    }

    /// The `audit-log` keys the trust store revoked, for `AuditLogStore.verify(keys:trustedCheckpoint:revoked:)`: a
    /// checkpoint signed only by one of them is said to be by a revoked key, not "replaced or altered".
    public func auditRevokedKeys() throws -> [RevokedNoteKey] {
        try RevokedNoteKey.all(in: trustStore, origin: configuration.auditOrigin)
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

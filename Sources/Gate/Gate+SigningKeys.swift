import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing
import Synchronization

/// The installation's signing keys: which key signs checkpoints, consents and export manifests now, which keys vouch
/// for what was signed before, and why none may sign.
extension Gate {
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
}

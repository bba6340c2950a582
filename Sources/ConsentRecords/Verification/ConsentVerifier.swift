import Diagnostics
import Foundation
import PolicyEngine
import Signing

/// Verifies signed consents and withdrawals against one trust store and one policy bundle's templates.
///
/// A consent is valid when (CONTRACTS §3 rule 4, §5): it is a flattened JWS with `typ`
/// `consentgate-consent+json` and a supported `alg`; its signature verifies with a key that had the
/// `consent-signer` role and was valid (not before/after its window, not revoked, not a refused demo key)
/// at `granted-at`; its payload reads strictly; the template and version exist; the language is one of the
/// template's; every clause is the template's; `granted-at` < `expires-at` ≤ `granted-at` + `max-validity`;
/// `granted-at` is not after `now`; and, when the subject's birth date is known, a guardian is recorded if
/// the subject was below `minimum-age` at `granted-at`.
///
/// The time-independent part is cached by the SHA-256 of the exact bytes (see `VerificationCache`), so
/// re-checking on every decision costs one hash. Make a new verifier when the trust store or bundle changes.
public struct ConsentVerifier: Sendable {
    /// The keys and roles signatures are checked against, as of the signing time.
    public let trustStore: TrustStore
    /// Every template version a consent may cite (the bundle's `templateVersions`, earlier versions included).
    public let templates: [ConsentTemplate]
    private let cache: VerificationCache
    /// What the trust store *file* as it reads now says against `trustStore` of a key, for a long-running process whose
    /// `trustStore` was loaded at its start (`serve`: the Gate's `TrustStoreWatch`): revoked, or removed; nil when it says
    /// what `trustStore` says. Always nil by default.
    private let keyInFile: @Sendable (_ kid: String) -> KeyInFile?

    /// - Parameters:
    ///   - cacheCapacity: how many verification results to keep before starting over.
    ///   - keyInFile: a key's revocation or removal in the trust store file as it reads now, when that may be newer than
    ///     `trustStore` (see `keyInFile`).
    public init(trustStore: TrustStore, templates: [ConsentTemplate], cacheCapacity: Int = 10_000,
                keyInFile: @escaping @Sendable (_ kid: String) -> KeyInFile? = { _ in nil }) {
        self.trustStore = trustStore
        self.templates = templates
        self.cache = VerificationCache(capacity: cacheCapacity)
        self.keyInFile = keyInFile
    }

    /// Verifies a consent JWS (`bytes` as stored or received) at `now`. `recordedAt` is when this installation recorded
    /// it (a stored consent); nil for a document being recorded or checked now.
    public func verifyConsent(_ bytes: [UInt8], now: Date, subjectBirthDate: Date? = nil,
                              recordedAt: Date? = nil) -> VerificationResult<ConsentDeclaration> {
        let base: VerificationResult<ConsentDeclaration> = cache.result(digest: SHA256.hash(bytes)) {
            Self.verifyEnvelope(bytes, trustStore: trustStore) { TemplateRules.failures(of: $0, templates: templates) }
        }
        guard let declaration = base.document?.content else { return base }
        var more: [ConsentError] = []
        if let kid = base.document?.kid,
           let revoked = revocationFailure(kid: kid, signedAt: declaration.grantedAt, recordedAt: recordedAt, now: now) {
            more.append(revoked)
        }
        if declaration.grantedAt > now { more.append(.grantedInFuture(grantedAt: declaration.grantedAt, now: now)) }
        if let g = TemplateRules.guardianFailure(of: declaration, birthDate: subjectBirthDate, templates: templates) {
            more.append(g)
        }
        return base.adding(more)
    }

    /// Verifies a withdrawal JWS at `now` on its own (signature, trust at `withdrawn-at`, type, form, time).
    public func verifyWithdrawal(_ bytes: [UInt8], now: Date) -> VerificationResult<ConsentWithdrawal> {
        let base: VerificationResult<ConsentWithdrawal> = cache.result(digest: SHA256.hash(bytes)) {
            Self.verifyEnvelope(bytes, trustStore: trustStore) { _ in [] }
        }
        guard let w = base.document?.content, w.withdrawnAt > now else { return base }
        return base.adding([.withdrawnInFuture(withdrawnAt: w.withdrawnAt, now: now)])
    }

    /// Verifies a withdrawal and that it fits `consent`: same consent id, same subject, not before `granted-at`.
    public func verifyWithdrawal(_ bytes: [UInt8], of consent: ConsentDeclaration, now: Date) -> VerificationResult<ConsentWithdrawal> {
        let result = verifyWithdrawal(bytes, now: now)
        guard let w = result.document?.content else { return result }
        return result.adding(Self.relationFailures(w, consent))
    }

    /// Verifies a withdrawal on record: what `verifyWithdrawal(_:of:now:)` checks (without `consent` when that does not
    /// read), and the revocation rule consents follow (`revocationFailure`): a signature by a revoked key counts only for a
    /// withdrawal this installation recorded (`recordedAt`; nil: given now, e.g. a file to check) before the revocation.
    ///
    /// Recording a withdrawal does not apply that rule (`ConsentStore.withdraw`): a withdrawal that fails it is still kept,
    /// so the consent it names turns invalid and releases nothing, where refusing it would leave the consent active. Fail
    /// safe either way: nothing is released while a withdrawal is on record, valid or not.
    public func verifyRecordedWithdrawal(_ bytes: [UInt8], of consent: ConsentDeclaration?, now: Date,
                                  recordedAt: Date?) -> VerificationResult<ConsentWithdrawal> {
        let result = consent.map { verifyWithdrawal(bytes, of: $0, now: now) } ?? verifyWithdrawal(bytes, now: now)
        guard let doc = result.document,
              let revoked = revocationFailure(kid: doc.kid, signedAt: doc.content.withdrawnAt, recordedAt: recordedAt, now: now)
        else { return result }
        return result.adding([revoked])
    }

    /// Why a consent (or a withdrawal) signed by `kid` at `signedAt` no longer counts because its key is revoked, or nil.
    ///
    /// A signature by a revoked key counts only for a document this installation recorded before the revocation:
    /// whoever holds a compromised key can sign with any date, so trust at the document's own `granted-at` is not
    /// enough (found in a key review: a consent forged with a stolen, already revoked key and dated before the
    /// revocation was imported and released data). The installation's own grants always sign with a key usable now, so
    /// they were recorded before any later revocation. A revocation the trust store file made after a long-running
    /// process started counts at once, for signing time and recording time alike (it released data on such consents
    /// until a restart, while the command line on the same database withheld it). A revocation at or before the
    /// signing time in `trustStore` itself is the envelope's failure already. `recordedAt` nil: recorded (or checked) `now`.
    ///
    /// A key the file no longer holds at all is not trusted for anything any more, as for a process that starts now (found
    /// in a consent review: `serve` released data on a removed key's consents until a restart).
    func revocationFailure(kid: String, signedAt: Date, recordedAt: Date?, now: Date) -> ConsentError? {
        let inStore = trustStore.entries.first { $0.kid == kid }?.revokedAt
        if let inStore, inStore <= signedAt { return nil }
        let inFile = keyInFile(kid)
        if case .removed = inFile {
            return .untrustedKey(kid: kid, reason: LocalizedText(
                de: "seit dem Start dieses Dienstes aus der Trust-Store-Datei entfernt: ihm wird nichts mehr geglaubt, wie nach einem Neustart",
                en: "removed from the trust store file since this service started: nothing signed by it is trusted any more, as after a restart"))
        }
        var revokedInFile: Date? = nil
        if case let .revoked(at) = inFile { revokedInFile = at }
        guard let revokedAt = [inStore, revokedInFile].compactMap({ $0 }).min() else { return nil }
        let t = RFC3339.format(revokedAt)
        if revokedAt <= signedAt {
            return .untrustedKey(kid: kid, reason: LocalizedText(
                de: "laut Trust-Store-Datei seit \(t) widerrufen, vor der Unterschrift des Dokuments",
                en: "revoked at \(t) by the trust store file, before the document was signed"))
        }
        guard revokedAt <= (recordedAt ?? now) else { return nil }
        guard let recordedAt else {
            return .untrustedKey(kid: kid, reason: LocalizedText(
                de: "widerrufen am \(t); ein Dokument, das diese Installation nicht vor dem Widerruf erfasst hat, gilt nicht: wer den Schlüssel hat, kann jedes Datum eintragen",
                en: "revoked at \(t); a document this installation had not recorded before the revocation is not trusted: whoever holds the key can sign with any date"))
        }
        return .untrustedKey(kid: kid, reason: LocalizedText(
            de: "widerrufen am \(t); diese Installation hat das Dokument erst am \(RFC3339.format(recordedAt)) erfasst: einem widerrufenen Schlüssel wird nur vertraut, was vor dem Widerruf erfasst war, denn wer den Schlüssel hat, kann jedes Datum eintragen",
            en: "revoked at \(t); this installation recorded the document only at \(RFC3339.format(recordedAt)): a revoked key is trusted only for what was recorded before the revocation, since whoever holds the key can sign with any date"))
    }

    /// Hits, misses and size of the verification cache.
    public var cacheStatistics: VerificationCacheStatistics { cache.statistics }

    static func relationFailures(_ w: ConsentWithdrawal, _ consent: ConsentDeclaration) -> [ConsentError] {
        var out: [ConsentError] = []
        if w.consentID != consent.id {
            out.append(.invalidValue(document: .withdrawal, field: "consent", value: w.consentIDText,
                                     reason: .init(de: "nennt eine andere Einwilligung als \(consent.idText)",
                                                   en: "names another consent than \(consent.idText)")))
        }
        if w.subject != consent.subject {
            out.append(.withdrawalSubjectMismatch(id: consent.idText, consentSubject: consent.subject, withdrawalSubject: w.subject))
        }
        if w.withdrawnAt < consent.grantedAt {
            out.append(.withdrawalBeforeGrant(id: consent.idText, withdrawnAt: w.withdrawnAt, grantedAt: consent.grantedAt))
        }
        // A withdrawal of single clauses names only clauses the consent grants.
        for c in w.clauses ?? [] where !consent.clauses.contains(c) {
            out.append(.clauseNotGranted(id: consent.idText, clause: c, granted: consent.clauses))
        }
        return out
    }

    /// Envelope, strict payload, signature with a trusted key at the document's signing time, then
    /// `contentRules`. Every failure is collected; integrity failures first.
    static func verifyEnvelope<C: SignedPayload>(_ bytes: [UInt8], trustStore: TrustStore,
                                                 contentRules: (C) -> [ConsentError]) -> VerificationResult<C> {
        let doc: SignedDocument<C>
        do { doc = try SignedDocument<C>(bytes: bytes) } catch {
            // A payload that does not read under a signature that does not hold is an edited document: that comes
            // first (integrity, exit 4), as for an edit that still reads (found in a review: a hand-edited payload that
            // was no JSON any more was exit 3, "invalid input", while any other edit was exit 4).
            if error.category == .invalidInput, let edited = brokenSignature(bytes, trustStore: trustStore, document: C.documentKind) {
                return .invalid(failures: [edited, error], document: nil)
            }
            return .invalid(failures: [error], document: nil)
        }
        var failures: [ConsentError] = []
        do { try trustStore.verify(doc.jws, role: .consentSigner, signedAt: doc.content.signedAt) } catch let e as SigningError {
            failures.append(.from(signing: e, document: C.documentKind, kid: doc.kid))
        } catch {
            failures.append(.signatureInvalid(kid: doc.kid, reason: ConsentError.untranslated(String(describing: error))))
        }
        failures += contentRules(doc.content)
        return failures.isEmpty ? .valid(doc) : .invalid(failures: failures, document: doc)
    }

    /// `signatureInvalid` when `bytes` is a JWS whose header names a key of `trustStore` and whose signature does not
    /// verify with it (whatever the key's window: a broken signature is broken at any time); nil when it verifies, the
    /// key is unknown, or it is no JWS at all.
    static func brokenSignature(_ bytes: [UInt8], trustStore: TrustStore, document: ConsentDocumentKind) -> ConsentError? {
        guard let jws = try? JWS(flattened: bytes), let kid = jws.header.kid,
              let key = trustStore.entries.first(where: { $0.kid == kid })?.publicKey else { return nil }
        do { try jws.verify(with: key); return nil } catch {
            return .signatureInvalid(kid: kid, reason: LocalizedText(de: "die Signatur passt nicht zum Inhalt (der Inhalt wurde verändert)",
                                                                     en: "the signature does not match the content (the content was changed)"))
        }
    }
}

/// What the trust store file, re-read by a long-running process, says of a key the process's store holds.
public enum KeyInFile: Sendable, Equatable {
    /// The file revokes it from this time.
    case revoked(Date)
    /// The file no longer lists it.
    case removed
}

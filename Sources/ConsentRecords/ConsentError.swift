import Diagnostics
import Foundation
import Signing
import StoreDiagnostics

/// Which signed document an error is about.
public enum ConsentDocumentKind: String, Sendable, Equatable, Hashable {
    case consent
    case withdrawal

    /// The JWS `typ` this kind of document must carry.
    public var jwsType: String {
        switch self {
        case .consent: return "consentgate-consent+json"
        case .withdrawal: return "consentgate-withdrawal+json"
        }
    }

    /// Whether a JWS `typ` names this kind. RFC 7515 §4.1.9: a value without `/` stands for `application/` plus the
    /// value, and media type names compare case-insensitively (RFC 6838 §4.2), so `application/consentgate-consent+json`
    /// and `Consentgate-Consent+JSON` are `consentgate-consent+json`. Signing always writes the short form (`jwsType`).
    public func isNamed(byType typ: String?) -> Bool {
        guard let typ else { return false }
        let lower = typ.lowercased()
        return lower == jwsType || lower == "application/" + jwsType
    }

    /// The kind a JWS `typ` names (see `isNamed(byType:)`), or nil.
    public static func named(byType typ: String?) -> ConsentDocumentKind? {
        [ConsentDocumentKind.consent, .withdrawal].first { $0.isNamed(byType: typ) }
    }

    func name(in language: Language) -> String {
        switch (self, language) {
        case (.consent, .de): return "Einwilligung"
        case (.consent, .en): return "consent"
        case (.withdrawal, .de): return "Widerruf"
        case (.withdrawal, .en): return "withdrawal"
        }
    }
}

/// Everything that can go wrong with a consent record, in German and English, naming the field or record.
///
/// Envelope failures (malformed JWS, wrong `typ`, untrusted key, bad signature) are integrity failures
/// (exit 4); a file that is not a JWS at all (`notAJWS`), a payload or store content that breaks the rules is invalid input (exit 3); the database
/// failing is a storage failure (exit 5).
public enum ConsentError: UserFacingError, Equatable, Hashable {
    // MARK: envelope (exit 4)
    /// The bytes are not an acceptable flattened JWS.
    case malformedJWS(document: ConsentDocumentKind, reason: LocalizedText)
    /// The protected header's `typ` is not the one this document must have.
    case wrongType(document: ConsentDocumentKind, found: String?)
    /// The signing key is unknown, lacks the `consent-signer` role, or was not valid at signing time.
    case untrustedKey(kid: String, reason: LocalizedText)
    /// The signature does not verify with the trusted key.
    case signatureInvalid(kid: String, reason: LocalizedText)
    /// Signing failed (an OpenSSL or key problem).
    case signingFailed(reason: String)
    /// The withdrawal on record (of `withdrawnAt`, when it reads) fails for `failure`, e.g. its own signing key was
    /// revoked. Said of the withdrawal, since `failure` alone ("signing key … is not trusted") reads as if it were about
    /// the consent, whose key is another (found in a key review). Same category as `failure`.
    indirect case withdrawalFails(withdrawnAt: Date?, failure: ConsentError)

    // MARK: payload content (exit 3)
    /// The bytes are not a JWS at all: not JSON, or JSON that is not an object with `protected`, `payload` and
    /// `signature` (a wrong file, not a document whose integrity failed).
    case notAJWS(reason: LocalizedText)
    /// The payload is not strict JSON (offset in bytes).
    case payloadNotJSON(document: ConsentDocumentKind, offset: Int, reason: String)
    /// The payload's fields are in order, but it is larger than a payload may be (`size` and `limit` in bytes).
    case payloadTooLarge(document: ConsentDocumentKind, size: Int, limit: Int)
    /// The payload has a member this format does not define.
    case unknownMember(document: ConsentDocumentKind, field: String)
    /// A required member is absent.
    case missingMember(document: ConsentDocumentKind, field: String)
    /// A member has the wrong JSON type.
    case wrongMemberType(document: ConsentDocumentKind, field: String, expected: String, found: String)
    /// A member's value is not acceptable.
    case invalidValue(document: ConsentDocumentKind, field: String, value: String, reason: LocalizedText)
    /// The payload's format version is not one this ConsentGate reads.
    case unsupportedVersion(document: ConsentDocumentKind, field: String, found: Int)
    /// No template with this id in the policy bundle.
    case unknownTemplate(id: String)
    /// The template exists, but not in this version.
    case unknownTemplateVersion(id: String, version: Int, known: [Int])
    /// The template has no text in the declared language.
    case languageNotInTemplate(language: String, template: String, available: [String])
    /// A granted clause id is not a clause of the template.
    case clauseNotInTemplate(clause: String, template: String, version: Int)
    /// `expires-at` is not after `granted-at`.
    case expiryNotAfterGrant(grantedAt: Date, expiresAt: Date)
    /// `expires-at` lies beyond `granted-at` plus the template's `max-validity`.
    case validityExceedsMaximum(expiresAt: Date, latest: Date, maxValidity: String)
    /// The subject was below the template's minimum age at `granted-at` and no guardian is recorded.
    case guardianMissing(subject: String, age: Int, minimumAge: Int)
    /// No guardian is recorded and the subject's birth date is not known, so the template's minimum age cannot be
    /// checked: the consent counts once the birth date is (`ConsentState.needsBirthDate`). Named beside a check's
    /// `consent-invalid`, which said nothing more (a domain review).
    case birthDateUnknown(subject: String, minimumAge: Int)
    /// `granted-at` lies after the time of the check.
    case grantedInFuture(grantedAt: Date, now: Date)
    /// `withdrawn-at` lies after the time of the check.
    case withdrawnInFuture(withdrawnAt: Date, now: Date)

    // MARK: store (exit 3, storage failures exit 5)
    /// A consent with this id is already stored (a grant never overwrites).
    case duplicateConsent(id: String)
    /// No consent with this id is stored.
    case unknownConsent(id: String)
    /// The withdrawal's time lies before the consent's `granted-at`.
    case withdrawalBeforeGrant(id: String, withdrawnAt: Date, grantedAt: Date)
    /// The withdrawal names another subject than the consent it withdraws.
    case withdrawalSubjectMismatch(id: String, consentSubject: String, withdrawalSubject: String)
    /// A withdrawal of single clauses names a clause the consent does not grant.
    case clauseNotGranted(id: String, clause: String, granted: [String])
    /// A withdrawal of single clauses names a clause an earlier withdrawal of the consent already withdrew.
    case clauseAlreadyWithdrawn(id: String, clause: String, withdrawnAt: Date)
    /// A withdrawal of single clauses after the whole consent was withdrawn (nothing is left to withdraw).
    case consentAlreadyWithdrawn(id: String, clause: String, withdrawnAt: Date)
    /// A withdrawal of single clauses that names none (without clauses, the whole consent is withdrawn).
    case noClausesNamed(id: String)
    /// A different signed document with the same id is already stored.
    case conflictingRecord(id: String, document: ConsentDocumentKind)
    /// The stored row for this consent could not be read back.
    case corruptRow(id: String, reason: LocalizedText)
    /// The database failed while the store did `operation`.
    case storage(operation: ConsentStoreOperation, reason: StorageFailureReason)
    /// An export file (or folder) could not be written (exit 5).
    case file(path: String, reason: LocalizedText)
    /// A file the user named to be read (a document to import or verify, the evidence scan) is missing,
    /// unreadable or too large: wrong input, not a storage failure (exit 3).
    case unreadableInput(path: String, reason: LocalizedText)

    // MARK: printable form (exit 3)
    /// The form is not available in this language.
    case formLanguageUnsupported(language: String, supported: [String])

    public var category: ProblemCategory {
        switch self {
        case .withdrawalFails(_, let failure): return failure.category
        case .malformedJWS, .wrongType, .untrustedKey, .signatureInvalid, .signingFailed, .corruptRow: return .integrity
        case .storage, .file: return .storage
        default: return .invalidInput
        }
    }

    public func message(in language: Language) -> String {
        ConsentErrorMessages.message(for: self, in: language)
    }
}

extension ConsentError: CustomStringConvertible {
    /// The English message (for logs and test output).
    public var description: String { message(in: .en) }
}

extension ConsentError {
    /// The reason given when a key id is not in the trust store at all.
    static let notInTrustStore = LocalizedText(de: "nicht im Trust-Store", en: "not in the trust store")

    /// Maps a `Signing` failure of a JWS to the consent vocabulary.
    static func from(signing error: SigningError, document: ConsentDocumentKind, kid: String?) -> ConsentError {
        switch error {
        case .malformedJWS(let reason): return .malformedJWS(document: document, reason: localized(reason))
        case .unknownKey(let k): return .untrustedKey(kid: k, reason: notInTrustStore)
        case .keyNotTrusted(let k, let reason): return .untrustedKey(kid: k, reason: localized(reason))
        case .signatureInvalid(let reason): return .signatureInvalid(kid: kid ?? "?", reason: localized(reason))
        default: return .signatureInvalid(kid: kid ?? "?", reason: localized(error))
        }
    }

    // `SigningError` carries its reasons as `LocalizedText` or, in older builds, as `String`; these
    // overloads accept either, so this module does not depend on which.
    static func localized(_ text: LocalizedText) -> LocalizedText { text }
    static func localized(_ text: String) -> LocalizedText { LocalizedText(de: text, en: text) }
    static func localized(_ error: SigningError) -> LocalizedText {
        LocalizedText(de: error.message(in: .de), en: error.message(in: .en))
    }
    /// A reason in one language only (e.g. from a library that speaks English).
    static func untranslated(_ text: String) -> LocalizedText { LocalizedText(de: text, en: text) }
}

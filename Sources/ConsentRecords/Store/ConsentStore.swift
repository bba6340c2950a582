import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing
import StoreDiagnostics

/// The consent store: signed consents and withdrawals in the application's SQLite database (through GRDB),
/// verified before they are stored and re-verified every time they are used.
///
/// Every write runs in one IMMEDIATE transaction, so concurrent grants and withdrawals (threads or
/// processes, each with its own `DatabasePool` on the same file) serialize without losing anything.
/// Nothing is ever updated or deleted: a grant inserts, a withdrawal inserts beside it.
public struct ConsentStore: Sendable {
    /// The database (the application's `DatabasePool`; migrated with `ConsentSchema`).
    public let database: any DatabaseWriter
    /// The verifier used on every write and read (its cache makes repeated checks cheap).
    public let verifier: ConsentVerifier

    /// A store over `database`, which must be migrated with `ConsentSchema`; `verifier` decides what it accepts.
    public init(database: any DatabaseWriter, verifier: ConsentVerifier) {
        self.database = database
        self.verifier = verifier
    }

    // MARK: grant

    /// Verifies `consent` fully at `now` and stores it. A consent id that is already stored is an error
    /// (`duplicateConsent`), even for the very same document: a grant never overwrites.
    @discardableResult
    public func grant(_ consent: SignedConsent, subjectBirthDate: Date? = nil, now: Date = Date()) throws(ConsentError) -> StoredConsent {
        let verified = try verifier.verifyConsent(consent.bytes, now: now, subjectBirthDate: subjectBirthDate).get()
        return try write(.grant) { db in
            if try ConsentRows.consent(db, id: verified.content.idText) != nil {
                throw ConsentError.duplicateConsent(id: verified.content.idText)
            }
            return try ConsentRows.insert(db, consent: verified, recordedAt: now)
        }
    }

    /// `grant`, with `alongside` run in the same write transaction right after the insert: what the caller
    /// records with the consent (the person's attributes, the `consent-granted` audit entry) commits or rolls
    /// back with it, so a crash can never leave one without the other. Errors of `alongside` pass unchanged.
    public func grant<T: Sendable>(_ consent: SignedConsent, subjectBirthDate: Date? = nil, now: Date = Date(),
                                   alongside: @escaping @Sendable (Database, StoredConsent) throws -> T) throws -> (StoredConsent, T) {
        let verified = try verifier.verifyConsent(consent.bytes, now: now, subjectBirthDate: subjectBirthDate).get()
        return try writeAlongside(.grant) { db in
            if try ConsentRows.consent(db, id: verified.content.idText) != nil {
                throw ConsentError.duplicateConsent(id: verified.content.idText)
            }
            let stored = try ConsentRows.insert(db, consent: verified, recordedAt: now)
            return (stored, try CallerPart.run { try alongside(db, stored) })
        }
    }

    // MARK: withdraw

    /// Withdraws consent `consentID` as of `at`: signs a withdrawal with `key` and stores it. `clauses` nil withdraws
    /// the whole consent; otherwise those clauses only (sorted and each once in the signed document), which must be
    /// granted by the consent and not yet withdrawn (`WithdrawalRules`). A withdrawal of the whole consent is
    /// idempotent: if the consent is already withdrawn as a whole (or every clause is), nothing is signed or changed
    /// and the withdrawal that ended it is returned as `.alreadyWithdrawn`. Errors: unknown id, `at` before the grant,
    /// `at` after `now`, and the refusals of `WithdrawalRules` (nothing stored).
    public func withdraw(consentID: String, at: Date, clauses: [String]? = nil, recordedBy: CaseManagerReference, key: PrivateKey,
                         now: Date = Date()) throws(ConsentError) -> WithdrawalOutcome {
        let id = try ConsentID.normalized(consentID)
        return try write(.withdraw) { db in
            guard let row = try ConsentRows.consent(db, id: id) else { throw ConsentError.unknownConsent(id: id) }
            if let ended = try WithdrawalRules.admit(clauses, to: row) { return .alreadyWithdrawn(ended) }
            let w = ConsentWithdrawal(consentID: UUID(uuidString: id)!, subject: row.subject, withdrawnAt: at, recordedBy: recordedBy,
                                      clauses: clauses.map(WithdrawalRules.normalized))
            let signed = try w.signed(with: key)
            return .recorded(try storeWithdrawal(db, signed, consent: row, now: now))
        }
    }

    /// `withdraw(consentID:at:clauses:recordedBy:key:now:)`, with `alongside` run in the same write transaction when
    /// a new withdrawal is stored (not when the consent was already withdrawn), with the withdrawal and the
    /// consent's row: its audit entry commits or rolls back with it. Errors of `alongside` pass unchanged.
    public func withdraw<T: Sendable>(consentID: String, at: Date, clauses: [String]? = nil, recordedBy: CaseManagerReference,
                                      key: PrivateKey, now: Date = Date(),
                                      alongside: @escaping @Sendable (Database, StoredWithdrawal, StoredConsent) throws -> T) throws -> (WithdrawalOutcome, T?) {
        let id = try ConsentID.normalized(consentID)
        return try writeAlongside(.withdraw) { db in
            guard let row = try ConsentRows.consent(db, id: id) else { throw ConsentError.unknownConsent(id: id) }
            if let ended = try WithdrawalRules.admit(clauses, to: row) { return (WithdrawalOutcome.alreadyWithdrawn(ended), nil) }
            let w = ConsentWithdrawal(consentID: UUID(uuidString: id)!, subject: row.subject, withdrawnAt: at, recordedBy: recordedBy,
                                      clauses: clauses.map(WithdrawalRules.normalized))
            let stored = try storeWithdrawal(db, try w.signed(with: key), consent: row, now: now)
            return (.recorded(stored), try CallerPart.run { try alongside(db, stored, row) })
        }
    }

    /// Stores an already signed withdrawal (verified first), under the rules of `withdraw(consentID:…)`.
    public func withdraw(_ withdrawal: SignedWithdrawal, now: Date = Date()) throws(ConsentError) -> WithdrawalOutcome {
        let id = withdrawal.content.consentIDText
        return try write(.withdraw) { db in
            guard let row = try ConsentRows.consent(db, id: id) else { throw ConsentError.unknownConsent(id: id) }
            if let ended = try WithdrawalRules.admit(withdrawal.content.clauses, to: row) { return .alreadyWithdrawn(ended) }
            return .recorded(try storeWithdrawal(db, withdrawal, consent: row, now: now))
        }
    }

    /// Verifies a withdrawal against the stored consent row and inserts it.
    private func storeWithdrawal(_ db: Database, _ w: SignedWithdrawal, consent row: StoredConsent, now: Date) throws -> StoredWithdrawal {
        let checked = try verifier.verifyWithdrawal(w.bytes, now: now).get()
        let c = checked.content
        if c.withdrawnAt < row.grantedAt {
            throw ConsentError.withdrawalBeforeGrant(id: row.id, withdrawnAt: c.withdrawnAt, grantedAt: row.grantedAt)
        }
        if c.subject != row.subject {
            throw ConsentError.withdrawalSubjectMismatch(id: row.id, consentSubject: row.subject, withdrawalSubject: c.subject)
        }
        return try ConsentRows.insert(db, withdrawal: checked, recordedAt: now)
    }

    // MARK: read

    /// The stored record (with its withdrawals), or nil.
    public func record(id: String) throws(ConsentError) -> StoredConsent? {
        let id = try ConsentID.normalized(id)
        return try read(.show) { db in try ConsentRows.consent(db, id: id) }
    }

    /// The record re-verified (`consent show`); `unknownConsent` when absent.
    public func show(id: String, now: Date = Date(), subjectBirthDate: Date? = nil) throws(ConsentError) -> ConsentStatus {
        guard let r = try record(id: id) else { throw .unknownConsent(id: id) }
        return verifier.status(of: r, now: now, subjectBirthDate: subjectBirthDate)
    }

    /// Whether any consent of `subject` is stored (one indexed look-up, nothing verified): the municipality rule asks it
    /// of a person with no person record, whose consents may have been imported from another installation.
    public func hasConsents(subject: String) throws(ConsentError) -> Bool {
        if subject.utf8.contains(0) { return false }
        return try read(.list) { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM consent WHERE subject = ?)", arguments: [subject]) ?? false
        }
    }

    /// Every consent of `subject`, oldest grant first, re-verified (`consent list`); use
    /// `state(at:)` on each for active / expired / withdrawn / invalid. A row that cannot even be read is
    /// listed as invalid (its `failures` say which column), never skipped.
    public func list(subject: String, now: Date = Date(), subjectBirthDate: Date? = nil) throws(ConsentError) -> [ConsentStatus] {
        let rows = try read(.list) { [self] db in try self.rows(db, subject: subject) }
        return statuses(of: rows, now: now, subjectBirthDate: subjectBirthDate)
    }

    /// The facts the evaluator decides with for `subject`: every stored consent, re-verified (signature,
    /// trust, content) on each call — cheaply, through the verifier's cache. A record that fails gives a
    /// fact with `verification: .invalid(reason:)`.
    public func facts(subject: String, now: Date = Date(), subjectBirthDate: Date? = nil) throws(ConsentError) -> [ConsentFact] {
        try list(subject: subject, now: now, subjectBirthDate: subjectBirthDate).map(\.fact)
    }

    // MARK: export and import

    /// The signed documents of consent `id`, verbatim, to move them to another installation.
    public func export(id: String) throws(ConsentError) -> ConsentExport {
        guard let r = try record(id: id) else { throw .unknownConsent(id: id) }
        return ConsentExport(consentID: r.id, consent: r.jws, withdrawals: r.withdrawals.map(\.jws))
    }

    /// Imports one signed document (a consent or a withdrawal, told apart by its `typ`): verifies it, then
    /// stores it. The same document twice is `.alreadyPresent` (also with other valid signature bytes over the
    /// same header and payload, as ECDSA gives); a different document with the same id is `conflictingRecord`.
    /// A withdrawal needs its consent imported first.
    public func importDocument(_ bytes: [UInt8], subjectBirthDate: Date? = nil, now: Date = Date()) throws(ConsentError) -> ImportOutcome {
        try write(.import, try importing(bytes, subjectBirthDate: subjectBirthDate, now: now))
    }

    /// `importDocument`, with `alongside` run in the same write transaction for every outcome, with the
    /// consent's row as stored after the import: what the caller records with it (the audit entry of a new
    /// document, the person's birth date) commits or rolls back with it. Errors of `alongside` pass unchanged.
    public func importDocument<T: Sendable>(_ bytes: [UInt8], subjectBirthDate: Date? = nil, now: Date = Date(),
                                            alongside: @escaping @Sendable (Database, ImportOutcome, StoredConsent) throws -> T) throws -> (ImportOutcome, T) {
        let body = try importing(bytes, subjectBirthDate: subjectBirthDate, now: now)
        return try writeAlongside(.import) { db in
            let outcome = try body(db)
            guard let row = try ConsentRows.consent(db, id: outcome.consentID) else { throw ConsentError.unknownConsent(id: outcome.consentID) }
            return (outcome, try CallerPart.run { try alongside(db, outcome, row) })
        }
    }

    /// Verifies the document (outside any transaction) and gives the transaction body that stores it.
    private func importing(_ bytes: [UInt8], subjectBirthDate: Date?, now: Date) throws(ConsentError) -> @Sendable (Database) throws -> ImportOutcome {
        switch try ConsentExport.kind(of: bytes) {
        case .consent:
            let verified = try verifier.verifyConsent(bytes, now: now, subjectBirthDate: subjectBirthDate).get()
            let id = verified.content.idText
            return { db in
                if let existing = try ConsentRows.consent(db, id: id) {
                    // Both verified (the stored one when it was stored): the same header and payload is the same
                    // consent, even with other (randomised or high-S) ECDSA signature bytes.
                    guard (try? SignedConsent(bytes: existing.jws))?.isSameStatement(as: verified) == true else {
                        throw ConsentError.conflictingRecord(id: id, document: .consent)
                    }
                    return .alreadyPresent(.consent, consentID: id)
                }
                _ = try ConsentRows.insert(db, consent: verified, recordedAt: now)
                return .imported(.consent, consentID: id)
            }
        case .withdrawal:
            let parsed = try SignedWithdrawal(bytes: bytes)
            let id = parsed.content.consentIDText
            return { [self] db in
                guard let row = try ConsentRows.consent(db, id: id) else { throw ConsentError.unknownConsent(id: id) }
                let stored = row.withdrawals.compactMap { try? SignedWithdrawal(bytes: $0.jws) }
                if stored.contains(where: { $0.isSameDocument(as: parsed) }) { return .alreadyPresent(.withdrawal, consentID: id) }
                // Other signature bytes over the same statement: the same withdrawal once its signature verifies.
                if stored.contains(where: { $0.isSameStatement(as: parsed) }) {
                    _ = try verifier.verifyWithdrawal(parsed.bytes, now: now).get()
                    return .alreadyPresent(.withdrawal, consentID: id)
                }
                // Its signature and trust first: an integrity failure is reported before the rules (a forged withdrawal
                // read "a different signed document with this id is already stored", exit 3: a consent review).
                _ = try verifier.verifyWithdrawal(parsed.bytes, now: now).get()
                // Another withdrawal of the whole consent when one is stored is another document with its id (as before
                // withdrawals of single clauses existed); the rest is held to the rules of a withdrawal made here.
                if parsed.content.isWhole, row.wholeWithdrawal != nil { throw ConsentError.conflictingRecord(id: id, document: .withdrawal) }
                if parsed.content.isWhole, try WithdrawalRules.admit(nil, to: row) != nil {
                    throw ConsentError.conflictingRecord(id: id, document: .withdrawal)
                }
                if !parsed.content.isWhole { _ = try WithdrawalRules.admit(parsed.content.clauses, to: row) }
                _ = try storeWithdrawal(db, parsed, consent: row, now: now)
                return .imported(.withdrawal, consentID: id)
            }
        }
    }

    // MARK: database access

    private func write<T: Sendable>(_ operation: ConsentStoreOperation, _ body: @Sendable (Database) throws -> T) throws(ConsentError) -> T {
        do { return try database.write(body) } catch let e as ConsentError { throw e } catch {
            throw .storage(operation: operation, reason: StorageFailureReason(error))
        }
    }

    /// A write transaction whose body also runs the caller's code: the store's own errors and every
    /// user-facing error pass unchanged; anything else (SQLite) becomes `storage`.
    private func writeAlongside<T: Sendable>(_ operation: ConsentStoreOperation, _ body: @escaping @Sendable (Database) throws -> T) throws -> T {
        do { return try database.write(body) } catch let e as CallerPart { throw e.error } catch let e as any UserFacingError {
            throw e
        } catch {
            throw ConsentError.storage(operation: operation, reason: StorageFailureReason(error))
        }
    }

    /// Carries an error of the caller's part out of the transaction untouched.
    private struct CallerPart: Error {
        let error: any Error
        static func run<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch { throw CallerPart(error: error) }
        }
    }

    private func read<T: Sendable>(_ operation: ConsentStoreOperation, _ body: @Sendable (Database) throws -> T) throws(ConsentError) -> T {
        do { return try database.read(body) } catch let e as ConsentError { throw e } catch {
            throw .storage(operation: operation, reason: StorageFailureReason(error))
        }
    }
}

/// What `withdraw` did.
public enum WithdrawalOutcome: Sendable, Equatable {
    /// A new withdrawal was signed (or taken) and stored.
    case recorded(StoredWithdrawal)
    /// The consent was already withdrawn as a whole (a withdrawal of the whole consent was asked for); this is the
    /// withdrawal that ended it (of the whole consent, or of its last clauses), unchanged.
    case alreadyWithdrawn(StoredWithdrawal)

    /// The withdrawal in force, either way.
    public var withdrawal: StoredWithdrawal {
        switch self {
        case .recorded(let w), .alreadyWithdrawn(let w): return w
        }
    }
}

/// What `importDocument` did.
public enum ImportOutcome: Sendable, Equatable {
    /// The document was verified and stored.
    case imported(ConsentDocumentKind, consentID: String)
    /// The very same document was already stored; nothing changed.
    case alreadyPresent(ConsentDocumentKind, consentID: String)

    /// The consent the document belongs to.
    public var consentID: String {
        switch self { case .imported(_, let id), .alreadyPresent(_, let id): id }
    }
}

/// Consent ids as the store keys them.
enum ConsentID {
    /// The lower-case form of a UUID, or `invalidValue` naming the `id`.
    static func normalized(_ text: String) throws(ConsentError) -> String {
        guard text.count == 36, let u = UUID(uuidString: text) else {
            throw .invalidValue(document: .consent, field: "id", value: text,
                                reason: .init(de: "keine UUID", en: "not a UUID"))
        }
        return u.uuidString.lowercased()
    }
}

import ConsentRecords
import Diagnostics
import Foundation
import GRDB

/// The stored data one decision is made from: the subject row, the subject's consent rows, and the change counter,
/// all read in ONE read transaction, so they are one state of the database.
///
/// Read separately, a consent granted or withdrawn (or the person's record changed) between the reads could give a
/// decision that matches no state the database was ever in: the subject as it was before a change, the consents as
/// they were after it. The counter read in the same transaction says exactly which state this is, so the read
/// cache can keep the set under that value and no other (`GateReadCache.decisionInputs`).
struct DecisionInputs: Sendable {
    /// The subject as stored (nil: not recorded).
    var subject: Subject?
    /// The subject's consent rows, not yet verified.
    var consents: SubjectConsentRows
    /// `gate_change_counter.version` in the same transaction (nil: the counter cannot be read).
    var version: Int64?

    /// Reads the inputs of a decision about `subject` in one read transaction of the store's pool.
    static func read(subject: String, subjects: SubjectStore, consents: ConsentStore) throws -> DecisionInputs {
        try GateError.requireNoNUL(subject, field: "subject")
        do {
            return try subjects.writer.read { db in
                DecisionInputs(subject: try SubjectStore.fetch(db, id: subject),
                               consents: try consents.rows(db, subject: subject),
                               version: try? ChangeCounter.version(db))
            }
        } catch let error as ConsentError { throw error } catch {
            throw StorageError.wrapping(error, operation: .init(de: "Person \(subject) und ihre Einwilligungen lesen", en: "read subject \(subject) and consents"))
        }
    }

    /// Whether `other` holds the same person row and the same consent rows (the counter aside).
    func sameRows(as other: DecisionInputs) -> Bool { subject == other.subject && consents == other.consents }

    /// A look, inside the audit write's transaction, at whether the decision made from `self` still rests on the
    /// store as it is now (`Gate.checkConcurrently`): true at once when the change counter is the one the inputs were
    /// read at, else when the person's row and consent rows, read again in that transaction, are unchanged.
    func stillCurrent(subject id: String, consents store: ConsentStore) -> DecisionAdmission {
        { db, counter in
            if let version, version == counter { return true }
            return sameRows(as: DecisionInputs(subject: try SubjectStore.fetch(db, id: id), consents: try store.rows(db, subject: id), version: counter))
        }
    }
}

/// Whether a decision entry may still be appended, asked inside the audit write's transaction with the change counter
/// as that transaction sees it (nil: it cannot be read).
typealias DecisionAdmission = @Sendable (Database, Int64?) throws -> Bool

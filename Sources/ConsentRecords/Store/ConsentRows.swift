import Diagnostics
import Foundation
import GRDB
import StoreDiagnostics

/// The SQL of the consent store, in one place.
enum ConsentRows {
    /// The order of a consent's withdrawals: by time, then as stored.
    static let withdrawalOrder = "ORDER BY withdrawn_at, rowid"

    /// The consent row `id` with its withdrawals, or nil.
    static func consent(_ db: Database, id: String) throws -> StoredConsent? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM consent WHERE id = ?", arguments: [id]) else { return nil }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM consent_withdrawal WHERE consent_id = ? \(withdrawalOrder)", arguments: [id])
        var withdrawals: [StoredWithdrawal] = []
        for r in rows { withdrawals.append(try StoredWithdrawal(row: r)) }
        return try StoredConsent(row: row, withdrawals: withdrawals)
    }

    /// Every consent row of `subject` with its withdrawals, ordered by grant time, then id. A row that cannot
    /// be read (a column altered to a value of the wrong kind) comes back as `.corrupt`, so one bad row
    /// never hides the others from a decision.
    static func consents(_ db: Database, subject: String) throws -> [StoredRow] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM consent WHERE subject = ? ORDER BY granted_at, id", arguments: [subject])
        let wrows = try Row.fetchAll(db, sql: """
            SELECT w.* FROM consent_withdrawal w JOIN consent c ON c.id = w.consent_id WHERE c.subject = ?
            ORDER BY w.withdrawn_at, w.rowid
            """, arguments: [subject])
        var withdrawals: [String: [StoredWithdrawal]] = [:]
        var corruptWithdrawals: [String: ConsentError] = [:]
        for r in wrows {
            let id = RowReader(row: r, idColumn: "consent_id").id
            do throws(ConsentError) { withdrawals[id, default: []].append(try StoredWithdrawal(row: r)) } catch {
                if corruptWithdrawals[id] == nil { corruptWithdrawals[id] = error }
            }
        }
        return rows.map { r in
            let reader = RowReader(row: r, idColumn: "id")
            if let error = corruptWithdrawals[reader.id] {
                return .corrupt(id: reader.id, jws: try? reader.value("jws") as Data, error: error)
            }
            do throws(ConsentError) {
                return .stored(try StoredConsent(row: r, withdrawals: withdrawals[reader.id] ?? []))
            } catch {
                return .corrupt(id: reader.id, jws: try? reader.value("jws") as Data, error: error)
            }
        }
    }

    /// Inserts a verified consent; the JWS bytes go in verbatim.
    static func insert(_ db: Database, consent: SignedConsent, recordedAt: Date) throws -> StoredConsent {
        let d = consent.content
        try db.execute(sql: """
            INSERT INTO consent (id, subject, template_id, template_version, granted_at, expires_at, kid, jws, jws_sha256, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [d.idText, d.subject, d.template.id, d.template.version, StoredTime.text(d.grantedAt),
                             StoredTime.text(d.expiresAt), consent.kid, Data(consent.bytes), consent.digest,
                             StoredTime.text(recordedAt)])
        guard let stored = try Self.consent(db, id: d.idText) else {
            throw ConsentError.storage(operation: .grant, reason: .text(LocalizedText(
                de: "der Datensatz \(d.idText) ist nach dem Speichern nicht lesbar", en: "row \(d.idText) not readable after insert")))
        }
        return stored
    }

    /// Inserts a verified withdrawal; the JWS bytes go in verbatim.
    static func insert(_ db: Database, withdrawal: SignedWithdrawal, recordedAt: Date) throws -> StoredWithdrawal {
        let w = withdrawal.content
        try db.execute(sql: """
            INSERT INTO consent_withdrawal (consent_id, withdrawn_at, kid, jws, jws_sha256, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [w.consentIDText, StoredTime.text(w.withdrawnAt), withdrawal.kid, Data(withdrawal.bytes),
                             withdrawal.digest, StoredTime.text(recordedAt)])
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM consent_withdrawal WHERE consent_id = ? AND jws_sha256 = ?",
                                         arguments: [w.consentIDText, withdrawal.digest]) else {
            throw ConsentError.storage(operation: .withdraw, reason: .text(LocalizedText(
                de: "der Widerruf von \(w.consentIDText) ist nach dem Speichern nicht lesbar",
                en: "withdrawal of \(w.consentIDText) not readable after insert")))
        }
        return try StoredWithdrawal(row: row)
    }
}

/// A consent row as read for a subject: readable, or not (with what could be salvaged).
enum StoredRow: Sendable, Equatable {
    case stored(StoredConsent)
    case corrupt(id: String, jws: Data?, error: ConsentError)
}

import Diagnostics
import Foundation
import GRDB
import Signing

/// A consent row as stored: the indexed columns, and the signed JWS bytes verbatim (the evidence).
///
/// The columns serve look-ups only; every decision re-verifies `jws` and uses what the signed payload
/// says, so an altered column cannot change an outcome (it makes the record invalid instead).
public struct StoredConsent: Sendable, Equatable {
    /// Lower-case UUID.
    public var id: String
    /// The subject's case id, from the payload.
    public var subject: String
    /// The cited template id, from the payload.
    public var templateID: String
    /// The cited template version, from the payload.
    public var templateVersion: Int
    /// Start of validity (UTC, whole seconds), from the payload's `granted-at`.
    public var grantedAt: Date
    /// End of validity (UTC, whole seconds, exclusive), from the payload's `expires-at`.
    public var expiresAt: Date
    /// The signing key's id.
    public var kid: String
    /// The flattened JWS exactly as signed or imported.
    public var jws: [UInt8]
    /// `sha256:<hex>` of `jws` when it was stored.
    public var jwsSHA256: String
    /// When this installation stored the record.
    public var recordedAt: Date
    /// The stored withdrawals (of the whole consent, or of single clauses), earliest `withdrawn-at` first, then in
    /// the order stored; empty when none.
    public var withdrawals: [StoredWithdrawal]

    /// The withdrawal of the whole consent, if one is stored (the first, should the store ever hold more).
    public var wholeWithdrawal: StoredWithdrawal? { withdrawals.first { $0.isWhole } }

    /// The one withdrawal a consent had before withdrawals of single lines: now the withdrawal of the whole consent.
    /// Kept for code written against it (a branch merged later); it misses withdrawals of lines.
    @available(*, deprecated, message: "a consent may have several withdrawals: use withdrawals, wholeWithdrawal or withdrawnLines")
    public var withdrawal: StoredWithdrawal? { wholeWithdrawal }

    init(row: Row, withdrawals: [StoredWithdrawal]) throws(ConsentError) {
        let r = RowReader(row: row, idColumn: "id")
        id = r.id
        subject = try r.value("subject")
        templateID = try r.value("template_id")
        templateVersion = try r.value("template_version")
        grantedAt = try r.date("granted_at")
        expiresAt = try r.date("expires_at")
        kid = try r.value("kid")
        jws = [UInt8](try r.value("jws") as Data)
        jwsSHA256 = try r.value("jws_sha256")
        recordedAt = try r.date("recorded_at")
        self.withdrawals = withdrawals
    }
}

/// A withdrawal row: the withdrawn consent's id, the time, and the signed JWS verbatim. Which clauses it withdraws
/// (none named: the whole consent) is read from the signed payload (`clauses`), not from a column.
public struct StoredWithdrawal: Sendable, Equatable {
    /// The withdrawn consent's id (lower-case UUID).
    public var consentID: String
    /// From when the consent no longer counts (UTC, whole seconds, inclusive), from the payload's `withdrawn-at`.
    public var withdrawnAt: Date
    /// The id of the key that signed the withdrawal.
    public var kid: String
    /// The flattened JWS exactly as signed or imported.
    public var jws: [UInt8]
    /// `sha256:<hex>` of `jws` when it was stored.
    public var jwsSHA256: String
    /// When this installation stored the withdrawal (UTC, whole seconds); may differ from `withdrawnAt`.
    public var recordedAt: Date

    init(row: Row) throws(ConsentError) {
        let r = RowReader(row: row, idColumn: "consent_id")
        consentID = r.id
        withdrawnAt = try r.date("withdrawn_at")
        kid = try r.value("kid")
        jws = [UInt8](try r.value("jws") as Data)
        jwsSHA256 = try r.value("jws_sha256")
        recordedAt = try r.date("recorded_at")
    }

    /// The withdrawn clauses as the signed payload names them; nil for a withdrawal of the whole consent (or a JWS that
    /// does not read, which verification then reports).
    public var clauses: [String]? { (try? SignedWithdrawal(bytes: jws))?.content.clauses }

    /// Whether this withdraws the whole consent (its payload names no clauses).
    public var isWhole: Bool { clauses == nil }
}

/// Times in the store: RFC 3339 UTC text, so rows read the same in any SQLite tool.
enum StoredTime {
    static func text(_ date: Date) -> String { RFC3339.format(date.wholeSecond) }
}

/// Reads columns without trapping on a value of the wrong type (a row edited outside ConsentGate
/// must give an error naming the column, never a crash).
struct RowReader {
    let row: Row
    let id: String

    init(row: Row, idColumn: String) {
        self.row = row
        id = String.fromDatabaseValue(row[idColumn] as DatabaseValue) ?? "?"
    }

    func value<T: DatabaseValueConvertible>(_ column: String) throws(ConsentError) -> T {
        let raw: DatabaseValue = row.hasColumn(column) ? row[column] : .null
        guard let v = T.fromDatabaseValue(raw) else {
            throw .corruptRow(id: id, reason: LocalizedText(de: "Spalte \(column) enthält \(raw.storage), erwartet ist \(T.self)",
                                                     en: "column \(column) holds \(raw.storage) where \(T.self) is expected"))
        }
        return v
    }

    func date(_ column: String) throws(ConsentError) -> Date {
        let text: String = try value(column)
        guard let d = RFC3339.parse(text) else {
            throw .corruptRow(id: id, reason: LocalizedText(de: "Spalte \(column) ist kein RFC-3339-Zeitpunkt: \(text)",
                                                     en: "column \(column) is not an RFC 3339 time: \(text)"))
        }
        return d
    }
}

import AuditLog
import Foundation
import Gate
import Signing

/// An erasure notice due to a partner (GDPR Art. 19): an earlier export to it relied on a consent that
/// has since been withdrawn.
public struct DueNotice: Sendable, Equatable {
    /// The partner id to be told; it received data relying on the consent.
    public var partner: String
    /// The withdrawn consent's id (lower-case UUID).
    public var consentID: String
    /// The subject's case id, the `Fall-ID` of the notice row.
    public var subject: String
    /// When the withdrawal took effect (UTC), from the stored withdrawal.
    public var withdrawnAt: Date
    /// The withdrawn lines (clause ids) the partner received data under, when only lines of the consent are withdrawn;
    /// nil when the whole consent is.
    public var clauses: [String]? = nil
    /// The columns (the partner file's headers) that held what was passed on the consent (under `clauses`), so the
    /// partner knows what to erase; empty when the log names none.
    public var columns: [String] = []
}

/// Finding due erasure notices and writing them: `erasure-notices.csv` in the partner's run folder
/// (listed and signed in its manifest) and one `erasure-notice` audit entry each; once per (consent, partner, line):
/// a later withdrawal of further lines makes a new notice due for those lines only (`Gate.erasureDue`).
enum ErasureNotices {
    static let fileName = "erasure-notices.csv"
    static let header = ["Fall-ID", "Einwilligung", "Widerrufen am", "Hinweis"]
    static let note = "Einwilligung widerrufen: auf diese Einwilligung gestützt übermittelte Daten löschen (Art. 17, 19 DSGVO) / "
        + "Consent withdrawn: erase the data passed on this consent (GDPR Art. 17, 19)"

    /// The note of a withdrawal of single lines: only what was passed under them is to be erased.
    static func note(lines: [String]) -> String {
        let list = lines.joined(separator: ", ")
        return "Einzelne Zeilen der Einwilligung widerrufen (\(list)): auf diese Zeilen gestützt übermittelte Daten löschen, die übrigen Zeilen gelten weiter (Art. 17, 19 DSGVO) / "
            + "Single lines of the consent withdrawn (\(list)): erase the data passed under these lines; the other lines still hold (GDPR Art. 17, 19)"
    }

    /// Per partner, the notices due: relied-on consents that are withdrawn and not yet notified. For a consent of which
    /// only some lines (clauses) are withdrawn, only to a partner that received data under one of them, naming those of
    /// them no earlier notice named (`Gate.erasureDue`); `Widerrufen am` is the time of the earliest such withdrawal.
    static func due(gate: Gate, partners: [String]) throws -> [String: [DueNotice]] {
        var withdrawn: [String: Bool] = [:]
        var out: [String: [DueNotice]] = [:]
        for partner in partners {
            for r in try gate.exportLedger.unnotifiedReliance(partner: partner) {
                if withdrawn[r.consentID] == nil {
                    withdrawn[r.consentID] = try !(gate.consents.record(id: r.consentID)?.withdrawals.isEmpty ?? true)
                }
                if withdrawn[r.consentID] == true, let owed = try gate.erasureDue(consentID: r.consentID, subject: r.subject, partner: partner) {
                    let fields = try gate.fieldsReceived(consentID: r.consentID, subject: r.subject, partner: partner, clauses: owed.clauses)
                    out[partner, default: []].append(DueNotice(partner: partner, consentID: r.consentID, subject: r.subject,
                                                               withdrawnAt: owed.at, clauses: owed.clauses,
                                                               columns: fields.map { gate.policy.field($0)?.label.de ?? $0 }))
                }
            }
        }
        return out
    }

    /// Partners owed notices whom no export profile of the policy serves any more (the profile was removed after
    /// data went to them): the obligation stays (Art. 19 GDPR), so each still in the policy's partner catalog gets
    /// a notices-only plan (no columns; the purpose of its last export run), and its notices go out with this run
    /// like any partner's. `unknown`: the partners no longer in the catalog at all, whose folder nobody knows; their
    /// notices stay due and the summary names them. Only withdrawn consents count; `partners` are served already.
    static func unprofiled(gate: Gate, serving partners: Set<String>) throws -> (plans: [PartnerPlan], unknown: [String: Int]) {
        let policy = gate.policy
        let owed = try gate.exportLedger.partnersWithReliance().filter { !partners.contains($0) }
        guard !owed.isEmpty else { return ([], [:]) }
        let due = try due(gate: gate, partners: owed)
        var plans: [PartnerPlan] = [], unknown: [String: Int] = [:]
        for id in owed {
            guard let count = due[id]?.count, count > 0 else { continue }
            guard let partner = policy.bundle.partner(id) else { unknown[id] = count; continue }
            try SafeName.validate(partner.folder, kind: "partner folder")
            let runs = try gate.auditLog.entries(matching: AuditQuery(partner: id, kinds: [.exportRun]))
            var purpose = ""
            if case let .exportRun(r)? = runs.last?.entry.content { purpose = r.purpose }
            // Its `registrations.csv` has no rows and, so that it is still a CSV file a spreadsheet or a partner's
            // tooling reads, the case id column's header.
            let header = policy.field(ExportPlan.caseIDField)?.label.de ?? header[0]
            plans.append(PartnerPlan(profile: "", partner: id, folder: partner.folder, purpose: purpose, columns: [], labels: [header],
                                     prepared: policy.prepare(partner: id, purpose: purpose, fields: [])))
        }
        return (plans, unknown)
    }

    /// The notice as the ledger stages it and the audit log records it.
    static func ledgerNotice(_ n: DueNotice) -> ExportNotice {
        ExportNotice(partner: n.partner, consentID: n.consentID, subject: n.subject, clauses: n.clauses)
    }

    /// The notice's row in `erasure-notices.csv`.
    static func cells(_ n: DueNotice) -> [String] {
        [n.subject, n.consentID, RFC3339.format(n.withdrawnAt), note(n.clauses.map { note(lines: $0) } ?? note, columns: n.columns)]
    }

    /// `note` with the columns that held the data named in each language (found in a review from the partner's side,
    /// 2026-12-06: a line id such as `abh-integration` told the partner nothing of which of its columns to erase).
    static func note(_ note: String, columns: [String]) -> String {
        guard !columns.isEmpty, let split = note.range(of: " / ") else { return note }
        let list = columns.joined(separator: ", ")
        return note[..<split.lowerBound] + "; Spalten: \(list)" + " / " + note[split.upperBound...] + "; columns: \(list)"
    }
}

import AuditLog
import Foundation
import Gate
import PolicyEngine
import Signing

/// Deciding a slice of a chunk of records for every partner, without touching the run's shared state, so the
/// two halves of a chunk are decided on both cores at once (`RunContext.process`) and merged in record order:
/// the CSV rows already encoded, the staged records with their disclosure shape (an id the run knew before the
/// chunk, or the shape itself, numbered at the merge exactly as one pass in order would number it).
struct ChunkDecider: Sendable {
    let gate: Gate
    let plan: ExportPlan
    let policy: CompiledPolicy
    let options: ExportOptions
    let households: HouseholdSet
    let consentSubjects: Set<String>
    let attributeColumns: [(index: Int, field: String)]
    let columnIndexes: [[Int?]]
    let householdIndex: Int?

    /// What a slice needs of each partner run (read-only copies taken at the chunk's start).
    struct PartnerView: Sendable {
        let plan: PartnerPlan
        let compare: Bool
        let fingerprints: [String: UInt64]
        /// Subjects whose records go out even when unchanged (`PartnerRun.resend`).
        let resend: Set<String>
        /// Shape ids by the rules that released the columns (statute-only shapes known before the chunk).
        let knownShapes: [[Int32]: Int32]
        var fingerprinters: [UInt64: RecordFingerprint]
    }

    /// A staged record whose shape is either known (`record.shape`) or new (numbered at the merge).
    struct StagedDraft: Sendable {
        var record: ExportStagedRecord
        var newShape: (shape: DisclosureShape, rules: [Int32]?)?
    }

    /// One partner's part of a slice, in record order.
    struct PartnerSlice: Sendable {
        var csv: [UInt8] = []
        var rows = 0
        var drafts: [StagedDraft] = []
        var reliance: [ExportReliance] = []
        var records = 0
        var releasedColumns: [Bool]
        var fingerprinters: [UInt64: RecordFingerprint] = [:]
    }

    /// Decides `records` (with their merged `subjects`) for every partner in `views`.
    func decide(_ records: ArraySlice<RegistrationRecord>, subjects: ArraySlice<Subject>, views: [PartnerView]) throws -> [PartnerSlice] {
        var views = views
        var out = views.map { PartnerSlice(releasedColumns: Array(repeating: false, count: $0.plan.columns.count)) }
        let hasher = SHA256BufferHasher()
        var buffer: [UInt8] = []
        var outcomes = Array(repeating: PolicyEngine.FieldOutcome(), count: max(1, plan.partners.map(\.columns.count).max() ?? 1))
        let now = options.now
        // Per (record, partner) buffers, reused: the released values, the row's cells, the rule per column, and the rule
        // per column that passed a value (-1 also for a released but empty cell: no data went, so none is logged).
        var values: [String] = [], cells: [String] = [], rules: [Int32] = [], passed: [Int32] = []
        // Per partner: shapes of statute-only records made in this slice, by their rules (a shape depends only on them).
        var madeShapes: [[[Int32]: DisclosureShape]] = views.map { _ in [:] }
        for (record, subject) in zip(records, subjects) {
            var attrs = subject.attributes
            attrs.values.reserveCapacity(attributeColumns.count + 1)
            for (i, f) in attributeColumns {
                if let v = plan.attributeValue(field: f, cell: record.values[i]) { attrs.values[f] = v }
            }
            let household = ExportPlan.trimmed(householdIndex.map { record.values[$0] } ?? "")
            attrs.values["household-school-age-child"] = .bool(!household.isEmpty && households.contains(household))
            var facts: [ConsentFact]? = nil
            for k in views.indices {
                let p = views[k].plan
                guard policy.selects(export: p.profile, subject: attrs, at: now) else { continue }
                if facts == nil {
                    facts = consentSubjects.contains(subject.id)
                        ? try gate.consents.facts(subject: subject.id, now: now, subjectBirthDate: subject.birthDate) : []
                }
                policy.evaluate(p.prepared, subject: attrs, consents: facts!, at: now, into: &outcomes)
                let n = p.columns.count
                var mask: UInt64 = 0
                values.removeAll(keepingCapacity: true)
                cells.removeAll(keepingCapacity: true); cells.append(contentsOf: repeatElement("", count: n))
                rules.removeAll(keepingCapacity: true); rules.append(contentsOf: repeatElement(-1, count: n))
                passed.removeAll(keepingCapacity: true); passed.append(contentsOf: repeatElement(-1, count: n))
                var onConsent = false
                for c in 0..<n where outcomes[c].permitted {
                    let value = columnIndexes[k][c].map { record.values[$0] } ?? ""
                    cells[c] = value
                    values.append(value)
                    rules[c] = outcomes[c].rule
                    if c < 64 { mask |= 1 << UInt64(c) }
                    guard !value.isEmpty else { continue }
                    passed[c] = outcomes[c].rule
                    if outcomes[c].consent >= 0 { onConsent = true }
                }
                guard !values.isEmpty else { continue }           // nothing released: the record is left out
                let fingerprinter = Self.fingerprinter(&views[k], &out[k], mask: mask, released: rules)
                let fingerprint = fingerprinter.digest(values: values, buffer: &buffer, hasher: hasher)
                // Unchanged: not sent again, unless a notice to erase goes to the partner about the subject in this run.
                if let committed = views[k].fingerprints[subject.id], committed == Self.prefix64(fingerprint),
                   !views[k].resend.contains(subject.id) { continue }
                out[k].records += 1
                for c in 0..<n where rules[c] >= 0 { out[k].releasedColumns[c] = true }
                if options.dryRun { continue }
                ExcelCSVWriter.encodeRow(cells, to: &out[k].csv)
                out[k].rows += 1
                var draft = StagedDraft(record: ExportStagedRecord(subject: subject.id, fingerprint: fingerprint,
                                                                   municipality: subject.municipality, shape: -1))
                // The disclosure names the fields whose values went (`passed`), and relies on the consents that released them.
                if !onConsent, let known = views[k].knownShapes[passed] {
                    draft.record.shape = known
                } else if !onConsent, let made = madeShapes[k][passed] {
                    draft.newShape = (made, passed)
                } else {
                    let decision = policy.decision(
                        for: DecisionRequest(subject: subject.id, attributes: attrs, partner: p.partner, purpose: p.purpose,
                                             fields: p.columns, at: now),
                        outcomes: Array(outcomes[0..<n]), consents: facts!)
                    let made = DisclosureShape.make(decisions: decision.fields.indices.filter { $0 < n && passed[$0] >= 0 }.map { decision.fields[$0] })
                    draft.record.consents = made.consents
                    draft.newShape = (made.shape, onConsent ? nil : passed)
                    if !onConsent { madeShapes[k][passed] = made.shape }
                }
                for c in Set(draft.record.consents).sorted() {
                    out[k].reliance.append(ExportReliance(partner: p.partner, consentID: c, subject: subject.id))
                }
                out[k].drafts.append(draft)
            }
        }
        return out
    }

    /// The fingerprinter for the released columns (`released[c] >= 0`), cached by their bit mask.
    static func fingerprinter(_ view: inout PartnerView, _ slice: inout PartnerSlice, mask: UInt64, released: [Int32]) -> RecordFingerprint {
        let columns = view.plan.columns
        if columns.count <= 64, let f = view.fingerprinters[mask] { return f }
        let f = RecordFingerprint(fields: columns.indices.filter { released[$0] >= 0 }.map { columns[$0] })
        if columns.count <= 64 { view.fingerprinters[mask] = f; slice.fingerprinters[mask] = f }
        return f
    }

    /// The first 64 bits of a digest, big-endian (how the ledger's fingerprints are compared).
    static func prefix64(_ d: [UInt8]) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(d[i]) }
        return v
    }
}

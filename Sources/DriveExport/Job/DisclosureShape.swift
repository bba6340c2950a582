import AuditLog
import Foundation
import PolicyEngine

/// Which fields of a record went to a partner on which legal basis, without the record: the `released`
/// groups of its `disclosure` entry with each consent id left as a slot. A partner run has few distinct
/// shapes (the profile's columns × the rules that release them), so the job stages per record only the
/// shape's id (and the consent ids, for consent-based fields) and stores each shape once per run; the
/// identical entry is rebuilt from them when the run is logged or recovered (docs/export-job.md).
struct DisclosureShape: Codable, Hashable, Sendable {
    /// One group of fields on the same basis. `slot` indexes the record's consent ids (consent basis only).
    struct Group: Codable, Hashable, Sendable {
        var basis: String
        var rule: String?
        var citation: String?
        var clause: String?
        var slot: Int?
        var fields: [String]
    }

    var groups: [Group]

    /// The number of released fields (the entry's `released` index column).
    var fieldCount: Int { groups.reduce(0) { $0 + $1.fields.count } }
    /// How many consent ids a record of this shape carries.
    var slotCount: Int { groups.compactMap(\.slot).max().map { $0 + 1 } ?? 0 }

    init(groups: [Group]) { self.groups = groups }

    /// The shape of a record's permitted field decisions (in column order), and its consent ids in slot order.
    static func make(decisions: [FieldDecision]) -> (shape: DisclosureShape, consents: [String]) {
        var consents: [String] = []
        let fields = decisions.filter { $0.outcome == .permit }.map { f -> DisclosedField in
            let basis: DisclosedField.Basis = f.basis == .consent ? .consent : .statute
            return DisclosedField(field: f.field, basis: basis, rule: f.rule, citation: f.citation,
                                  consent: f.consent.map { AuditLog.ConsentReference(id: $0.id, clause: $0.clause) })
        }
        let groups = DisclosedFieldGroup.grouping(fields).map { g -> Group in
            var slot: Int? = nil
            if let c = g.consent {
                if let i = consents.firstIndex(of: c.id) { slot = i } else { slot = consents.count; consents.append(c.id) }
            }
            return Group(basis: g.basis.rawValue, rule: g.rule, citation: g.citation, clause: g.consent?.clause, slot: slot, fields: g.fields)
        }
        return (DisclosureShape(groups: groups), consents)
    }

    /// The entry's field groups with the record's consent ids filled in.
    func released(consents: [String]) throws -> [DisclosedFieldGroup] {
        try groups.map { g in
            guard let basis = DisclosedField.Basis(rawValue: g.basis) else {
                throw DriveExportError.manifestMismatch(reason: "staged disclosure shape with basis \(g.basis)")
            }
            var consent: AuditLog.ConsentReference? = nil
            if let slot = g.slot {
                guard slot < consents.count, let clause = g.clause else {
                    throw DriveExportError.manifestMismatch(reason: "staged record lacks the consent of slot \(slot)")
                }
                consent = AuditLog.ConsentReference(id: consents[slot], clause: clause)
            }
            return DisclosedFieldGroup(basis: basis, rule: g.rule, citation: g.citation, consent: consent, fields: g.fields)
        }
    }

    /// The text stored once per run (JSON, sorted keys).
    func description() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    /// A shape from its stored text.
    init(description: String) throws {
        self = try JSONDecoder().decode(DisclosureShape.self, from: Data(description.utf8))
    }
}

/// The context every `disclosure` entry of one partner run shares, stored with the pending run so the
/// entries are rebuilt byte for byte after a crash: time (as written), actor, policy digest, purpose.
struct RunEntryContext: Codable, Equatable, Sendable {
    var time: String
    var actor: String
    var policyDigest: String?
    var purpose: String

    func text() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    init(time: String, actor: String, policyDigest: String?, purpose: String) {
        self.time = time; self.actor = actor; self.policyDigest = policyDigest; self.purpose = purpose
    }

    init(text: String) throws { self = try JSONDecoder().decode(RunEntryContext.self, from: Data(text.utf8)) }

    /// The splicing builder for the run's entries.
    func template(partner: String, runID: String) throws -> DisclosureEntryTemplate {
        try DisclosureEntryTemplate(time: time, actor: actor, policyDigest: policyDigest, partner: partner, purpose: purpose, exportRun: runID)
    }
}

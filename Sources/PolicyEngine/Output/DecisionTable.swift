import Diagnostics
import Foundation
import Signing

/// Plain-text tables with aligned columns (widths by character count).
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }
}

extension Decision {
    /// The decision as a table for people: field label, outcome, reason in words, and the cited norm or consent.
    /// `consents`: those the decision was made with, so that a withdrawn line (clause) is named with its time.
    /// `citing`: the policy the decision was made under, whose rules' citations are shown in `language` (default
    /// `compiled`; a decision of another policy shows the canonical citations it names).
    public func table(in language: Language, policy compiled: CompiledPolicy, consents: [ConsentFact] = [],
                      citing: CompiledPolicy? = nil) -> String {
        let de = language == .de
        let header = de ? ["Feld", "Ergebnis", "Grund", "Rechtsgrundlage / Einwilligung"]
                        : ["Field", "Outcome", "Reason", "Legal basis / consent"]
        let rows: [[String]] = fields.map { f in
            let label = compiled.field(f.field).map { "\($0.label[language]) (\(f.field))" } ?? f.field
            let outcome = f.outcome == .permit ? (de ? "freigegeben" : "released") : (de ? "gesperrt" : "withheld")
            var reason: String
            if let words = compiled.denialWords(for: f, consents: consents) { reason = words[language] }
            else if f.basis == .consent { reason = de ? "Einwilligung" : "consent" }
            else { reason = de ? "gesetzliche Grundlage" : "statute" }
            if let rule = f.rule { reason += " [\(rule)]" }
            var basis = (citing ?? compiled).citation(of: f, in: self, language: language) ?? ""
            if let c = f.consent {
                basis += (basis.isEmpty ? "" : "; ") + (de ? "Einwilligung \(c.id), Klausel \(c.clause)" : "consent \(c.id), clause \(c.clause)")
            }
            return [label, outcome, reason, basis.isEmpty ? "—" : basis]
        }
        let head = de
            ? "Entscheidung für \(subject) → \(partner) (\(purpose)) am \(RFC3339.format(at)), Richtlinie \(policy.id) \(policy.version)\n"
            : "Decision for \(subject) → \(partner) (\(purpose)) at \(RFC3339.format(at)), policy \(policy.id) \(policy.version)\n"
        let tail = de ? "Freigegeben: \(released.count) von \(fields.count) Feldern\n" : "Released: \(released.count) of \(fields.count) fields\n"
        return head + TextTable.render(header: header, rows: rows) + tail
    }
}

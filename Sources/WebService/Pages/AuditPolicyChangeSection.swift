import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

extension AuditPages {
    /// What a `policy-loaded` entry changed: the release differences between the bundle it replaced and the one it
    /// put in force (`PolicyDiff`), both from the policy archive, per partner, purpose and field by name, with the
    /// summary (wider in bold) and the rules before and after. Said in words when there was no previous bundle or
    /// one of the two is not archived.
    static func policyChangeSection(_ loaded: PolicyLoadedRecord, gate: Gate, language l: Language) throws -> HTML {
        let heading: HTML = "<h2 id=\"policy-change\">\(l == .de ? "Was sich an der Freigabe geändert hat" : "What changed in what is released")</h2>"
        guard let previous = loaded.previousDigest else {
            return "\(heading)<p id=\"policy-change-first\">\(l == .de ? "Die erste Richtlinie dieser Installation: nichts zu vergleichen." : "The installation's first policy: nothing to compare.")</p>"
        }
        guard let old = try gate.archivedPolicy(digest: previous), let new = try gate.archivedPolicy(digest: loaded.digest) else {
            return "\(heading)<p id=\"policy-change-unarchived\">\(l == .de ? "Eine der beiden Richtlinien ist nicht archiviert; der Vergleich ist nicht möglich." : "One of the two policies is not archived; they cannot be compared.")</p>"
        }
        let diff = PolicyDiff(old: old, new: new)
        guard !diff.changes.isEmpty else {
            return "\(heading)<p id=\"policy-change-none\">\(l == .de ? "Keine Änderung an der Freigabe: jedes Feld jedes Partners und Zwecks ist gleich geregelt." : "No change to what is released: every field of every partner and purpose is covered as before.")</p>"
        }
        let bundle = new.bundle
        let rows = diff.changes.map { c -> HTML in
            let partner = bundle.partner(c.partner)?.name[l] ?? old.bundle.partner(c.partner)?.name[l] ?? c.partner
            let purpose = bundle.purpose(c.purpose)?.label[l] ?? old.bundle.purpose(c.purpose)?.label[l] ?? c.purpose
            let field = bundle.field(c.field)?.label[l] ?? old.bundle.field(c.field)?.label[l] ?? c.field
            let (b, a) = (c.releaseBefore, c.releaseAfter)
            let summary: HTML = a == b ? "\(l == .de ? "gleich" : "same"): \(a.words(l))"
                : a > b ? "<strong>\(l == .de ? "weiter" : "wider")</strong>: \(b.words(l)) → \(a.words(l))"
                : "\(l == .de ? "enger" : "narrower"): \(b.words(l)) → \(a.words(l))"
            return "<tr data-direction=\"\(c.direction)\" data-field=\"\(c.field)\"><td>\(partner)</td><td>\(purpose)</td><td>\(field) <code>\(c.field)</code></td><td>\(summary)</td><td>\(PolicyDiff.words(c.before, l))</td><td>\(PolicyDiff.words(c.after, l))</td></tr>"
        }
        return """
        \(heading)
        <table id="policy-changes"><caption>\(diff.changes.count) \(l == .de ? "Änderungen" : "changes"): \(old.bundle.version) → \(bundle.version)</caption>
        <thead><tr><th scope="col">\(l == .de ? "Stelle" : "Partner")</th><th scope="col">\(l == .de ? "Zweck" : "Purpose")</th><th scope="col">\(l == .de ? "Feld" : "Field")</th><th scope="col">\(l == .de ? "Freigabe" : "Release")</th><th scope="col">\(l == .de ? "Vorher" : "Before")</th><th scope="col">\(l == .de ? "Nachher" : "After")</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }
}

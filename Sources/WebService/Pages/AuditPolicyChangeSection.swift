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
    /// summary (wider in bold) and the rules before and after; then the export profiles and the consent templates
    /// that changed, with a warning first for each template changed under its unchanged id and version. Said in
    /// words when there was no previous bundle or one of the two is not archived.
    static func policyChangeSection(_ loaded: PolicyLoadedRecord, gate: Gate, language l: Language) throws -> HTML {
        let heading: HTML = "<h2 id=\"policy-change\">\(l == .de ? "Was sich an der Freigabe geändert hat" : "What changed in what is released")</h2>"
        guard let previous = loaded.previousDigest else {
            return "\(heading)<p id=\"policy-change-first\">\(l == .de ? "Die erste Richtlinie dieser Installation: nichts zu vergleichen." : "The installation's first policy: nothing to compare.")</p>"
        }
        guard let old = try gate.archivedPolicy(digest: previous), let new = try gate.archivedPolicy(digest: loaded.digest) else {
            return "\(heading)<p id=\"policy-change-unarchived\">\(l == .de ? "Eine der beiden Richtlinien ist nicht archiviert; der Vergleich ist nicht möglich." : "One of the two policies is not archived; they cannot be compared.")</p>"
        }
        let diff = PolicyDiff(old: old, new: new)
        let version: HTML = diff.versionUnchanged
            ? "<p data-note=\"version-unchanged\"><strong>\(l == .de ? "Hinweis" : "Note"):</strong> \(HTML.escape(diff.versionWarning(in: l)))</p>\n" : ""
        guard !diff.isEmpty else {
            return "\(heading)\(version)<p id=\"policy-change-none\">\(l == .de ? "Keine Änderung an der Freigabe: jedes Feld jedes Partners und Zwecks ist gleich geregelt, jedes Exportprofil gleich." : "No change to what is released: every field of every partner and purpose is covered as before, every export profile is the same.")</p>"
        }
        let warnings: HTML = "\(version)\(partnerFolderWarnings(diff.partnersAndPurposes, language: l))\(templateWarnings(diff.templates, language: l))"
        let exports = exportProfileTable(diff.exports, old: old.bundle, new: new.bundle, language: l)
        let templates = templateTable(diff.templates, language: l)
        let municipalities: HTML = "\(municipalityListSection(diff.municipalities, language: l))\(fieldDefinitionSection(diff.fields, language: l))\(partnerPurposeSection(diff.partnersAndPurposes, language: l))\(categorySection(diff.categories, language: l))\(attributeSection(diff.attributes, language: l))\(formLanguageSection(diff.formLanguages, language: l))"
        guard !diff.changes.isEmpty else {
            let same: HTML = diff.attributes.decidingChanges.isEmpty
                ? (l == .de ? "Die Regeln geben jedes Feld jedes Partners und Zwecks gleich frei." : "The rules release every field of every partner and purpose as before.")
                : (l == .de ? "Jedes Feld jedes Partners und Zwecks ist von denselben Regeln erfasst, doch ein Merkmal, das sie prüfen, wird anders gelesen (siehe „Merkmale der Person“)."
                            : "Every field of every partner and purpose is covered by the same rules, but an attribute they test is read otherwise (see “Subject attributes”).")
            return "\(heading)\(warnings)<p id=\"policy-change-rules-same\">\(same)</p>\(exports)\(templates)\(municipalities)"
        }
        let bundle = new.bundle
        let rows = diff.changes.map { c -> HTML in
            let partner = bundle.partner(c.partner)?.name[l] ?? old.bundle.partner(c.partner)?.name[l] ?? c.partner
            let purpose = bundle.purpose(c.purpose)?.label[l] ?? old.bundle.purpose(c.purpose)?.label[l] ?? c.purpose
            let field = bundle.field(c.field)?.label[l] ?? old.bundle.field(c.field)?.label[l] ?? c.field
            let (b, a) = (c.releaseBefore, c.releaseAfter)
            // The same rules release otherwise: the field's category became special or stopped being so (said, as the text does).
            let because: HTML = c.specialAfter.map { special -> HTML in
                let words = l == .de ? (special ? "die Kategorie des Felds ist jetzt eine besondere (Art. 9 DSGVO)" : "die Kategorie des Felds ist keine besondere (Art. 9 DSGVO) mehr")
                                     : (special ? "the field's category is now a special one (GDPR Art. 9)" : "the field's category is no longer a special one (GDPR Art. 9)")
                return " (\(words))"
            } ?? .empty
            let summary: HTML = a == b ? "\(l == .de ? "gleich" : "same"): \(a.words(l))\(because)"
                : a > b ? "<strong>\(l == .de ? "weiter" : "wider")</strong>: \(b.words(l)) → \(a.words(l))\(because)"
                : "\(l == .de ? "enger" : "narrower"): \(b.words(l)) → \(a.words(l))\(because)"
            return "<tr data-direction=\"\(c.direction)\" data-field=\"\(c.field)\"><td>\(partner)</td><td>\(purpose)</td><td>\(field) <code>\(c.field)</code></td><td>\(summary)</td><td>\(PolicyDiff.words(c.before, c.after, l))</td><td>\(PolicyDiff.words(c.after, c.before, l))</td></tr>"
        }
        return """
        \(heading)
        \(warnings)<table id="policy-changes"><caption>\(diff.changes.count) \(l == .de ? (diff.changes.count == 1 ? "Änderung" : "Änderungen") : (diff.changes.count == 1 ? "change" : "changes")): \(old.bundle.version) → \(bundle.version)</caption>
        <thead><tr><th scope="col">\(l == .de ? "Stelle" : "Partner")</th><th scope="col">\(l == .de ? "Zweck" : "Purpose")</th><th scope="col">\(l == .de ? "Feld" : "Field")</th><th scope="col">\(l == .de ? "Freigabe" : "Release")</th><th scope="col">\(l == .de ? "Vorher" : "Before")</th><th scope="col">\(l == .de ? "Nachher" : "After")</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        \(exports)\(templates)\(municipalities)
        """
    }

    /// The export profiles that changed (`ExportProfileDiff`): partner and purpose by name, whose rows, the columns
    /// gained (with how the new policy releases each; wider in bold) and lost. Empty when none changed.
    static func exportProfileTable(_ diff: ExportProfileDiff, old: PolicyBundle, new: PolicyBundle, language l: Language) -> HTML {
        guard !diff.changes.isEmpty else { return "" }
        func partner(_ id: String) -> String { new.partner(id)?.name[l] ?? old.partner(id)?.name[l] ?? id }
        func purpose(_ id: String) -> String { new.purpose(id)?.label[l] ?? old.purpose(id)?.label[l] ?? id }
        func columns(_ list: [ExportProfileDiff.Column]) -> HTML {
            HTML(raw: list.map { c in
                let label = HTML.escape(new.field(c.field)?.label[l] ?? old.field(c.field)?.label[l] ?? c.field)
                return "\(label) <code>\(HTML.escape(c.field))</code> (\(HTML.escape(c.release.words(l))))"
            }.joined(separator: ", "))
        }
        let rows = diff.changes.map { c -> HTML in
            let p = c.after ?? c.before!
            let words = ExportProfileDiff.directionWords(c.direction, l)
            let direction: HTML = c.direction == "wider" ? "<strong>\(words)</strong>" : "\(words)"
            var who = "\(partner(p.partner)) / \(purpose(p.purpose))"
            if let b = c.before, let a = c.after, b.partner != a.partner || b.purpose != a.purpose {
                who = "\(partner(b.partner)) / \(purpose(b.purpose)) → \(partner(a.partner)) / \(purpose(a.purpose))"
            }
            let records = c.before?.records == c.after?.records ? ExportProfileDiff.records(p, l)
                : ExportProfileDiff.records(c.before, l) + " → " + ExportProfileDiff.records(c.after, l)
            return "<tr data-direction=\"\(c.direction)\" data-profile=\"\(c.profile)\"><td><code>\(c.profile)</code> \(PolicyDiff.kindWords(c.kind, l))</td><td>\(who)</td><td>\(direction)</td><td>\(records)</td><td>\(columns(c.columnsAdded))</td><td>\(columns(c.columnsRemoved))\(c.columnsReordered ? (l == .de ? " Reihenfolge geändert" : " order changed") : "")</td></tr>"
        }
        return """
        <table id="export-profile-changes"><caption>\(diff.changes.count) \(l == .de ? (diff.changes.count == 1 ? "geändertes Exportprofil" : "geänderte Exportprofile") : (diff.changes.count == 1 ? "changed export profile" : "changed export profiles"))</caption>
        <thead><tr><th scope="col">\(l == .de ? "Profil" : "Profile")</th><th scope="col">\(l == .de ? "Stelle / Zweck" : "Partner / purpose")</th><th scope="col">\(l == .de ? "Umfang" : "Extent")</th><th scope="col">\(l == .de ? "Datensätze" : "Records")</th><th scope="col">\(l == .de ? "Spalten neu" : "Columns added")</th><th scope="col">\(l == .de ? "Spalten entfallen" : "Columns removed")</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }
}

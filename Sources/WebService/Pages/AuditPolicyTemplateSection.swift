import Diagnostics
import Foundation
import PolicyEngine

extension AuditPages {
    /// The warning boxes for templates whose id and version stayed while their content changed
    /// (`TemplateDiff.Change.changedUnderSameVersion`): signed consents cite only (id, version), so each would now
    /// point at wording the person never signed. Shown first in the change section; empty when there is none.
    /// Also a box per earlier version changed under its number (`earlierChangedUnderSameVersion`), and per template
    /// that no longer holds a version consents were signed on (`droppingSignedVersions`: they become invalid).
    static func templateWarnings(_ diff: TemplateDiff, language l: Language) -> HTML {
        let head = l == .de ? "Warnung" : "Warning"
        return HTML.join(diff.changedUnderSameVersion.map { c -> HTML in
            "<div class=\"alert\" id=\"template-warning-\(c.template)\" data-template=\"\(c.template)\"><p><strong>\(head):</strong> \(TemplateDiff.sameVersionWarning(c, l))</p></div>\n"
        } + diff.earlierChangedUnderSameVersion.map { c -> HTML in
            let v = c.after?.version ?? 0
            return "<div class=\"alert\" id=\"template-warning-\(c.template)-v\(v)\" data-template=\"\(c.template)\"><p><strong>\(head):</strong> \(TemplateDiff.sameVersionWarning(c, l))</p></div>\n"
        } + diff.droppingSignedVersions.compactMap { c -> HTML? in
            TemplateDiff.droppedVersionsWarning(c, l).map {
                "<div class=\"alert\" id=\"template-versions-dropped-\(c.template)\" data-template=\"\(c.template)\"><p><strong>\(head):</strong> \($0)</p></div>\n"
            }
        })
    }

    /// The consent templates that changed (`TemplateDiff`): per template what happened, the version, the
    /// languages, the minimum age and longest validity, the clauses gained and lost, and per changed clause the
    /// languages whose wording changed (old and new wording side by side) and its recipients, purposes and data.
    /// Everything taken from the bundles is escaped. Empty when no template changed.
    static func templateTable(_ diff: TemplateDiff, language l: Language) -> HTML {
        guard !diff.changes.isEmpty else { return .empty }
        let de = l == .de
        func line(_ label: String, _ value: String) -> HTML { "<li>\(label): \(value)</li>" }
        let rows = diff.changes.map { c -> HTML in
            let t = c.after ?? c.before!
            var version = "\(t.version)"
            if let b = c.before, let a = c.after { version = b.version == a.version ? "\(a.version)" : "\(b.version) → \(a.version)" }
            let state: HTML = c.changedUnderSameVersion
                ? "<strong>\(de ? "Inhalt unter gleicher Version geändert" : "content changed under the same version")</strong>"
                : "\(PolicyDiff.kindWords(c.kind, l))"
            var items: [HTML] = []
            if let gone = TemplateDiff.versionGoneWords(c, l) { items.append("<li>\(gone)</li>") }
            for line in TemplateDiff.earlierVersionLines(c, l) { items.append("<li>\(line)</li>") }
            if c.kind == .added {
                if let title = t.title { items.append(line(de ? "Titel" : "Title", title[l])) }
                items.append(line(de ? "Sprachen" : "Languages", t.texts.keys.sorted().joined(separator: ", ")))
                items.append(line(de ? "Klauseln" : "Clauses", t.clauses.map(\.id).joined(separator: ", ")))
                items.append(line(de ? "Mindestalter" : "Minimum age", "\(t.minimumAge)"))
                items.append(line(de ? "Längste Gültigkeit" : "Longest validity", t.maxValidity.description))
            }
            if let b = c.before, let a = c.after {
                if c.titleChanged {
                    items.append(line(de ? "Titel" : "Title", "\(TemplateDiff.titleWords(b.title, l)) → \(TemplateDiff.titleWords(a.title, l))"))
                }
                if !c.languagesAdded.isEmpty { items.append(line(de ? "Sprachen neu" : "Languages added", c.languagesAdded.joined(separator: ", "))) }
                if !c.languagesRemoved.isEmpty { items.append(line(de ? "Sprachen entfallen" : "Languages removed", c.languagesRemoved.joined(separator: ", "))) }
                if !c.textChanged.isEmpty { items.append(line(de ? "Erklärungstext geändert" : "Declaration text changed", c.textChanged.joined(separator: ", "))) }
                if c.minimumAgeChanged {
                    items.append(line(de ? "Mindestalter (darunter unterschreibt ein Sorgeberechtigter)" : "Minimum age (below it a guardian signs)", "\(b.minimumAge) → \(a.minimumAge)"))
                }
                if c.maxValidityChanged { items.append(line(de ? "Längste Gültigkeit" : "Longest validity", "\(b.maxValidity) → \(a.maxValidity)")) }
                if !c.clausesAdded.isEmpty { items.append(line(de ? "Klauseln neu" : "Clauses added", c.clausesAdded.joined(separator: ", "))) }
                if !c.clausesRemoved.isEmpty { items.append(line(de ? "Klauseln entfallen" : "Clauses removed", c.clausesRemoved.joined(separator: ", "))) }
                if c.clauseOrderChanged { items.append(line(de ? "Klauselreihenfolge geändert" : "Clause order changed", a.clauses.map(\.id).joined(separator: ", "))) }
                for cc in c.clausesChanged {
                    var parts: [HTML] = []
                    for language in cc.wordingChanged {
                        parts.append("<li lang=\"\(language)\">\(language): <del>\(cc.before.text[language] ?? "—")</del> → <ins>\(cc.after.text[language] ?? "—")</ins></li>")
                    }
                    for scope in TemplateDiff.scopeWords(cc, l) { parts.append("<li>\(scope)</li>") }
                    let wording = cc.wordingChanged.isEmpty ? "" : (de ? " Wortlaut geändert (" : " wording changed (") + cc.wordingChanged.joined(separator: ", ") + ")"
                    items.append("<li data-clause=\"\(cc.clause)\">\(de ? "Klausel" : "Clause") <code>\(cc.clause)</code>:\(wording)<ul>\(parts)</ul></li>")
                }
            }
            return "<tr data-change=\"\(c.kind.rawValue)\" data-template=\"\(c.template)\"\(HTML(raw: c.changedUnderSameVersion ? " data-warning=\"same-version\"" : ""))><td><code>\(c.template)</code></td><td>\(version)</td><td>\(state)</td><td><ul>\(items)</ul></td></tr>"
        }
        return """
        <table id="template-changes"><caption>\(diff.changes.count) \(de ? (diff.changes.count == 1 ? "geänderte Einwilligungsvorlage" : "geänderte Einwilligungsvorlagen") : (diff.changes.count == 1 ? "changed consent template" : "changed consent templates"))</caption>
        <thead><tr><th scope="col">\(de ? "Vorlage" : "Template")</th><th scope="col">Version</th><th scope="col">\(de ? "Änderung" : "Change")</th><th scope="col">\(de ? "Was sich geändert hat" : "What changed")</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }
}

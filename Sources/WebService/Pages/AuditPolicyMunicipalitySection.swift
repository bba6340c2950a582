import Diagnostics
import PolicyEngine

extension AuditPages {
    /// The county's municipalities a `policy-loaded` entry listed anew or no longer (`MunicipalityListDiff`), with
    /// what a removed one means; empty when the lists are equal. Names escaped (they come from the bundle).
    static func municipalityListSection(_ diff: MunicipalityListDiff, language l: Language) -> HTML {
        guard !diff.isEmpty else { return "" }
        func names(_ list: [String]) -> HTML { HTML(raw: list.map(HTML.escape).joined(separator: ", ")) }
        var items: [HTML] = []
        if !diff.added.isEmpty { items.append("<li>\(l == .de ? "Neu" : "Added"): \(names(diff.added))</li>") }
        if !diff.removed.isEmpty {
            items.append("<li>\(l == .de ? "Entfallen" : "Removed"): \(names(diff.removed)). \(l == .de ? "Neue Konten, Einwilligungen und Listenzeilen dieser Kommunen werden abgewiesen; schon erfasste Konten und Personen bleiben." : "New accounts, consents and list rows naming them are refused; accounts and people recorded there before stay.")</li>")
        }
        return """
        <section id="municipality-changes" aria-labelledby="municipality-changes-heading"><h3 id="municipality-changes-heading">\(l == .de ? "Kommunen des Kreises" : "The county's municipalities")</h3>
        <ul>\(HTML.join(items))</ul></section>
        """
    }

    /// The county's wording of the printed declaration added, removed or changed (`FormLanguageDiff`), one item each.
    /// Empty when none.
    static func formLanguageSection(_ diff: FormLanguageDiff, language l: Language) -> HTML {
        guard !diff.isEmpty else { return "" }
        let items = diff.lines(in: l).map { line -> HTML in "<li>\(line)</li>" }
        return """
        <section id="form-language-changes" aria-labelledby="form-language-changes-heading"><h3 id="form-language-changes-heading">\(FormLanguageDiff.heading(in: l))</h3>
        <ul>\(HTML.join(items))</ul></section>
        """
    }

    /// The partners and purposes added, removed or changed (`PartnerPurposeDiff`), one item each. Empty when none.
    static func partnerPurposeSection(_ diff: PartnerPurposeDiff, language l: Language) -> HTML {
        let (partners, purposes) = diff.lines(in: l)
        func list(_ id: String, _ heading: String, _ items: [String]) -> HTML {
            guard !items.isEmpty else { return "" }
            return """
            <section id="\(id)" aria-labelledby="\(id)-heading"><h3 id="\(id)-heading">\(heading)</h3>
            <ul>\(HTML(raw: items.map { "<li>\(HTML.escape($0))</li>" }.joined()))</ul></section>
            """
        }
        return "\(list("partner-changes", l == .de ? "Partner" : "Partners", partners))\(list("purpose-changes", l == .de ? "Zwecke" : "Purposes", purposes))"
    }

    /// A warning box per partner whose drive folder changed: its exports go to another folder from now on.
    static func partnerFolderWarnings(_ diff: PartnerPurposeDiff, language l: Language) -> HTML {
        HTML(raw: diff.folderWarnings(in: l).map {
            "<div class=\"alert\" data-warning=\"partner-folder\"><p><strong>\(l == .de ? "Warnung" : "Warning"):</strong> \(HTML.escape($0))</p></div>\n"
        }.joined())
    }
}

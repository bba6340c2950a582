import Diagnostics
import Foundation
import PolicyEngine

/// The printable consent declaration (`consent form --template T --language L`): one self-contained HTML
/// page (no external assets, no scripts) that prints on A4, with the template's text in the chosen language,
/// each clause as a tick box with its recipients, purposes and data, signature lines for the person and —
/// when the template has a minimum age — for guardians, and a box for the case manager.
///
/// Everything taken from the bundle is HTML-escaped.
public struct ConsentForm: Sendable {
    /// The languages the form's frame is built in; a policy's `form-languages` adds others (`languages`).
    public static let supportedLanguages = ConsentFormStrings.supportedLanguages

    /// The template version printed: its text, clauses and minimum age (a copy uses the version the consent cites).
    public var template: ConsentTemplate
    /// `de`, `en` or `uk`; the template must have a text in it.
    public var language: String
    /// Partner id → display name in the names language (`namesLanguage(for:)`; ids without an entry are shown as they are).
    public var partnerNames: [String: String]
    /// Purpose id → display name in the names language.
    public var purposeNames: [String: String]
    /// Data category id → display name in the names language.
    public var categoryNames: [String: String]
    /// The names in the form's own language that the county gives (`form-languages.<code>.names`), printed in place of
    /// the ones above; only for a language other than German and English.
    public var ownNames: FormNames
    /// Partner id → the partner's German name (the bundle's `name.de`). On a form that is not German, each of these
    /// names found as a word in the template's text or a clause's wording is marked `lang="de"` (a German office named
    /// in Ukrainian text), unless the form's own name for that partner, in the form's language, is the same word.
    public var germanNames: [String: String]
    /// A recorded consent to print as a copy (for the person, or the file), or nil for the blank form to sign.
    public var recorded: RecordedCopy?
    /// The county's wording of the frame (the policy's `form-languages`): other languages, or its own text for a built-in one.
    public var countyLanguages: [FormLanguage]

    /// What a copy of a recorded consent fills in: its clauses ticked (the others marked as not granted), the
    /// case id, the day it was granted, who recorded it in which municipality, and the consent id. Names and the
    /// signatures stay blank: the signed paper holds them, the record does not.
    public struct RecordedCopy: Sendable, Equatable {
        /// The consent's id (lower-case UUID), printed so the paper can be matched to the record.
        public var consentID: String
        /// The subject's case id (never a name).
        public var caseID: String
        /// The day of granting as printed (`YYYY-MM-DD`).
        public var grantedOn: String
        /// The staff id of the case manager who recorded the consent.
        public var caseManager: String
        /// The municipality the consent was collected in.
        public var municipality: String
        /// The granted clause ids: ticked on the copy; the template's other clauses are marked as not granted.
        public var clauses: Set<String>
        /// When the whole consent was withdrawn (by its own withdrawal, or with its last line), as printed; nil while it
        /// was not. Said above the declaration, and at every granted line that had not been withdrawn before.
        public var withdrawnOn: String?
        /// The lines withdrawn singly: clause id → when, as printed; said at each line.
        public var withdrawnClauses: [String: String]
        /// The guardians recorded with the consent (name, with the relation in brackets when given), printed on the
        /// guardians' name lines (a copy of a minor's consent left them empty: a review of the pages).
        public var guardians: [String]

        /// Creates what a copy fills in; `grantedOn` is the Berlin calendar day, `withdrawnOn` and the times in
        /// `withdrawnClauses` Berlin times, all formatted by the caller in the declaration's language. A copy of a
        /// withdrawn consent (or of one with withdrawn lines) printed its lines ticked as granted and said nothing of the
        /// withdrawal (found in a review of the pages): the person's paper read as if they still consented.
        public init(consentID: String, caseID: String, grantedOn: String, caseManager: String, municipality: String, clauses: Set<String>,
                    withdrawnOn: String? = nil, withdrawnClauses: [String: String] = [:], guardians: [String] = []) {
            self.consentID = consentID; self.caseID = caseID; self.grantedOn = grantedOn
            self.caseManager = caseManager; self.municipality = municipality; self.clauses = clauses
            self.withdrawnOn = withdrawnOn; self.withdrawnClauses = withdrawnClauses; self.guardians = guardians
        }

        /// When granted line `clause` was withdrawn (singly, else with the whole consent), or nil.
        func withdrawal(ofClause clause: String) -> String? {
            guard clauses.contains(clause) else { return nil }
            return withdrawnClauses[clause] ?? withdrawnOn
        }
    }

    /// Creates the form; without `recorded` it is the blank declaration to sign.
    public init(template: ConsentTemplate, language: String, partnerNames: [String: String],
                purposeNames: [String: String], categoryNames: [String: String] = [:], germanNames: [String: String] = [:],
                recorded: RecordedCopy? = nil, countyLanguages: [FormLanguage] = []) {
        self.template = template; self.language = language; self.partnerNames = partnerNames
        self.purposeNames = purposeNames; self.categoryNames = categoryNames; self.germanNames = germanNames; self.recorded = recorded
        self.countyLanguages = countyLanguages
        self.ownNames = Self.namesLanguage(for: language).rawValue == language
            ? FormNames() : countyLanguages.first { $0.code == language }?.names ?? FormNames()
    }

    /// The form of `template` in `language` with everything else from `bundle`: the partners', purposes' and
    /// categories' names in the form's language where the county gives them, else in its names language
    /// (`namesLanguage(for:)`), the partners' German names to mark, and the county's wording. What `consent form` and the service's declaration pages print, so both print the same.
    public init(template: ConsentTemplate, language: String, bundle: PolicyBundle, recorded: RecordedCopy? = nil) {
        let names = Self.namesLanguage(for: language)
        self.init(template: template, language: language,
                  partnerNames: Dictionary(uniqueKeysWithValues: bundle.partners.map { ($0.id, $0.name[names]) }),
                  purposeNames: Dictionary(uniqueKeysWithValues: bundle.purposes.map { ($0.id, $0.label[names]) }),
                  categoryNames: Dictionary(uniqueKeysWithValues: bundle.categories.map { ($0.id, $0.label[names]) }),
                  germanNames: Dictionary(uniqueKeysWithValues: bundle.partners.map { ($0.id, $0.name.de) }),
                  recorded: recorded, countyLanguages: bundle.formLanguages)
    }

    /// What a form in `language` calls each of the bundle's partners, purposes and categories: the county's name in that
    /// language where it gives one, else the bundle's in the names language (`namesLanguage(for:)`). The starting point
    /// of a translation's `names` (`consentgate consent form-language`).
    public static func names(in language: String, bundle: PolicyBundle) -> FormNames {
        let fallback = namesLanguage(for: language)
        let own = fallback.rawValue == language ? FormNames() : bundle.formLanguage(language)?.names ?? FormNames()
        return FormNames(partners: Dictionary(uniqueKeysWithValues: bundle.partners.map { ($0.id, own.partners[$0.id] ?? $0.name[fallback]) }),
                         purposes: Dictionary(uniqueKeysWithValues: bundle.purposes.map { ($0.id, own.purposes[$0.id] ?? $0.label[fallback]) }),
                         categories: Dictionary(uniqueKeysWithValues: bundle.categories.map { ($0.id, own.categories[$0.id] ?? $0.label[fallback]) }))
    }

    /// The built-in wording of `code` as a policy's `form-languages` entry, with the words for each of `durations`; nil
    /// for a language without built-in wording. The starting point a county's translator begins from.
    public static func builtInWording(_ code: String, durations: [ISODuration]) -> FormLanguage? {
        ConsentFormStrings.formLanguage(code, durations: durations)
    }

    /// The languages this form can be printed in: the built-in ones and the county's, sorted.
    public static func languages(countyLanguages: [FormLanguage]) -> [String] {
        Array(Set(supportedLanguages + countyLanguages.map(\.code))).sorted()
    }

    /// The frame's wording in `code`: the county's when it gives one, else the built-in one, else nil.
    private func strings(_ code: String) -> ConsentFormStrings? {
        countyLanguages.first { $0.code == code && !$0.usesBuiltInWording }.map(ConsentFormStrings.init) ?? ConsentFormStrings.forLanguage(code)
    }

    /// Whether the form's language is written right to left (only a county's language can be).
    var rightToLeft: Bool { countyLanguages.first { $0.code == language }?.rightToLeft ?? false }

    /// The German names marked in this form's texts (`germanNames`): none on a German form; on any other, those the form
    /// does not call the same in its own language (English names on an English form, the county's `names` on another).
    var germanTerms: [String] {
        guard language != "de" else { return [] }
        let ownLanguage = Self.namesLanguage(for: language).rawValue == language
        return germanNames.compactMap { id, name in
            (ownNames.partners[id] ?? (ownLanguage ? partnerNames[id] : nil)) == name ? nil : name
        }
    }

    /// `text` escaped, with the German names in it marked (`LanguageSpans`; on a right-to-left form also as left to right).
    private func marked(_ text: String) -> String {
        LanguageSpans.mark(text, terms: germanTerms, language: "de", leftToRight: rightToLeft)
    }

    /// `pattern` with each placeholder replaced by its value, escaped. On a right-to-left form each value (a date, an id,
    /// a number) is isolated in `<bdi>`, so the Latin digits and hyphens in it keep their order inside the Arabic
    /// sentence; on any other form the text is exactly the escaped sentence.
    /// One pass over the pattern: a value is never searched for a later placeholder (a template id holding `%2`).
    private func filled(_ pattern: String, _ values: [(String, String)]) -> String {
        var out = "", plain = ""
        var rest = Substring(pattern)
        while let next = rest.first {
            if let (placeholder, value) = values.first(where: { rest.hasPrefix($0.0) }) {
                out += esc(plain) + (rightToLeft ? "<bdi>\(esc(value))</bdi>" : esc(value))
                plain = ""
                rest = rest.dropFirst(placeholder.count)
            } else {
                plain.append(next)
                rest = rest.dropFirst()
            }
        }
        return out + esc(plain)
    }

    /// The language the bundle's names (partners, purposes, data categories) are given in on a form in `language`:
    /// the form's own for German and English, English for any other (the bundle names things in German and English
    /// only). The same for every reader, so a declaration prints the same whoever prints it.
    public static func namesLanguage(for language: String) -> Language { language == "de" ? .de : .en }

    /// `text` (already escaped) marked as being in `other` when that is not the page's language, so a screen
    /// reader speaks it in the right voice (`<span lang="de">` inside a Ukrainian page).
    private func inLanguage(_ other: String, _ text: String) -> String {
        other == language ? text : "<span lang=\"\(esc(other))\"\(rightToLeft ? " dir=\"ltr\"" : "")>\(text)</span>"
    }

    /// The HTML page. Throws when the form's frame or the template's text is missing in `language`.
    public func html() throws(ConsentError) -> String {
        guard let s = strings(language) else {
            throw .formLanguageUnsupported(language: language, supported: Self.languages(countyLanguages: countyLanguages))
        }
        guard let text = template.texts[language] else {
            throw .languageNotInTemplate(language: language, template: template.id, available: template.texts.keys.sorted())
        }
        let office = language == "de" ? nil : strings("de")
        var h = ""
        h += "<!DOCTYPE html>\n<html lang=\"\(esc(language))\"\(rightToLeft ? " dir=\"rtl\"" : "")>\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>\(esc(s.title)) – \(esc(template.id)) v\(template.version)</title>\n"
        h += "<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        h += "<header><h1>\(esc(s.title))</h1><p class=\"subtitle\">\(esc(s.subtitle))</p>"
        if let r = recorded {
            h += "<p class=\"copy\" id=\"copy-note\">\(filled(s.copyNote, [("%@", r.grantedOn)]))</p>"
            if let whole = r.withdrawnOn {
                h += "<p class=\"copy withdrawn\" id=\"withdrawal-note\" data-withdrawn=\"whole\">\(filled(s.wholeWithdrawnNote, [("%@", whole)]))</p>"
            } else if !r.withdrawnClauses.isEmpty {
                h += "<p class=\"copy withdrawn\" id=\"withdrawal-note\" data-withdrawn=\"lines\">\(esc(s.linesWithdrawnNote))</p>"
            }
        }
        // The sections in a `main` landmark, so a screen reader can jump past the heading to the declaration itself.
        h += "</header>\n<main>\n"
        h += "<section class=\"person\"><h2>\(esc(s.person))</h2>\n"
        for (label, value) in [(s.name, nil), (s.birthDate, nil), (s.caseID, recorded?.caseID)] { h += fillLine(esc(label), value: value) }
        h += "</section>\n"
        h += "<section class=\"text\">\n\(MarkdownLite.html(text, escape: marked))</section>\n"
        h += "<section class=\"clauses\"><h2>\(esc(s.clausesHeading))</h2>\n"
        for clause in template.clauses { h += clauseHTML(clause, s) }
        h += "</section>\n"
        h += "<section class=\"rights\"><h2>\(esc(s.rightsHeading))</h2>\n"
        h += "<p>\(esc(s.voluntary))</p>\n"
        h += "<p>\(esc(s.validity.replacingOccurrences(of: "%@", with: s.duration(template.maxValidity))))</p>\n"
        h += "<p>\(esc(s.withdrawal))</p>\n</section>\n"
        h += "<section class=\"signatures\"><h2>\(esc(s.signaturesHeading))</h2>\n"
        h += Self.signatureRow([esc(s.placeDate), esc(s.personSignature)])
        if template.minimumAge > 0 {
            h += "<p class=\"note\">\(filled(s.guardiansNote, [("%@", String(template.minimumAge))]))</p>\n"
            // On a copy, the recorded guardians' names on their lines (as many rows as there are guardians, two at least).
            let names = recorded?.guardians ?? []
            for i in 0..<max(2, names.count) {
                let name = i < names.count ? (rightToLeft ? "<bdi>\(esc(names[i]))</bdi>" : esc(names[i])) : ""
                h += Self.signatureRow([esc(s.guardianName), esc(s.placeDate), esc(s.guardianSignature)], values: [name])
            }
        }
        h += "</section>\n"
        h += "<section class=\"office\"><h2>\(esc(s.officeHeading))\(office.map { " · " + inLanguage("de", esc($0.officeHeading)) } ?? "")</h2>\n"
        for (label, de, value) in [(s.caseManager, office?.caseManager, recorded?.caseManager), (s.municipality, office?.municipality, recorded?.municipality),
                                   (s.consentID, office?.consentID, recorded?.consentID)] {
            h += fillLine(esc(label) + (de.map { " · " + inLanguage("de", esc($0)) } ?? ""), value: value)
        }
        h += "</section>\n"
        let footer = filled(s.footer, [("%1", template.id), ("%2", String(template.version)), ("%3", language)])
        h += "</main>\n<footer>\(footer)</footer>\n</body>\n</html>\n"
        return h
    }

    private func clauseHTML(_ c: ConsentTemplate.Clause, _ s: ConsentFormStrings) -> String {
        let namesLanguage = Self.namesLanguage(for: language).rawValue
        // Each name in the form's language where the county gives one, else in the names language, marked as such (a
        // screen reader switches voice); a run of the latter in one mark, as the whole list was before names existed.
        func names(_ ids: [String], _ section: FormNames.Section, _ table: [String: String]) -> String {
            var parts: [String] = [], foreign: [String] = []
            func flush() { if !foreign.isEmpty { parts.append(inLanguage(namesLanguage, foreign.joined(separator: ", "))); foreign = [] } }
            for id in ids {
                // The county's name with the German office name in it marked (`Служба … (Jugendamt)`), as in the text.
                if let own = ownNames[section][id] { flush(); parts.append(marked(own)) } else { foreign.append(esc(table[id] ?? id)) }
            }
            flush()
            return parts.joined(separator: ", ")
        }
        var h: String
        if let r = recorded {
            let granted = r.clauses.contains(c.id)
            // A withdrawn line stays ticked (the person did sign it) and says beside the tick when it was withdrawn.
            let withdrawn = r.withdrawal(ofClause: c.id)
            h = "<div class=\"clause\" id=\"clause-\(esc(c.id))\" data-granted=\"\(granted)\"\(withdrawn == nil ? "" : " data-withdrawn=\"true\"")><span class=\"box\" aria-hidden=\"true\">\(granted ? "✗" : "")</span><div>\n"
            let status = withdrawn.map { filled(s.grantedWithdrawn, [("%@", $0)]) } ?? esc(granted ? s.granted : s.notGranted)
            h += "<p class=\"granted\">\(status)</p>\n"
        } else {
            h = "<div class=\"clause\" id=\"clause-\(esc(c.id))\"><span class=\"box\" aria-hidden=\"true\"></span><div>\n"
        }
        if let wording = c.text[language] { h += "<p class=\"wording\">\(marked(wording))</p>\n" }
        h += "<dl>"
        if !c.partners.isEmpty { h += "<dt>\(esc(s.recipients))</dt><dd>\(names(c.partners, .partners, partnerNames))</dd>" }
        if !c.purposes.isEmpty { h += "<dt>\(esc(s.purposes))</dt><dd>\(names(c.purposes, .purposes, purposeNames))</dd>" }
        if !c.categories.isEmpty { h += "<dt>\(esc(s.data))</dt><dd>\(names(c.categories, .categories, categoryNames))</dd>" }
        h += "</dl>\n"
        if c.explicit { h += "<p class=\"explicit\">\(esc(s.explicit))</p>\n" }
        h += "<p class=\"clause-id\">\(rightToLeft ? "<bdi>\(esc(c.id))</bdi>" : esc(c.id))</p></div></div>\n"
        return h
    }

    /// A label and a line to write on, or, on a copy, the value printed on it (escaped here; isolated on a right-to-left
    /// form, where it is a Latin-script id or name).
    private func fillLine(_ label: String, value: String? = nil) -> String {
        let text = value.map { rightToLeft ? "<bdi>\(esc($0))</bdi>" : esc($0) } ?? ""
        return "<div class=\"fill\"><span class=\"label\">\(label)</span><span class=\"line\">\(text)</span></div>\n"
    }

    /// One row of signature lines, each with its (already escaped) label underneath and, on a copy, what was recorded for
    /// it on the line (`values`, already escaped, by position; none: an empty line).
    private static func signatureRow(_ labels: [String], values: [String] = []) -> String {
        "<div class=\"sigrow\">"
            + labels.enumerated().map { i, label in
                "<div class=\"sig\"><span class=\"line\">\(i < values.count ? values[i] : "")</span><span class=\"label\">\(label)</span></div>"
            }.joined()
            + "</div>\n"
    }

    static let css = """
    @page { size: A4; margin: 18mm 16mm 18mm 18mm; }
    html { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; color: #000; line-height: 1.35; }
    body { margin: 0 auto; max-width: 176mm; }
    h1 { font-size: 17pt; margin: 0 0 2mm; }
    h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 0.3mm solid #000; }
    h3, h4 { font-size: 11pt; margin: 4mm 0 1mm; }
    .subtitle { margin: 0 0 4mm; }
    .fill { display: flex; align-items: flex-end; gap: 3mm; margin: 3mm 0; }
    .fill .label { white-space: nowrap; }
    .line { flex: 1; border-bottom: 0.3mm solid #000; min-height: 6mm; display: block; }
    .clause { display: flex; gap: 4mm; margin: 3mm 0; padding: 2mm 0; break-inside: avoid; page-break-inside: avoid; }
    .box { flex: none; width: 5mm; height: 5mm; border: 0.4mm solid #000; margin-top: 0.5mm; text-align: center; line-height: 5mm; font-weight: bold; }
    .copy { font-weight: bold; border: 0.3mm solid #000; padding: 1mm 2mm; display: inline-block; }
    .granted { font-weight: bold; }
    .copy.withdrawn { display: block; margin-top: 2mm; border-width: 0.6mm; }
    .clause p { margin: 0 0 1mm; }
    .clause dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; column-gap: 3mm; }
    .clause dt { font-weight: bold; }
    .clause dd { margin: 0; }
    .explicit { font-weight: bold; }
    .clause-id { font-size: 8pt; color: #444; }
    .signatures, .office { break-inside: avoid; page-break-inside: avoid; }
    .sigrow { display: flex; align-items: flex-start; gap: 8mm; margin: 6mm 0 2mm; break-inside: avoid; }
    .sig { flex: 1; display: flex; flex-direction: column; }
    .sig .line { flex: none; height: 8mm; min-height: 0; }
    .sig .label { font-size: 9pt; margin-top: 1mm; }
    .note { margin: 5mm 0 0; font-style: italic; }
    .office { border: 0.3mm solid #000; padding: 1mm 4mm 2mm; margin-top: 6mm; }
    .office h2 { border: none; margin-top: 2mm; font-size: 10.5pt; }
    footer { margin-top: 6mm; font-size: 8pt; color: #444; }
    @media screen { body { padding: 12mm; } }

    """
}

/// HTML escaping for text and attribute values.
func esc(_ s: String) -> String { HTMLEscaping.escape(s) }

import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// The form to record a consent from the signed paper declaration.
extension ConsentPages {
    /// The form to record a consent, filled with `form`'s entries and showing `problems` (the answer's status is
    /// theirs); `evidence` is the checksum of a scan sent with a refused submission, kept in a hidden field.
    static func newForm(_ page: PageRequest, gate: Gate, form: FormData, problems: FormProblems, evidence: String? = nil, scanLimit: Int, now: Date = Date(),
                        notice: HTML = .empty) -> Response {
        let l = page.language
        // Retired templates are not offered (`offeredTemplates`); one retiring later shows its last day. A refused
        // submission with boxes of a retired template ticked (a form opened before its last day) shows that template
        // again, marked with its last day, so every entry stays visible at the problem.
        let offered = offeredTemplates(gate, now: now)
        let current = newestTemplates(gate).filter { t in offered.contains { $0.id == t.id } || !form.all(clauseField(t.id)).isEmpty }
        let chosenTemplate = form["template"] ?? current.first?.id
        // The version shown of each template: the current one, or for the chosen template the earlier version with a
        // recording window the case manager picked (the version printed on the paper): its clauses and languages.
        let shown = current.map { shownVersion(of: $0, chosen: $0.id == chosenTemplate, form: form) }
        let picker = versionPicker(current, shown: Dictionary(shown.map { ($0.id, $0.version) }, uniquingKeysWith: { a, _ in a }), l)
        let templates = shown.map { t -> HTML in
            let sel: HTML = t.id == chosenTemplate ? HTML(raw: " selected") : .empty
            let langs = t.texts.keys.sorted().joined(separator: ", ")
            let title = t.title.map { "\($0[l]) – " } ?? ""
            return "<option value=\"\(t.id)\"\(sel)>\(title)\(t.id) (v\(t.version); \(langs))\(retiringNote(t, l))</option>"
        }
        // The version shown of each template, sent back with the form (checked on submission).
        let versionFields = shown.map { t -> HTML in "<input type=\"hidden\" name=\"\(templateVersionField(t.id))\" value=\"\(t.version)\">" }
        let chosenLanguage = form["language"] ?? "de"
        let languages = Set(shown.flatMap { $0.texts.keys }).sorted().map { code -> HTML in
            "<option value=\"\(code)\"\(code == chosenLanguage ? HTML(raw: " selected") : .empty)>\(languageName(code, l, gate.policy.bundle))</option>"
        }
        // The clause problem shows in the chosen template's group (or the first).
        let problemGroup = shown.first { $0.id == chosenTemplate }?.id ?? shown.first?.id
        let clauseGroups = shown.map { t -> HTML in
            let ticked = Set(form.all(clauseField(t.id)) + (t.id == chosenTemplate ? form.all("clauses") : []))
            let boxes = t.clauses.map { c -> HTML in
                let id = clauseBoxID(t.id, c.id)
                let text = c.text[l.rawValue] ?? c.text["de"] ?? c.id
                let explicit: HTML = c.explicit ? " <strong>(\(l == .de ? "ausdrücklich, Art. 9 DSGVO" : "explicit, GDPR Art. 9"))</strong>" : .empty
                let on: HTML = ticked.contains(c.id) ? HTML(raw: " checked") : .empty
                return "<div class=\"check\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(clauseField(t.id))\" value=\"\(c.id)\"\(on)> <label class=\"inline\" for=\"\(id)\">\(text)\(explicit) <span class=\"muted\">(\(c.id))</span></label></div>"
            }
            let mine = t.id == problemGroup
            let note = current.first { $0.id == t.id && $0.version != t.version }.map { windowNote(t, current: $0.version, l) } ?? .empty
            return "<fieldset id=\"clauses-\(t.id)\"\(mine ? problems.groupAttributes("clauses") : .empty)><legend>\(l == .de ? "Klauseln" : "Clauses") – \(t.id) v\(t.version) <span class=\"required-note\">(\(clausesRequired[l]))</span></legend>\(note)\(mine ? problems.message("clauses", language: l) : .empty)\(boxes)</fieldset>"
        }
        // A declaration prints in the languages its wording exists in (built in, or the county's `form-languages`); a
        // template text in another language is named below the links instead of linking to a refusal.
        let printable = Set(ConsentForm.languages(countyLanguages: gate.policy.bundle.formLanguages))
        let printLinks = offered.flatMap { t in t.texts.keys.sorted().filter(printable.contains).map { code -> HTML in
            "<li><a href=\"/declarations/\(t.id)?language=\(code)\" hreflang=\"\(code)\">\(t.id) – \(languageName(code, l, gate.policy.bundle))</a></li>"
        } }
        let unprintable = offered.flatMap { t in t.texts.keys.sorted().filter { !printable.contains($0) }.map { "\(t.id) – \(languageName($0, l, gate.policy.bundle))" } }
        let unprintableNote: HTML = unprintable.isEmpty ? .empty : "<p class=\"muted\" id=\"unprintable-languages\">\(unprintableText[l]) \(unprintable.joined(separator: "; "))</p>"
        // Printed, the form's controls are no use on paper: the page prints only where the declaration to print and sign is.
        let printAddresses = offered.flatMap { t in t.texts.keys.sorted().filter(printable.contains).map { code -> HTML in
            "<li>\(t.id) – \(languageName(code, l, gate.policy.bundle)): /declarations/\(t.id)?language=\(code)</li>"
        } }
        let printNote: HTML = "<div class=\"print-only\" id=\"print-note\"><p>\(printNoteText[l])</p><ul>\(printAddresses)</ul></div>"
        let today = UTCDay.format(berlinDay(of: now))
        let keptScan: HTML = evidence.map { digest in
            let name = form.file("scan")?.filename ?? form["scan-name"] ?? ""
            return """
            <input type="hidden" name="scan-digest" value="\(digest)"><input type="hidden" name="scan-name" value="\(name)">
            <p class="notice" id="scan-kept">\(l == .de ? "Scan erhalten" : "Scan received")\(name.isEmpty ? "" : ": \(name)") (\(String(digest.prefix(19)))…). \(l == .de ? "Nur zum Ersetzen erneut auswählen." : "Choose a file again only to replace it.")</p>
            """
        } ?? .empty
        // Shown once the form has said the declaration has expired (`record`), kept while ticked.
        let confirmed = form[confirmExpiredField] == "on"
        let confirmExpired: HTML = problems.has(confirmExpiredField) || confirmed ? """
        \(problems.message(confirmExpiredField, language: l))
        <div class="check"><input type="checkbox" id="\(confirmExpiredField)" name="\(confirmExpiredField)"\(confirmed ? HTML(raw: " checked") : .empty)\(problems.attributes(confirmExpiredField))> <label class="inline" for="\(confirmExpiredField)">\(confirmExpiredLabel[l])</label></div>
        """ : .empty
        let content: HTML = """
        \(notice)\(problems.summary(language: l))
        <p class="no-print">\(l == .de ? "Übertragen Sie die unterschriebene Papiererklärung. Die Einwilligung wird signiert gespeichert und protokolliert." : "Transfer the signed paper declaration. The consent is stored signed and logged.")</p>
        \(printNote)
        <form method="post" action="/consents" enctype="multipart/form-data" id="consent-form" class="no-print">
        \(CSRFField(session: page.session!).html)
        <label for="subject">\(subjectLabel[l])</label>
        \(problems.message("subject", language: l))
        <input type="text" id="subject" name="subject" value="\(form["subject"] ?? "")" required autocomplete="off"\(problems.attributes("subject"))>
        <label for="birth-date">\(birthDateLabel[l])</label>
        \(problems.message("birth-date", language: l))
        <input type="date" id="birth-date" name="birth-date" value="\(form["birth-date"] ?? "")"\(problems.attributes("birth-date"))>
        <div class="check"><input type="checkbox" id="unaccompanied-minor" name="unaccompanied-minor"\(form["unaccompanied-minor"] == "on" ? HTML(raw: " checked") : .empty)> <label class="inline" for="unaccompanied-minor">\(l == .de ? "Unbegleitet minderjährig" : "Unaccompanied minor")</label></div>
        <label for="template">\(templateLabel[l])</label>
        \(problems.message("template", language: l))
        <select id="template" name="template" required\(problems.attributes("template"))>\(templates)</select>\(versionFields)
        \(picker)
        <label for="language">\(languageLabel[l])</label>
        \(problems.message("language", language: l))
        <select id="language" name="language" required\(problems.attributes("language"))>\(languages)</select>
        \(clauseGroups)
        <label for="granted-on">\(signedOnLabel[l])</label>
        \(problems.message("granted-on", language: l))
        <input type="date" id="granted-on" name="granted-on" value="\(form["granted-on"] ?? today)" required\(problems.attributes("granted-on"))>
        \(confirmExpired)
        <label for="guardians">\(guardiansLabel[l])</label>
        \(problems.message("guardians", language: l))
        <textarea id="guardians" name="guardians" rows="2"\(problems.attributes("guardians"))>\(form["guardians"] ?? "")</textarea>
        <label for="scan">\(scanLabel[l])</label>
        \(problems.message("scan", language: l))
        \(keptScan)
        <p id="scan-hint" class="muted">\(scanHint(limit: scanLimit)[l])</p>
        <input type="file" id="scan" name="scan"\(problems.attributes("scan", hints: (evidence == nil ? [] : ["scan-kept"]) + ["scan-hint"]))>
        <div><button type="submit">\(l == .de ? "Einwilligung speichern" : "Save consent")</button></div>
        </form>
        <h2 class="no-print">\(l == .de ? "Erklärung zum Ausdrucken" : "Declaration to print")</h2>
        <ul class="no-print">\(printLinks)</ul>
        \(unprintableNote)
        """
        // Framed as /consents/new also when answering a refused POST /consents: the language switch then leads to
        // the form (a GET of /consents is the list of a person's consents) and the navigation marks the page as current.
        // The language switch keeps a picked earlier version.
        let picked = shown.first { v in v.id == chosenTemplate && current.first { $0.id == v.id }?.version != v.version }
        let layout = Layout(language: l, account: page.account, session: page.session, path: "/consents/new",
                            query: picked.map { "template=\($0.id)&\(versionParameter)=\($0.version)" })
        return PageResponse.html(layout.render(title: newTitle, content: content), status: problems.isEmpty ? .ok : problems.status)
    }

    /// What a template option says when the template retires (`recordable-until` on its current version, not yet
    /// passed): ` – nur für Erklärungen, die bis zum 31.12.2026 unterschrieben wurden`. Empty otherwise.
    static func retiringNote(_ t: ConsentTemplate, _ l: Language) -> String {
        guard let until = t.recordableUntil else { return "" }
        let c = UTCDay.civil(until)
        return l == .de ? String(format: " – nur für Erklärungen, die bis zum %02d.%02d.%04d unterschrieben wurden", c.day, c.month, c.year)
                        : " – only for declarations signed on or before \(UTCDay.format(until))"
    }

    /// Said before the upload (the limit was said only once a file was refused: a review of the pages): the file, its
    /// largest size with the form, and that only its checksum is kept.
    static func scanHint(limit: Int) -> LocalizedText {
        let size = sizeWords(limit)
        return LocalizedText(de: "Eine Datei (PDF oder Bild), höchstens \(size) mit dem Formular.",
                             en: "One file (PDF or image), at most \(size) with the form.")
    }

    /// A byte count as the page says it: `12 MiB`, `64 KiB`.
    static func sizeWords(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(max(1, bytes >> 10)) KiB"
    }
}

import Diagnostics
import Foundation

/// The words of a template diff: warnings and the text report, in German and English.
extension TemplateDiff {
    /// The warning for a template changed under its version, in full (one paragraph, no line breaks).
    public static func sameVersionWarning(_ c: Change, _ language: Language) -> String {
        let id = c.template, version = c.after?.version ?? 0
        let phrases = sameVersionWhat(c, language)
        let and = language == .de ? " und " : " and "
        let what = phrases.count < 2 ? phrases.joined() : phrases.dropLast().joined(separator: ", ") + and + phrases.last!
        // An earlier version is kept only to read the consents signed on it: the remedy is its old text, not a new version.
        // Found in a review of policy authoring: "hat" after a plural ("entfallene Klauseln … hat sich geändert"), a remedy
        // that forgot `earlier-versions` (with it, consents on the old version stay valid), and no word on what a removed
        // clause does to the consents that name it.
        let plural = phrases.count > 1 || phrases.first.map { $0.hasPrefix("neue ") || $0.hasPrefix("entfallene ") } == true
        let remedyDE = c.isEarlierVersion
            ? "Die frühere Version \(version) unter `earlier-versions` genau so behalten, wie sie ausgegeben wurde (die alte Fassung wiederherstellen)."
            : "Die Vorlage mit neuer, höherer Version ausgeben und Version \(version) in ihrer ausgegebenen Fassung unter `earlier-versions` behalten (so bleiben die darauf erteilten Einwilligungen gültig), oder die alte Fassung wiederherstellen."
        let remedyEN = c.isEarlierVersion
            ? "Keep the earlier version \(version) under `earlier-versions` exactly as it was issued (restore the old text)."
            : "Issue the template under a new, higher version and keep version \(version) as it was issued under `earlier-versions` (so the consents given on it stay valid), or restore the old text."
        let removedDE = c.clausesRemoved.isEmpty ? "" : "Eine Einwilligung auf Version \(version), die eine entfallene Klausel (\(c.clausesRemoved.joined(separator: ", "))) nennt, ist damit als Ganzes ungültig (consent-invalid), auch für alle anderen Stellen, die sie abdeckt. "
        let removedEN = c.clausesRemoved.isEmpty ? "" : "A consent on version \(version) that names a removed clause (\(c.clausesRemoved.joined(separator: ", "))) is then invalid as a whole (consent-invalid), also for every other partner it covers. "
        return language == .de
            ? "Vorlage \(id) behält Kennung und Version \(version), aber \(what) \(plural ? "haben" : "hat") sich geändert. Eine erteilte Einwilligung nennt nur Vorlage und Version (template: {id: \(id), version: \(version)}), nicht den Wortlaut: Jede schon auf \(id) Version \(version) erteilte Einwilligung verwiese ab diesem Paket auf einen Wortlaut, den die Person nie unterschrieben hat; Prüfung, Entscheidungen und gedruckte Kopien läsen sie gegen die neue Fassung. " + removedDE + remedyDE
            : "Template \(id) keeps its id and version \(version), but \(what) changed. A signed consent cites only the template and version (template: {id: \(id), version: \(version)}), not the wording: every consent already given on \(id) version \(version) would, from this bundle on, point at wording the person never signed; verification, decisions and printed copies would read it against the new text. " + removedEN + remedyEN
    }

    /// What changed under the same version, as short phrases (`der Erklärungstext (de)`, `the wording of clause x (en)`).
    static func sameVersionWhat(_ c: Change, _ language: Language) -> [String] {
        let de = language == .de
        var out: [String] = []
        if !c.textChanged.isEmpty { out.append((de ? "der Erklärungstext (" : "the declaration text (") + c.textChanged.joined(separator: ", ") + ")") }
        if !c.languagesAdded.isEmpty { out.append((de ? "neue Sprachen (" : "new languages (") + c.languagesAdded.joined(separator: ", ") + ")") }
        if !c.languagesRemoved.isEmpty { out.append((de ? "entfallene Sprachen (" : "removed languages (") + c.languagesRemoved.joined(separator: ", ") + ")") }
        if !c.clausesAdded.isEmpty { out.append((de ? "neue Klauseln (" : "new clauses (") + c.clausesAdded.joined(separator: ", ") + ")") }
        if !c.clausesRemoved.isEmpty { out.append((de ? "entfallene Klauseln (" : "removed clauses (") + c.clausesRemoved.joined(separator: ", ") + ")") }
        for cc in c.clausesChanged {
            if !cc.wordingChanged.isEmpty {
                out.append((de ? "der Wortlaut der Klausel \(cc.clause) (" : "the wording of clause \(cc.clause) (") + cc.wordingChanged.joined(separator: ", ") + ")")
            }
            if cc.scopeChanged { out.append(de ? "der Umfang der Klausel \(cc.clause)" : "the scope of clause \(cc.clause)") }
        }
        if c.minimumAgeChanged { out.append(de ? "das Mindestalter" : "the minimum age") }
        if c.maxValidityChanged { out.append(de ? "die längste Gültigkeit" : "the longest validity") }
        return out
    }

    /// The consequence of versions no longer held (current or earlier), in full: consents on them are invalid under
    /// the new bundle.
    public static func versionGoneWords(_ c: Change, _ language: Language) -> String? {
        let gone = c.versionsNoLongerHeld
        guard !gone.isEmpty else { return nil }
        let v = versionWords(gone, language)
        return language == .de
            ? "Einwilligungen auf \(c.template) \(v) passen zu keiner Vorlage dieses Pakets mehr: sie sind ungültig (consent-invalid) und geben nichts frei, bis neu eingewilligt wird."
            : "Consents on \(c.template) \(v) match no template of this bundle any more: they are invalid (consent-invalid) and release nothing until consent is given again."
    }

    /// `Version 2` / `Versionen 2, 1` (`version 2` / `versions 2, 1`).
    static func versionWords(_ versions: [Int], _ language: Language) -> String {
        let list = versions.map(String.init).joined(separator: ", ")
        return language == .de ? (versions.count == 1 ? "Version " : "Versionen ") + list
                               : (versions.count == 1 ? "version " : "versions ") + list
    }

    /// A clause's wording in one language for the compact text report: on one line, quoted, or `—` when absent.
    static func quoted(_ text: String?) -> String {
        guard let text else { return "—" }
        return "\"" + text.split(whereSeparator: \.isNewline).joined(separator: " ") + "\""
    }

    /// A list of ids in words (`a, b`), or `—` when empty.
    static func list(_ ids: [String]) -> String { ids.isEmpty ? "—" : ids.joined(separator: ", ") }

    /// What differs in a clause's scope, as lines (`partners: a → a, b`), each without indentation.
    public static func scopeWords(_ c: ClauseChange, _ language: Language) -> [String] {
        let de = language == .de
        var out: [String] = []
        let (b, a) = (c.before, c.after)
        if Set(b.partners) != Set(a.partners) { out.append((de ? "Empfänger: " : "partners: ") + list(b.partners) + " → " + list(a.partners)) }
        if Set(b.purposes) != Set(a.purposes) {
            // No purposes means any purpose (the key omitted).
            let any = de ? "jeder Zweck" : "any purpose"
            out.append((de ? "Zwecke: " : "purposes: ") + (b.purposes.isEmpty ? any : list(b.purposes)) + " → " + (a.purposes.isEmpty ? any : list(a.purposes)))
        }
        if Set(b.categories) != Set(a.categories) { out.append((de ? "Daten: " : "categories: ") + list(b.categories) + " → " + list(a.categories)) }
        if b.explicit != a.explicit {
            let words = { (e: Bool) in e ? (de ? "ausdrücklich" : "explicit") : (de ? "nicht ausdrücklich" : "not explicit") }
            out.append((de ? "Einwilligung: " : "consent: ") + words(b.explicit) + " → " + words(a.explicit))
        }
        return out
    }

    /// The prominent warning block for the top of the report (empty when no template changed under its version).
    /// Warned about: a template changed under its version (current or earlier), and a template that no longer holds
    /// a version consents were signed on.
    public func warningText(in language: Language) -> String {
        let paragraphs = changedUnderSameVersion.map { Self.sameVersionWarning($0, language) }
            + earlierChangedUnderSameVersion.map { Self.sameVersionWarning($0, language) }
            + droppingSignedVersions.compactMap { Self.droppedVersionsWarning($0, language) }
        guard !paragraphs.isEmpty else { return "" }
        let head = language == .de ? "WARNUNG: " : "WARNING: "
        return paragraphs.map { "\n" + head + $0 + "\n" }.joined() + "\n"
    }

    /// A template's title for a report in `language`, with its other language after it (a change may touch only one
    /// of them): `„Einwilligung Beratung“ (en: „Counselling consent“)`; "(keiner)"/"(none)" without a title.
    public static func titleWords(_ title: LocalizedText?, _ language: Language) -> String {
        guard let title else { return language == .de ? "(keiner)" : "(none)" }
        return language == .de ? "„\(title.de)“ (en: „\(title.en)“)" : "“\(title.en)” (de: “\(title.de)”)"
    }

    /// The report's section (empty when no template changed): per template what happened and its lines.
    public func text(in language: Language) -> String {
        guard !changes.isEmpty else { return "" }
        let de = language == .de
        let one = changes.count == 1
        var out = de ? "\n\(changes.count) \(one ? "geänderte Einwilligungsvorlage" : "geänderte Einwilligungsvorlagen"):\n"
                     : "\n\(changes.count) \(one ? "changed consent template" : "changed consent templates"):\n"
        for c in changes {
            let t = c.after ?? c.before!
            var head = "\n\(de ? "Vorlage" : "Template") \(c.template): \(PolicyDiff.kindWords(c.kind, language))"
            if let b = c.before, let a = c.after {
                head += b.version == a.version ? (de ? "; Version \(a.version) gleich" : "; version \(a.version) unchanged")
                    : "; \(de ? "Version" : "version") \(b.version) → \(a.version)"
            } else {
                head += "; \(de ? "Version" : "version") \(t.version)"
            }
            if c.changedUnderSameVersion { head += de ? " — WARNUNG: Inhalt unter gleicher Version geändert" : " — WARNING: content changed under the same version" }
            out += head + "\n"
            if let gone = Self.versionGoneWords(c, language) { out += "    " + gone + "\n" }
            for line in Self.earlierVersionLines(c, language) { out += "    " + line + "\n" }
            if c.kind == .added {
                if let title = t.title { out += (de ? "    Titel: " : "    title: ") + title[language] + "\n" }
                out += (de ? "    Sprachen: " : "    languages: ") + t.texts.keys.sorted().joined(separator: ", ") + "\n"
                out += (de ? "    Klauseln: " : "    clauses: ") + Self.list(t.clauses.map(\.id)) + "\n"
                out += (de ? "    Mindestalter (darunter unterschreibt ein Sorgeberechtigter): " : "    minimum age (below it a guardian signs): ") + "\(t.minimumAge)\n"
                out += (de ? "    längste Gültigkeit: " : "    longest validity: ") + t.maxValidity.description + "\n"
            }
            guard let b = c.before, let a = c.after else { continue }
            if c.titleChanged {
                out += (de ? "    Titel: " : "    title: ") + "\(Self.titleWords(b.title, language)) → \(Self.titleWords(a.title, language))\n"
            }
            if !c.languagesAdded.isEmpty { out += (de ? "    Sprachen neu: " : "    languages added: ") + c.languagesAdded.joined(separator: ", ") + "\n" }
            if !c.languagesRemoved.isEmpty { out += (de ? "    Sprachen entfallen: " : "    languages removed: ") + c.languagesRemoved.joined(separator: ", ") + "\n" }
            if !c.textChanged.isEmpty { out += (de ? "    Erklärungstext geändert: " : "    declaration text changed: ") + c.textChanged.joined(separator: ", ") + "\n" }
            if c.minimumAgeChanged {
                out += (de ? "    Mindestalter (darunter unterschreibt ein Sorgeberechtigter): " : "    minimum age (below it a guardian signs): ") + "\(b.minimumAge) → \(a.minimumAge)\n"
            }
            if c.maxValidityChanged { out += (de ? "    längste Gültigkeit: " : "    longest validity: ") + "\(b.maxValidity) → \(a.maxValidity)\n" }
            if !c.clausesAdded.isEmpty { out += (de ? "    Klauseln neu: " : "    clauses added: ") + c.clausesAdded.joined(separator: ", ") + "\n" }
            if !c.clausesRemoved.isEmpty { out += (de ? "    Klauseln entfallen: " : "    clauses removed: ") + c.clausesRemoved.joined(separator: ", ") + "\n" }
            if c.clauseOrderChanged { out += (de ? "    Klauselreihenfolge geändert: " : "    clause order changed: ") + a.clauses.map(\.id).joined(separator: ", ") + "\n" }
            for cc in c.clausesChanged {
                out += "    \(de ? "Klausel" : "clause") \(cc.clause):"
                if !cc.wordingChanged.isEmpty { out += (de ? " Wortlaut geändert (" : " wording changed (") + cc.wordingChanged.joined(separator: ", ") + ")" }
                out += "\n"
                for l in cc.wordingChanged {
                    out += "        \(l) \(de ? "vorher: " : "before:") \(Self.quoted(cc.before.text[l]))\n"
                    out += "        \(l) \(de ? "nachher:" : "after: ") \(Self.quoted(cc.after.text[l]))\n"
                }
                for line in Self.scopeWords(cc, language) { out += "        " + line + "\n" }
            }
        }
        return out
    }
}

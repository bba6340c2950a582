import Diagnostics

/// `policy diff` in words: the opening summary (counts, WIDER and MAYBE WIDER lines) and the readable report.
extension PolicyDiff {
    /// A line counting the changes by direction, then each wider one in a line of its own (partner, purpose, field):
    /// the report's opening, so that a widening is not lost among changes that release the same.
    public func summary(in language: Language) -> String {
        let de = language == .de
        let narrower = changes.filter { $0.direction == "narrower" }.count, same = changes.count - wider.count - narrower
        // Wider export profiles are listed below the fields' lines; the count says so, lest "0 wider" read as none at all.
        let widerProfiles = exports.changes.filter { $0.direction == "wider" }.count
        let profiles = widerProfiles == 0 ? "" : (de ? "; Exportprofile weiter: \(widerProfiles)" : "; export profiles wider: \(widerProfiles)")
        var out = de ? "  davon weiter: \(wider.count), enger: \(narrower), Freigabe gleich: \(same)\(profiles)\n"
                     : "  of which wider: \(wider.count), narrower: \(narrower), release unchanged: \(same)\(profiles)\n"
        for c in wider {
            out += "    \(de ? "WEITER" : "WIDER"): \(c.partner) / \(c.purpose) / \(c.field): \(c.releaseBefore.words(language)) → \(c.releaseAfter.words(language))\n"
        }
        return out + exportWarning(in: language) + attributeWarning(in: language)
    }

    /// A line per export profile that goes wider (new, or a gained column some rule releases), for the report's opening
    /// (found in a review of policy authoring: a profile's new phone column stood far below, after every field change).
    func exportWarning(in language: Language) -> String {
        exports.changes.filter { $0.direction == "wider" }.map { c in
            let what = c.before == nil
                ? (language == .de ? "neu" : "new")
                : (language == .de ? "Spalten neu: " : "columns added: ") + c.columnsAdded.filter { $0.release.level != .never }.map(\.field).joined(separator: ", ")
            return language == .de ? "    WEITER: Exportprofil \(c.profile): \(what)\n" : "    WIDER: export profile \(c.profile): \(what)\n"
        }.joined()
    }

    /// A line per attribute that rules test and that is now read otherwise ("VIELLEICHT WEITER" / "MAYBE WIDER"), or nothing.
    func attributeWarning(in language: Language) -> String {
        attributes.decidingChanges.map { c in
            let aspects = c.aspects.filter { ["type", "from", "subject"].contains($0.name) }
                .map { "\($0.name) \"\($0.before)\" → \"\($0.after)\"" }.joined(separator: ", ")
            return language == .de
                ? "    VIELLEICHT WEITER: Merkmal \(c.attribute) wird anders gelesen (\(aspects)): wer die Bedingungen darauf erfüllt, kann sich ändern\n"
                : "    MAYBE WIDER: attribute \(c.attribute) is read otherwise (\(aspects)): who meets the conditions on it may change\n"
        }.joined()
    }

    /// A change's kind in words (`neu geregelt`, `no longer covered`).
    public static func kindWords(_ k: Kind, _ language: Language) -> String {
        switch (k, language) {
        case (.added, .de): "neu geregelt"
        case (.added, .en): "newly covered"
        case (.removed, .de): "nicht mehr geregelt"
        case (.removed, .en): "no longer covered"
        case (.changed, .de): "geändert"
        case (.changed, .en): "changed"
        }
    }

    /// A coverage list in words: `Gesetz: abh-registration (§ 87 AufenthG) wenn age ≥ 6; …`, or the default deny. The
    /// citation in `language`; with `bothLanguages`, a citation that has an English text gives both (`de: …; en: …`),
    /// for a change of the text of the other language only, which would otherwise read the same before and after.
    public static func words(_ list: [Coverage], _ language: Language, bothLanguages: Bool = false) -> String {
        guard !list.isEmpty else { return language == .de ? "— (nicht weitergegeben)" : "— (not released)" }
        return list.map { c in
            var s = ReleaseMatrix.basisWords(c.basis, language) + ": " + c.rule
            if let en = c.citationEnglish, bothLanguages { s += " (de: \(c.citation); en: \(en))" }
            else if !c.citation.isEmpty { s += " (\(language == .en ? c.citationEnglish ?? c.citation : c.citation))" }
            if !c.condition.isEmpty { s += (language == .de ? " wenn " : " if ") + c.condition }
            if !c.clauses.isEmpty { s += (language == .de ? "; Klauseln " : "; clauses ") + ClauseLabels.words(c.clauses, language) }
            return s
        }.joined(separator: " · ")
    }

    /// `list` in words, with both languages' citations where `list` and `other` (before and after) would read the
    /// same in `language` alone: a change of the other language's citation text only (e.g. its English text).
    public static func words(_ list: [Coverage], _ other: [Coverage], _ language: Language) -> String {
        words(list, language, bothLanguages: list != other && words(list, language) == words(other, language))
    }

    /// A readable report: the two bundles, a warning for each template changed under its version, then per change
    /// the partner, purpose and field, what happened, and the rules before and after on indented lines; then the
    /// export profiles and the consent templates that changed.
    public func text(in language: Language) -> String { report(in: language) + versionNote(in: language) }

    /// `versionWarning` as the report's last paragraph ("Hinweis: …"), or nothing.
    func versionNote(in language: Language) -> String {
        versionUnchanged ? "\n" + (language == .de ? "Hinweis: " : "Note: ") + versionWarning(in: language) + "\n" : ""
    }

    /// The report without the note on an unchanged version.
    func report(in language: Language) -> String {
        let de = language == .de
        var out = (de ? "Vorher:  " : "Before: ") + "\(old.id) \(old.version) \(old.digest)\n"
            + (de ? "Nachher: " : "After:  ") + "\(new.id) \(new.version) \(new.digest)\n"
            + templates.warningText(in: language) + partnersAndPurposes.warningText(in: language)
        guard !isEmpty else {
            return out + (de ? "Keine Änderung an der Freigabe: jedes Feld jedes Partners und Zwecks ist gleich geregelt, jedes Exportprofil gleich.\n"
                             : "No change to what is released: every field of every partner and purpose is covered as before, every export profile is the same.\n")
        }
        guard !changes.isEmpty else {
            let same = attributes.decidingChanges.isEmpty
                ? (de ? "Die Regeln geben jedes Feld jedes Partners und Zwecks gleich frei.\n"
                      : "The rules release every field of every partner and purpose as before.\n")
                : (de ? "Jedes Feld jedes Partners und Zwecks ist von denselben Regeln erfasst, doch ein Merkmal, das sie prüfen, wird anders gelesen:\n"
                      : "Every field of every partner and purpose is covered by the same rules, but an attribute they test is read otherwise:\n")
            return out + same + exportWarning(in: language) + attributeWarning(in: language)
                + exports.text(in: language) + templates.text(in: language) + municipalities.text(in: language) + fields.text(in: language)
                + partnersAndPurposes.text(in: language) + categories.text(in: language) + attributes.text(in: language) + formLanguages.text(in: language)
        }
        let one = changes.count == 1
        out += de ? "\(changes.count) \(one ? "Änderung" : "Änderungen") (Partner / Zweck / Feld):\n"
                  : "\(changes.count) \(one ? "change" : "changes") (partner / purpose / field):\n"
        // What matters first (found in a review of policy authoring: one WIDER line among 25 others read alike).
        out += summary(in: language)
        for c in changes {
            let (b, a) = (c.releaseBefore, c.releaseAfter)
            let summary = a == b ? (de ? "Freigabe gleich (\(a.words(language))), Regeln geändert" : "release unchanged (\(a.words(language))), rules changed")
                : (a > b ? (de ? "WEITER: " : "WIDER: ") : (de ? "enger: " : "narrower: ")) + b.words(language) + " → " + a.words(language)
            out += "\n\(c.partner) / \(c.purpose) / \(c.field): \(Self.kindWords(c.kind, language)); \(summary)\n"
            out += (de ? "    vorher:  " : "    before: ") + Self.words(c.before, c.after, language) + "\n"
            out += (de ? "    nachher: " : "    after:  ") + Self.words(c.after, c.before, language) + "\n"
            if let special = c.specialAfter {
                out += de ? "    (die Kategorie des Felds ist \(special ? "jetzt eine" : "keine") besondere Kategorie (Art. 9 DSGVO)\(special ? "" : " mehr"): siehe Datenkategorien bzw. Felddefinitionen)\n"
                          : "    (the field's category is \(special ? "now" : "no longer") a special category (GDPR Art. 9): see data categories or field definitions)\n"
            }
        }
        return out + exports.text(in: language) + templates.text(in: language) + municipalities.text(in: language)
            + fields.text(in: language) + partnersAndPurposes.text(in: language) + categories.text(in: language)
            + attributes.text(in: language) + formLanguages.text(in: language)
    }
}

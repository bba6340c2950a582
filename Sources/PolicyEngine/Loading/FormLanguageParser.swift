import Diagnostics

/// Parses `form-languages`: the county's wording of the printed declaration in a language ConsentGate does not bring
/// (or in place of one it does), and the names of its partners, purposes and data categories in that language. Every
/// text must be there with exactly its placeholders, and every template with a text in the language must find its
/// longest validity in words, so that a form that loads always prints. An entry of a built-in language may give `names`
/// alone and keep ConsentGate's wording.
struct FormLanguageParser {
    let reader: NodeReader
    /// The bundle's partners, purposes and categories, which `names` may name.
    let declarations: Declarations

    /// The keys of one language's entry.
    static let keys = ["name", "direction", "texts", "durations", "names"]

    /// How the language is written.
    enum Direction: String, CaseIterable { case ltr, rtl }

    func parse(_ entries: [SectionEntries.Entry], templates: [ConsentTemplate]) -> [FormLanguage] {
        let unique = DeclarationParser(reader: reader, sections: SectionEntries()).unique(entries, kind: .language)
        var out: [FormLanguage] = []
        for e in unique {
            let what = "form-languages.\(e.key)"
            if !FormLanguage.isLanguageCode(e.key) {
                reader.report("invalid-id", at: e.location,
                              de: "\(what): `\(e.key)` ist kein Sprachcode wie `ar`, `fa` oder `ckb` (zwei oder drei Kleinbuchstaben, danach wahlweise `-` und eine Schrift oder Region wie `sr-Latn`)",
                              en: "\(what): `\(e.key)` is not a language code such as `ar`, `fa` or `ckb` (two or three lower-case letters, optionally followed by `-` and a script or region such as `sr-Latn`)")
                continue
            }
            let builtInName = FormLanguage.builtInLanguageNames[e.key]
            let o = reader.object(e.value, what: what, allowed: Self.keys, required: builtInName == nil ? ["name", "texts"] : [])
            // A built-in language's entry without texts keeps the built-in wording, which brings its own direction and
            // validity words: given here they would be ignored.
            let keepsBuiltInWording = builtInName != nil && o["texts"] == nil
            if keepsBuiltInWording {
                if o["names"] == nil {
                    reader.report("missing-key", at: e.location,
                                  de: "\(what): gibt weder `texts` (der Rahmentext an Stelle des eingebauten) noch `names` (die Namen der Partner, Zwecke und Datenkategorien in dieser Sprache)",
                                  en: "\(what): gives neither `texts` (the wording in place of the built-in one) nor `names` (the partners', purposes' and data categories' names in this language)")
                }
                for key in ["direction", "durations"] {
                    guard let node = o[key] else { continue }
                    reader.report("invalid-value", at: node.location,
                                  de: "\(what).\(key): nur zusammen mit `texts`; ohne sie gilt der eingebaute Rahmentext mit seinen eigenen Angaben",
                                  en: "\(what).\(key): only together with `texts`; without them the built-in wording applies, with its own")
                }
            }
            let name = o["name"] == nil ? builtInName : o["name"].flatMap { reader.label($0, what: "\(what).name", at: e.location) }
            let direction = o["direction"].map { reader.word($0, what: "\(what).direction", as: Direction.self) } ?? .ltr
            if direction == .ltr, FormLanguage.isWrittenRightToLeft(e.key) {
                reader.report("invalid-value", at: o["direction"]?.location ?? e.location,
                              de: "\(what).direction: `\(e.key)` wird von rechts nach links geschrieben; `direction: rtl` angeben (sonst läuft die gedruckte Seite falsch herum)",
                              en: "\(what).direction: `\(e.key)` is written right to left; give `direction: rtl` (else the printed page runs the wrong way)")
            }
            if let name {
                for text in [name.de, name.en] { checkDirectionControls(text, at: o["name"]?.location ?? e.location, field: "\(what).name") }
            }
            let texts = o["texts"].map { self.texts($0, what: "\(what).texts") } ?? [:]
            let durations = o["durations"].map { self.durations($0, what: "\(what).durations") } ?? [:]
            var names = o["names"].map { self.names($0, what: "\(what).names") } ?? FormNames()
            if let node = o["names"], ["de", "en"].contains(e.key) {
                // The bundle's own names are German and English: a second set here would never print.
                reader.report("invalid-value", at: node.location,
                              de: "\(what).names: die Namen auf Deutsch und Englisch stehen bei den Partnern, Zwecken und Datenkategorien selbst (`name`, `label`); dort ändern",
                              en: "\(what).names: the German and English names are the partners', purposes' and data categories' own (`name`, `label`); change them there")
                names = FormNames()
            }
            if !keepsBuiltInWording {
                checkCoverage(of: e.key, durations: durations, templates: templates, at: o["durations"]?.location ?? e.location,
                              what: "\(what).durations")
            }
            guard let name, let direction, keepsBuiltInWording || texts.count == FormLanguage.Key.allCases.count else { continue }
            out.append(FormLanguage(code: e.key, name: name, rightToLeft: direction == .rtl, texts: keepsBuiltInWording ? [:] : texts,
                                    durations: durations.mapValues(\.words), names: names))
        }
        checkCodeCase(out, templates: templates, entries: unique)
        return out
    }

    /// The texts, each checked for its placeholders.
    private func texts(_ node: YAMLNode, what: String) -> [FormLanguage.Key: String] {
        let all = FormLanguage.Key.allCases.map(\.rawValue)
        let o = reader.object(node, what: what, allowed: all, required: all)
        var out: [FormLanguage.Key: String] = [:]
        for key in FormLanguage.Key.allCases {
            guard let valueNode = o[key.rawValue], let text = reader.string(valueNode, what: "\(what).\(key.rawValue)") else { continue }
            let field = "\(what).\(key.rawValue)"
            if text.allSatisfy(\.isWhitespace) {
                reader.report("invalid-value", at: valueNode.location, de: "\(field): der Text ist leer", en: "\(field): the text is empty")
                continue
            }
            var ok = checkDirectionControls(text, at: valueNode.location, field: field)
            for p in key.placeholders {
                let count = text.components(separatedBy: p).count - 1
                guard count != 1 else { continue }
                ok = false
                let meaning = key.placeholderMeaning.map { (de: " (steht für \($0.de))", en: " (it stands for \($0.en))") } ?? (de: "", en: "")
                reader.report("invalid-value", at: valueNode.location,
                              de: count == 0 ? "\(field): der Platzhalter `\(p)` fehlt\(meaning.de)" : "\(field): der Platzhalter `\(p)` steht \(count)-mal im Text, er darf nur einmal stehen",
                              en: count == 0 ? "\(field): the placeholder `\(p)` is missing\(meaning.en)" : "\(field): the placeholder `\(p)` occurs \(count) times; it may occur once only")
            }
            for p in FormLanguage.placeholders where !key.placeholders.contains(p) && text.contains(p) {
                ok = false
                reader.report("invalid-value", at: valueNode.location,
                              de: "\(field): `\(p)` ist hier kein Platzhalter und würde so gedruckt",
                              en: "\(field): `\(p)` is not a placeholder here and would be printed as it stands")
            }
            if ok { out[key] = text }
        }
        return out
    }

    /// The names of partners, purposes and data categories in the language, each by an id the bundle declares (a
    /// misspelt id would leave its English name on the form without a word).
    private func names(_ node: YAMLNode, what: String) -> FormNames {
        let o = reader.object(node, what: what, allowed: FormNames.Section.allCases.map(\.rawValue))
        var out = FormNames()
        var entries = 0
        for section in FormNames.Section.allCases {
            guard let table = o[section.rawValue] else { continue }
            let (kind, known): (PolicyIDKind, Set<String>) = switch section {
            case .partners: (.partner, declarations.partnerIDs)
            case .purposes: (.purpose, declarations.purposeIDs)
            case .categories: (.category, declarations.categoryIDs)
            }
            for e in reader.entries(table, what: "\(what).\(section.rawValue)") {
                entries += 1
                let field = "\(what).\(section.rawValue).\(e.key)"
                guard known.contains(e.key) else {
                    reader.unknown(kind, e.key, at: e.location, known: known)
                    continue
                }
                guard let name = reader.string(e.value, what: field) else { continue }
                if name.allSatisfy(\.isWhitespace) {
                    reader.report("invalid-value", at: e.value.location, de: "\(field): der Name ist leer", en: "\(field): the name is empty")
                } else if let c = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
                    // A line break or another control character would print as it stands, or break the printed line.
                    let hex = String(c.value, radix: 16, uppercase: true)
                    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                    reader.report("invalid-value", at: e.value.location, de: "\(field): das Steuerzeichen \(code) ist in einem Namen nicht erlaubt",
                                  en: "\(field): the control character \(code) is not allowed in a name")
                } else if checkDirectionControls(name, at: e.value.location, field: field) {
                    out[keyPath: section.keyPath][e.key] = name
                }
            }
        }
        // `names: {}` (or a section without names) gives nothing: the form would print English where the author
        // meant their language.
        if entries == 0 {
            reader.report("invalid-value", at: node.location, de: "\(what): gibt keinen Namen (`partners`, `purposes` oder `categories`, je id: Name)",
                          en: "\(what): gives no name (`partners`, `purposes` or `categories`, each id: name)")
        }
        return out
    }

    /// The durations in words, by the duration they name (read as a duration, so `P2Y` and `P24M` stay apart as the
    /// templates write them, and `p2y` is refused).
    private func durations(_ node: YAMLNode, what: String) -> [ISODuration: (words: String, location: SourceLocation)] {
        var out: [ISODuration: (words: String, location: SourceLocation)] = [:]
        for e in reader.entries(node, what: what) {
            let field = "\(what).\(e.key)"
            guard let d = ISODuration(e.key), d.years > 0 || d.months > 0 || d.days > 0 else {
                reader.report("invalid-value", at: e.location, de: "\(field): `\(e.key)` ist keine ISO-8601-Dauer wie P2Y",
                              en: "\(field): `\(e.key)` is not an ISO 8601 duration such as P2Y")
                continue
            }
            guard let words = reader.string(e.value, what: field) else { continue }
            if words.allSatisfy(\.isWhitespace) {
                reader.report("invalid-value", at: e.value.location, de: "\(field): die Worte fehlen", en: "\(field): the words are missing")
            } else if let p = FormLanguage.placeholders.first(where: words.contains) {
                reader.report("invalid-value", at: e.value.location, de: "\(field): `\(p)` ist hier kein Platzhalter und würde so gedruckt",
                              en: "\(field): `\(p)` is not a placeholder here and would be printed as it stands")
            } else if !checkDirectionControls(words, at: e.value.location, field: field) {
                continue
            } else if let first = out[d] {
                reader.report("duplicate-id", at: e.location, de: "\(field): Dauer doppelt (zuerst in \(first.location))",
                              en: "\(field): duplicate duration (first at \(first.location))")
            } else {
                out[d] = (words, e.location)
            }
        }
        return out
    }

    /// Reports a character that embeds, overrides or isolates a direction (`FormLanguage.directionControl`); false if found.
    @discardableResult
    private func checkDirectionControls(_ text: String, at location: SourceLocation, field: String) -> Bool {
        guard let c = FormLanguage.directionControl(in: text) else { return true }
        let code = "U+" + String(c.value, radix: 16, uppercase: true)
        reader.report("invalid-value", at: location,
                      de: "\(field): das Steuerzeichen \(code) (Schreibrichtung einbetten, umkehren oder isolieren) ist nicht erlaubt; ConsentGate isoliert Werte selbst (die Zeichen LRM, RLM und ALM sind erlaubt)",
                      en: "\(field): the control character \(code) (embedding, overriding or isolating a direction) is not allowed; ConsentGate isolates values itself (the marks LRM, RLM and ALM are allowed)")
        return false
    }

    /// Every template version with a text in `code` finds its longest validity in `durations`.
    private func checkCoverage(of code: String, durations: [ISODuration: (words: String, location: SourceLocation)],
                               templates: [ConsentTemplate], at location: SourceLocation, what: String) {
        var missing: [ISODuration: [String]] = [:]
        for t in templates.flatMap(\.allVersions) where t.texts[code] != nil && durations[t.maxValidity] == nil {
            missing[t.maxValidity, default: []].append("\(t.id) v\(t.version)")
        }
        for (d, users) in missing.sorted(by: { $0.key.description < $1.key.description }) {
            let list = users.joined(separator: ", ")
            // The same length written otherwise (`P24M` for the template's `P2Y`): said, since it looks given.
            let alike = durations.keys.first { $0.years * 12 + $0.months == d.years * 12 + d.months && $0.days == d.days }
            reader.report("missing-key", at: location,
                          de: "\(what): die Worte für `\(d)` fehlen, die längste Gültigkeit von \(list) (Text in `\(code)`); z. B. `\(d): …`"
                              + (alike.map { " (`\($0)` steht da, die Vorlage schreibt aber `\(d)`: so schreiben wie die Vorlage)" } ?? ""),
                          en: "\(what): the words for `\(d)` are missing, the longest validity of \(list) (text in `\(code)`); e.g. `\(d): …`"
                              + (alike.map { " (`\($0)` is given, but the template writes `\(d)`: write it as the template does)" } ?? ""))
        }
    }

    /// A template's text under a code that differs from a form language's only in case (`sr-latn` and `sr-Latn`): the two
    /// are one language to a reader, but the form looks the wording up by the exact code and would refuse to print.
    func checkCodeCase(_ languages: [FormLanguage], templates: [ConsentTemplate], entries: [SectionEntries.Entry]) {
        let codes = Set(templates.flatMap(\.allVersions).flatMap(\.texts.keys))
        for f in languages {
            for t in codes.sorted() where t != f.code && t.lowercased() == f.code.lowercased() {
                reader.report("invalid-id", at: entries.first { $0.key == f.code }?.location,
                              de: "form-languages.\(f.code): eine Vorlage hat ihren Text unter `\(t)`; den Sprachcode gleich schreiben (Groß- und Kleinschreibung)",
                              en: "form-languages.\(f.code): a template gives its text under `\(t)`; write the language code the same (upper and lower case)")
            }
        }
    }
}

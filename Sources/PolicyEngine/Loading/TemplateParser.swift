import Diagnostics

/// Parses `consent-templates` (with their text files) and `exports`.
struct TemplateParser {
    let reader: NodeReader
    let declarations: Declarations

    /// The keys of one template version's definition (the current one also takes `earlier-versions`).
    static let definitionKeys = ["version", "languages", "minimum-age", "max-validity", "clauses", "title"]
    static let requiredKeys = ["version", "languages", "minimum-age", "max-validity", "clauses"]

    func parseTemplates(_ entries: [SectionEntries.Entry], texts: (String) -> BundleLoader.TextLookup) -> [ConsentTemplate] {
        var out: [ConsentTemplate] = []
        let unique = DeclarationParser(reader: reader, sections: SectionEntries()).unique(entries, kind: .template)
        for e in unique {
            let what = "consent-templates.\(e.key)"
            let o = reader.object(e.value, what: what, allowed: Self.definitionKeys + ["earlier-versions", EarlierVersionsParser.recordableUntilKey],
                                  required: Self.requiredKeys)
            // `recordable-until` on the current version retires the template: the last Berlin day a declaration signed
            // on it is recorded; its consents stay valid. Read as on an earlier version (a calendar day `YYYY-MM-DD`).
            let key = EarlierVersionsParser.recordableUntilKey
            let retiredAfter = EarlierVersionsParser.day(o[key], what: "\(what).\(key)", reader: reader)
            guard var template = definition(o, id: e.key, name: e.key, what: what, at: e.location, texts: texts) else { continue }
            template.recordableUntil = retiredAfter
            template.earlierVersions = EarlierVersionsParser(parser: self)
                .parse(o["earlier-versions"], of: template, what: what + ".earlier-versions", texts: texts)
            if let retiredAfter { checkWindows(of: template, retiredAfter: retiredAfter, node: o["earlier-versions"], what: what) }
            out.append(template)
        }
        return out
    }

    /// A retired template's earlier versions take no declaration signed after the template's own last day: an earlier
    /// version's window (`recordable-until`) ending later would keep the old wording recordable after the template was
    /// retired. Reported at that version's `recordable-until`.
    private func checkWindows(of template: ConsentTemplate, retiredAfter: Int, node: YAMLNode?, what: String) {
        guard let node, case .sequence(let items) = node.kind else { return }
        let key = EarlierVersionsParser.recordableUntilKey
        for (i, item) in items.enumerated() {
            guard case .mapping(let pairs) = item.kind,
                  let versionNode = pairs.first(where: { $0.0.scalar == "version" })?.1,
                  let version = EarlierVersionsParser.plainInt(versionNode),
                  let earlier = template.earlierVersions.first(where: { $0.version == version }),
                  let until = earlier.recordableUntil, until > retiredAfter else { continue }
            let last = UTCDay.format(retiredAfter), window = UTCDay.format(until)
            reader.report("invalid-value", at: EarlierVersionsParser.keyLocation(key, in: item) ?? item.location,
                          de: "\(what).earlier-versions[\(i)].\(key): \(window) liegt nach dem letzten Tag der Vorlage selbst (\(what).\(key): \(last)); nach ihm wird auf keiner Version von `\(template.id)` mehr eine Erklärung aufgenommen, höchstens \(last) angeben",
                          en: "\(what).earlier-versions[\(i)].\(key): \(window) lies after the template's own last day (\(what).\(key): \(last)); after it no declaration is recorded on any version of `\(template.id)`, give \(last) at the latest")
        }
    }

    /// One version's definition (`o`, read by `object`): version, texts, minimum age, validity, clauses, each checked
    /// and reported at its place. `name` names the version in messages (`kim-beratung`, `kim-beratung v3`). Nil when
    /// `clauses` is not a list (reported).
    func definition(_ o: [String: YAMLNode], id: String, name: String, what: String, at location: SourceLocation,
                    texts: (String) -> BundleLoader.TextLookup) -> ConsentTemplate? {
        let version = reader.int(o["version"], what: "\(what).version") ?? 0
        let minimumAge = reader.int(o["minimum-age"], what: "\(what).minimum-age") ?? 0
        if let node = o["minimum-age"], !(0...120).contains(minimumAge) {
            reader.reportLaterCheck("invalid-value", at: node.location, de: "\(what).minimum-age: \(minimumAge) ist kein Alter (0 bis 120)",
                                    en: "\(what).minimum-age: \(minimumAge) is not an age (0 to 120)")
        }
        var maxValidity = ISODuration(years: 0)
        if let node = o["max-validity"], let s = reader.string(node, what: "\(what).max-validity") {
            if let d = ISODuration(s), d.years == 0, d.months == 0, d.days == 0 {
                reader.report("invalid-value", at: node.location, de: "\(what).max-validity: `\(s)` ist eine Dauer von null; eine Erklärung muss mindestens einen Tag gelten (z. B. P2Y)",
                              en: "\(what).max-validity: `\(s)` is a duration of zero; a declaration must hold for a day at least (e.g. P2Y)")
            } else if let d = ISODuration(s), d.years > 0 || d.months > 0 || d.days > 0 { maxValidity = d } else if ISODuration.hasTimePart(s) {
                reader.report("invalid-value", at: node.location, de: "\(what).max-validity: `\(s)` hat einen Zeitteil (T…); eine Erklärung gilt Jahre, Monate, Wochen oder Tage (z. B. P2Y, P18M, P30D)",
                              en: "\(what).max-validity: `\(s)` has a time part (T…); a declaration holds for years, months, weeks or days (e.g. P2Y, P18M, P30D)")
            } else {
                reader.report("invalid-value", at: node.location, de: "\(what).max-validity: `\(s)` ist keine ISO-8601-Dauer wie P2Y",
                              en: "\(what).max-validity: `\(s)` is not an ISO 8601 duration such as P2Y")
            }
        }
        var textByLanguage: [String: String] = [:]
        var declared: Set<String> = []
        for lang in reader.entries(o["languages"] ?? YAMLNode(kind: .mapping([]), location: location), what: "\(what).languages") {
            declared.insert(lang.key)
            let lo = reader.object(lang.value, what: "\(what).languages.\(lang.key)", allowed: ["file"], required: ["file"])
            guard let fileNode = lo["file"], let path = reader.string(fileNode, what: "\(what).languages.\(lang.key).file") else { continue }
            switch texts(path) {
            case .text(let t):
                textByLanguage[lang.key] = t
                // A declaration with no wording: the page and the printed form would show the clauses alone.
                if t.allSatisfy({ $0.isWhitespace }) {
                    reader.reportLaterCheck("invalid-value", at: fileNode.location, de: "Textdatei `\(path)` ist leer: der Text der Erklärung fehlt",
                                            en: "text file `\(path)` is empty: the declaration's text is missing")
                }
            case let .tooLarge(bytes):
                reader.report("input-too-large", at: fileNode.location,
                              de: "Textdatei `\(path)` ist zu groß: \(bytes) Bytes, höchstens \(YAMLLimits.maxFileBytes) erlaubt",
                              en: "text file `\(path)` is too large: \(bytes) bytes, at most \(YAMLLimits.maxFileBytes) allowed")
            case let .notUTF8(line, column):
                reader.report("unreadable-file", at: fileNode.location,
                              de: "Textdatei `\(path)` ist kein gültiges UTF-8 (erstes ungültiges Byte: Zeile \(line), Spalte \(column)); als UTF-8 speichern",
                              en: "text file `\(path)` is not valid UTF-8 (first invalid byte: line \(line), column \(column)); save it as UTF-8")
            case .missing:
                reader.report("missing-file", at: fileNode.location, de: "Textdatei `\(path)` fehlt", en: "text file `\(path)` is missing")
            case .unreadable:
                reader.report("unreadable-file", at: fileNode.location, de: "Textdatei `\(path)` ist nicht lesbar", en: "text file `\(path)` cannot be read")
            case .outside:
                reader.report("invalid-value", at: fileNode.location, de: "Textdatei `\(path)` liegt außerhalb des Pakets",
                              en: "text file `\(path)` lies outside the bundle")
            }
        }
        if !declared.contains("de"), o["languages"] != nil {
            reader.report("missing-key", at: o["languages"]!.location, de: "\(what).languages: der deutsche Text (`de`) fehlt",
                          en: "\(what).languages: the German text (`de`) is missing")
        }
        var clauses: [ConsentTemplate.Clause] = []
        var seen: Set<String> = []
        if let list = o["clauses"] {
            guard case .sequence(let items) = list.kind else {
                reader.report("wrong-type", at: list.location, de: "\(what).clauses: Liste erwartet", en: "\(what).clauses: a list was expected")
                return nil
            }
            if items.count > ConsentTemplate.maxClauses {
                reader.report("invalid-value", at: list.location,
                              de: "\(what).clauses: \(items.count) Klauseln, höchstens \(ConsentTemplate.maxClauses) erlaubt",
                              en: "\(what).clauses: \(items.count) clauses, at most \(ConsentTemplate.maxClauses) allowed")
            }
            for item in items {
                let co = reader.object(item, what: "\(what).clauses[]", allowed: ["id", "partners", "purposes", "categories", "explicit", "text"],
                                       required: ["id", "partners", "categories"])
                let id = reader.string(co["id"], what: "\(what).clauses[].id") ?? ""
                if !seen.insert(id).inserted {
                    reader.report("duplicate-id", at: co["id"]?.location ?? item.location, de: "Klausel `\(id)` doppelt in `\(name)`",
                                  en: "duplicate clause `\(id)` in `\(name)`")
                }
                let cw = "\(what).clauses.\(id)"
                let partners = ids(co["partners"], .partner, declarations.partnerIDs, cw + ".partners")
                let purposes = ids(co["purposes"], .purpose, declarations.purposeIDs, cw + ".purposes")
                let categories = ids(co["categories"], .category, declarations.categoryIDs, cw + ".categories")
                // A clause that names no partner, purpose or category can never be granted for anything.
                for (key, list) in [("partners", partners), ("purposes", purposes), ("categories", categories)] {
                    if let node = co[key], list.isEmpty, Self.isEmptyList(node) {
                        reader.report("invalid-value", at: node.location,
                                      de: "\(cw).\(key): leere Liste, die Klausel gälte für nichts" + (key == "purposes" ? "; für jeden Zweck den Schlüssel weglassen" : ""),
                                      en: "\(cw).\(key): empty list, the clause would cover nothing" + (key == "purposes" ? "; omit the key to mean any purpose" : ""))
                    }
                }
                let explicit = reader.bool(co["explicit"], what: cw + ".explicit") ?? false
                var text: [String: String] = [:]
                for t in reader.entries(co["text"] ?? YAMLNode(kind: .mapping([]), location: item.location), what: cw + ".text") {
                    text[t.key] = reader.string(t.value, what: cw + ".text." + t.key)
                }
                clauses.append(ConsentTemplate.Clause(id: id, partners: partners, purposes: purposes, categories: categories,
                                                      explicit: explicit, text: text))
            }
        }
        let title = o["title"].flatMap { reader.label($0, what: "\(what).title", at: $0.location) }
        return ConsentTemplate(id: id, version: version, texts: textByLanguage, minimumAge: minimumAge,
                               maxValidity: maxValidity, clauses: clauses, title: title)
    }

    /// `[]` or null: a list written empty (not one whose items were all wrong, already reported).
    static func isEmptyList(_ node: YAMLNode) -> Bool {
        if case .sequence(let items) = node.kind { return items.isEmpty }
        return node.isNull
    }

    private func ids(_ node: YAMLNode?, _ kind: PolicyIDKind, _ known: Set<String>, _ what: String) -> [String] {
        guard let list = reader.strings(node, what: what) else { return [] }
        for (id, loc) in list where !known.contains(id) { reader.unknown(kind, id, at: loc, known: known) }
        return list.map(\.0)
    }

    func parseExports(_ entries: [SectionEntries.Entry], conditions: RuleParser) -> [ExportProfile] {
        var out: [ExportProfile] = []
        for e in DeclarationParser(reader: reader, sections: SectionEntries()).unique(entries, kind: .export) {
            let what = "exports.\(e.key)"
            let o = reader.object(e.value, what: what, allowed: ["partner", "purpose", "records", "columns"],
                                  required: ["partner", "purpose", "columns"])
            let partner = reader.string(o["partner"], what: what + ".partner") ?? ""
            if let n = o["partner"], !partner.isEmpty, !declarations.partnerIDs.contains(partner) { reader.unknown(.partner, partner, at: n.location, known: declarations.partnerIDs) }
            let purpose = reader.string(o["purpose"], what: what + ".purpose") ?? ""
            if let n = o["purpose"], !purpose.isEmpty, !declarations.purposeIDs.contains(purpose) { reader.unknown(.purpose, purpose, at: n.location, known: declarations.purposeIDs) }
            let records = o["records"].map { conditions.statedCondition($0, what: what + ".records") } ?? .always
            var columns: [String] = []
            var seen: Set<String> = []
            for (c, loc) in reader.strings(o["columns"], what: what + ".columns") ?? [] {
                if declarations.fieldByID[c] == nil { reader.unknown(.field, c, at: loc, known: declarations.fieldByID.keys) }
                if !seen.insert(c).inserted {
                    reader.report("duplicate-id", at: loc, de: "\(what).columns: Spalte `\(c)` doppelt", en: "\(what).columns: duplicate column `\(c)`")
                }
                columns.append(c)
            }
            if let node = o["columns"], columns.isEmpty, Self.isEmptyList(node) {
                reader.report("invalid-value", at: node.location, de: "\(what).columns: leere Liste, das Profil gäbe nichts aus",
                              en: "\(what).columns: empty list, the profile would export nothing")
            }
            out.append(ExportProfile(id: e.key, partner: partner, purpose: purpose, records: records, columns: columns))
        }
        return out
    }
}

import Diagnostics
import Foundation

/// The release matrix a DPO reviews (`consentgate policy explain`): per partner and purpose, which rule releases
/// or blocks which fields, on which basis (statute with citation, consent clause, or never), under which condition.
/// A permit row lists under `fields` only what it can release: a field that a forbid without `when` blocks for that
/// partner and purpose for everyone (one without `unless`, or one `unless: explicit-consent` no explicit clause can
/// lift there) is listed under `blocked`, naming the forbid the evaluator names, since no person and no consent gets
/// it released (CONTRACTS §3.3). A forbid `unless: explicit-consent` that a clause can lift does not block. Likewise a
/// consent permit's field of a special category that no explicit clause of any template version can release for that
/// partner and purpose (a plain clause releases nothing there: `consent-not-explicit`) is listed under
/// `needsExplicitClause`, not under `fields`.
public struct ReleaseMatrix: Sendable {
    /// How a rule treats the fields of one row.
    public enum Basis: String, Sendable {
        case statute, consent, never
        /// A forbid with `unless: explicit-consent`.
        case neverUnlessExplicitConsent = "never-unless-explicit-consent"
    }

    /// One rule as it applies to one partner and purpose.
    public struct Row: Sendable {
        /// The partner id.
        public var partner: String
        /// The purpose id.
        public var purpose: String
        /// The rule id.
        public var rule: String
        /// How the rule treats the row's fields.
        public var basis: Basis
        /// The norm the rule cites (its canonical text, as decisions name it).
        public var citation: String
        /// The English text of the citation, when the bundle gives one (`Rule.citationEnglish`).
        public var citationEnglish: String? = nil
        /// The rule's condition in words (`age ≥ 6 ∧ age < 19`), empty for none.
        public var condition: String
        /// The fields the rule covers, in field-id order; for a permit, only those no unconditional forbid blocks.
        public var fields: [String]
        /// For consent rows: the template clauses (`template/clause`) that can release some of these fields (explicit
        /// ones for a special category); for a forbid `unless: explicit-consent`, the explicit clauses that lift it.
        public var clauses: [String]
        /// `clauses` per field of `fields`: those that can release (or lift the forbid for) that field itself, by its
        /// category. A rule's clauses cover some of its fields only (the 2022 form's Jobcenter line covers identity and
        /// contact, not the work history the same rule names); found in a review of policy authoring: the CSV, one line
        /// per field, named for every field every clause of the rule.
        public var fieldClauses: [String: [String]] = [:]
        /// For a permit: the fields it covers that an unconditional forbid blocks for this partner and purpose
        /// (so it never releases them), in field-id order, each with that forbid's id.
        public var blocked: [BlockedField] = []
        /// For a consent permit: the fields of a special category it covers that no explicit clause of any template
        /// version can release for this partner and purpose (so it never releases them until a template offers one),
        /// in field-id order.
        public var needsExplicitClause: [String] = []
        /// The rule's `note` (docs/policy.md: "shown by policy explain"), if it has one.
        public var note: LocalizedText? = nil
    }

    /// A field a permit covers but cannot release: an unconditional forbid blocks it.
    public struct BlockedField: Sendable, Equatable {
        /// The field id.
        public var field: String
        /// The forbid rule that blocks it, as the evaluator names it (the first without `unless` in bundle order, else
        /// the first `unless: explicit-consent` no clause can lift).
        public var forbid: String
    }

    /// The rows, by partner, then purpose (each by id), then rule in bundle order.
    public var rows: [Row]

    /// Builds the matrix, optionally for one partner and/or purpose.
    public init(_ policy: CompiledPolicy, partner: String? = nil, purpose: String? = nil) {
        let b = policy.bundle
        let scope = RuleScope(b)
        let specialCategories = Set(b.categories.filter(\.special).map(\.id))
        let explicitClauses = b.templateVersions.flatMap(\.clauses).filter(\.explicit)
        var rows: [Row] = []
        for p in b.partners where partner == nil || p.id == partner {
            for u in b.purposes where purpose == nil || u.id == purpose {
                // Field index → the forbid that blocks it for everyone here (no `when`), named as the evaluator names
                // it: the first without `unless`, else the first `unless: explicit-consent` that no explicit clause of
                // any template version can lift for this partner, purpose and the field's category (as `ShadowCheck`).
                var blockedBy: [Int: String] = [:]
                let forbids = b.rules.filter { $0.effect == .forbid && $0.when.isAlways
                    && $0.partners?.contains(p.id) ?? true && $0.purposes?.contains(u.id) ?? true }
                for rule in forbids where !rule.unlessExplicitConsent {
                    for f in scope.fields(of: rule) where blockedBy[f] == nil { blockedBy[f] = rule.id }
                }
                for rule in forbids where rule.unlessExplicitConsent {
                    for f in scope.fields(of: rule) where blockedBy[f] == nil && !explicitClauses.contains(where: {
                        $0.covers(partner: p.id, purpose: u.id, category: b.fields[f].category)
                    }) { blockedBy[f] = rule.id }
                }
                for rule in b.rules {
                    guard rule.partners?.contains(p.id) ?? true, rule.purposes?.contains(u.id) ?? true else { continue }
                    let covered = scope.fields(of: rule)
                    guard !covered.isEmpty else { continue }
                    let blocked = rule.effect == .permit ? covered.compactMap { f in blockedBy[f].map { BlockedField(field: b.fields[f].id, forbid: $0) } } : []
                    var fields = covered.filter { rule.effect == .forbid || blockedBy[$0] == nil }.map { b.fields[$0] }
                    let basis: Basis = rule.effect == .forbid ? (rule.unlessExplicitConsent ? .neverUnlessExplicitConsent : .never)
                        : (rule.basis == .statute ? .statute : .consent)
                    // A special category under a consent permit needs an explicit clause for this partner and purpose.
                    var needsExplicit: [String] = []
                    if basis == .consent {
                        let releasable = { (f: FieldDefinition) in !specialCategories.contains(f.category) || explicitClauses.contains {
                            $0.covers(partner: p.id, purpose: u.id, category: f.category)
                        } }
                        needsExplicit = fields.filter { !releasable($0) }.map(\.id)
                        fields = fields.filter(releasable)
                    }
                    var clauses: [String] = []
                    var fieldClauses: [String: [String]] = [:]
                    if basis == .consent || basis == .neverUnlessExplicitConsent {
                        for f in fields {
                            fieldClauses[f.id] = ClauseLabels.labels(b) { c in
                                c.covers(partner: p.id, purpose: u.id, category: f.category)
                                    && (c.explicit || (basis == .consent && !specialCategories.contains(f.category)))
                            }
                        }
                        // A clause is listed when it can release (or lift the forbid for) one of the fields: it covers
                        // the field's category and is explicit where that is needed (a special category, or the
                        // `unless: explicit-consent` exception). A plain clause on a special category releases nothing
                        // (`consent-not-explicit`), so it is not listed.
                        let plainCats = Set(fields.map(\.category).filter { !specialCategories.contains($0) })
                        let allCats = Set(fields.map(\.category))
                        clauses = ClauseLabels.labels(b) { c in
                            c.partners.contains(p.id) && (c.purposes.isEmpty || c.purposes.contains(u.id))
                                && !(c.explicit ? allCats : basis == .consent ? plainCats : []).isDisjoint(with: c.categories)
                        }
                    }
                    rows.append(Row(partner: p.id, purpose: u.id, rule: rule.id, basis: basis, citation: rule.citation,
                                    citationEnglish: rule.citationEnglish, condition: rule.when.text, fields: fields.map(\.id), clauses: clauses,
                                    fieldClauses: fieldClauses, blocked: blocked, needsExplicitClause: needsExplicit, note: rule.note))
                }
            }
        }
        self.rows = rows
        // The names of the partners and purposes the rows name, for the legend (a DPO reads names, not only ids).
        names = (b.partners.filter { p in rows.contains { $0.partner == p.id } }.map { ($0.id, $0.name) },
                 b.purposes.filter { u in rows.contains { $0.purpose == u.id } }.map { ($0.id, $0.label) })
    }

    /// The partners and purposes the rows name, with their names (`policy.yaml`), in bundle order.
    public var names: (partners: [(id: String, name: LocalizedText)], purposes: [(id: String, name: LocalizedText)]) = ([], [])

    /// The legend below the table: each partner and purpose id with its name, in `language` (found in a review of policy
    /// authoring: the matrix named them by id only, and a German DPO had to translate `job-placement`).
    func legend(in language: Language) -> String {
        let de = language == .de
        var out = ""
        if !names.partners.isEmpty {
            out += (de ? "Partner: " : "Partners: ") + names.partners.map { "\($0.id) = \($0.name[language])" }.joined(separator: "; ") + "\n"
        }
        if !names.purposes.isEmpty {
            out += (de ? "Zwecke: " : "Purposes: ") + names.purposes.map { "\($0.id) = \($0.name[language])" }.joined(separator: "; ") + "\n"
        }
        return out
    }

    static func basisWords(_ b: Basis, _ language: Language) -> String {
        switch (b, language) {
        case (.statute, .de): "Gesetz"
        case (.statute, .en): "statute"
        case (.consent, .de): "Einwilligung"
        case (.consent, .en): "consent"
        case (.never, .de): "nie"
        case (.never, .en): "never"
        case (.neverUnlessExplicitConsent, .de): "nie, außer ausdrückliche Einwilligung"
        case (.neverUnlessExplicitConsent, .en): "never, unless explicit consent"
        }
    }

    func header(_ language: Language) -> [String] {
        language == .de ? ["Partner", "Zweck", "Grundlage", "Regel", "Norm", "Bedingung", "Felder", "Klauseln"]
                        : ["Partner", "Purpose", "Basis", "Rule", "Norm", "Condition", "Fields", "Clauses"]
    }

    func cells(_ r: Row, _ language: Language) -> [String] {
        let blocked = r.blockedByForbid.map { Self.blockedWords($0.forbid, language) + ": " + $0.fields.joined(separator: ", ") }
            + (r.needsExplicitClause.isEmpty ? [] : [Self.needsExplicitWords(language) + ": " + r.needsExplicitClause.joined(separator: ", ")])
        return [r.partner, r.purpose, Self.basisWords(r.basis, language), r.rule, r.citation(in: language), r.condition,
                ([r.fields.isEmpty ? "—" : r.fields.joined(separator: ", ")] + blocked.map { "(\($0))" }).joined(separator: " "),
                Self.clauseWords(r, language)]
    }

    /// A row's clauses in words; a clause that covers only some of the row's fields with those it covers
    /// (`kim-erklaerung-2022/jobcenter (nur für name.family, …)`).
    static func clauseWords(_ r: Row, _ language: Language) -> String {
        let perField = r.fields.map { r.fieldClauses[$0] ?? r.clauses }
        if perField.allSatisfy({ Set($0) == Set(r.clauses) }) { return ClauseLabels.words(r.clauses, language) }
        return r.clauses.map { c in
            let fields = r.fields.filter { (r.fieldClauses[$0] ?? r.clauses).contains(c) }
            guard fields.count < r.fields.count else { return ClauseLabels.words([c], language) }
            return ClauseLabels.words([c], language) + " (" + (language == .de ? "nur für " : "only for ") + fields.joined(separator: ", ") + ")"
        }.joined(separator: "; ")
    }

    /// `blocked by forbid x` / `gesperrt durch Verbot x`.
    static func blockedWords(_ forbid: String, _ language: Language) -> String {
        language == .de ? "gesperrt durch Verbot \(forbid)" : "blocked by forbid \(forbid)"
    }

    /// `needs an explicit clause, which no template offers` / `nur mit ausdrücklicher Klausel, die keine Vorlage anbietet`.
    static func needsExplicitWords(_ language: Language) -> String {
        language == .de ? "nur mit ausdrücklicher Klausel, die keine Vorlage anbietet" : "needs an explicit clause, which no template offers"
    }

    /// A readable text table: one aligned line per partner, purpose and rule, with its fields (and clauses) on
    /// indented lines below.
    public func table(in language: Language) -> String {
        let head = Array(header(language).prefix(6))
        let lines = TextTable.render(header: head, rows: rows.map { Array(cells($0, language).prefix(6)) }).split(separator: "\n", omittingEmptySubsequences: false)
        var out = lines.prefix(2).joined(separator: "\n") + "\n"
        let fieldsWord = language == .de ? "Felder" : "fields", clausesWord = language == .de ? "Klauseln" : "clauses"
        for (i, r) in rows.enumerated() {
            out += lines[i + 2] + "\n"
            out += "    \(fieldsWord): " + (r.fields.isEmpty ? "—" : r.fields.joined(separator: ", ")) + "\n"
            if !r.clauses.isEmpty { out += "    \(clausesWord): " + Self.clauseWords(r, language) + "\n" }
            for (forbid, fields) in r.blockedByForbid {
                out += "    " + Self.blockedWords(forbid, language) + ": " + fields.joined(separator: ", ") + "\n"
            }
            if !r.needsExplicitClause.isEmpty {
                out += "    " + Self.needsExplicitWords(language) + ": " + r.needsExplicitClause.joined(separator: ", ") + "\n"
            }
            if let note = r.note { out += "    " + (language == .de ? "Hinweis: " : "note: ") + note[language] + "\n" }
        }
        return out
            + (language == .de ? "Nicht aufgeführte Felder werden nicht weitergegeben (Grundsatz: verweigern).\n"
                               : "Fields not listed are not released (default deny).\n")
            + legend(in: language)
    }

    /// A Markdown table.
    /// Text from the bundle is escaped for Markdown tables (`|`) and for the HTML a Markdown renderer lets through (`<`,
    /// `>`, `&`): found in a review of policy authoring, `<b>` in a citation reached the output as markup. A rule's note
    /// follows the rule's id; the legend of names follows the table.
    public func markdown(in language: Language) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")   // a row is one line
        }
        var out = "| " + header(language).joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: "---|", count: header(language).count) + "\n"
        for r in rows {
            var cells = cells(r, language)
            if let note = r.note { cells[3] += " (" + (language == .de ? "Hinweis: " : "note: ") + note[language] + ")" }
            out += "| " + cells.map(esc).joined(separator: " | ") + " |\n"
        }
        let legend = legend(in: language)
        return legend.isEmpty ? out : out + "\n" + legend.split(separator: "\n").map { esc(String($0)) + "  " }.joined(separator: "\n") + "\n"
    }

    /// CSV (RFC 4180, `,` separated, CRLF): one line per partner, purpose, rule and field (a permit's blocked fields
    /// have none: the forbid's own line gives them as `never`; nor have the fields that need an explicit clause no
    /// template offers: nothing releases them); the clauses in one cell,
    /// separated by `, ` as in the other formats (a label has spaces: `kim-beratung/x (explicit)`, `t v3/x`).
    public func csv() -> String {
        func q(_ s: String) -> String { s.contains(where: { ",\"\r\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var lines = ["partner,purpose,field,basis,rule,citation,condition,clauses"]
        for r in rows {
            for f in r.fields {
                lines.append([r.partner, r.purpose, f, r.basis.rawValue, r.rule, r.citation, r.condition, (r.fieldClauses[f] ?? r.clauses).joined(separator: ", ")].map(q).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// JSON: `{"matrix-version": 2, "rows": [...]}`, deterministic; a row's `citation` is the canonical text, with
    /// `citation-en` beside it where the bundle gives the citation as `{de, en}` (added within version 2), and a consent
    /// row's (or a forbid unless explicit consent's) `field-clauses`, the clauses per field (added within version 2).
    /// Version 2 (2026-12-05): a permit row's `fields`
    /// leaves out the fields it can never release, now listed under `blocked` and `needs-explicit-clause`; in version
    /// 1 `fields` held every field the rule covers.
    public func json() -> OrderedJSON {
        .object([("matrix-version", .int(2)), ("rows", .array(rows.map { r in .object([
            ("partner", .string(r.partner)), ("purpose", .string(r.purpose)), ("rule", .string(r.rule)),
            ("basis", .string(r.basis.rawValue)), ("citation", .string(r.citation)), ("condition", .string(r.condition)),
            ("fields", .array(r.fields.map { .string($0) })), ("clauses", .array(r.clauses.map { .string($0) })),
            ("blocked", .array(r.blocked.map { .object([("field", .string($0.field)), ("forbid", .string($0.forbid))]) })),
            ("needs-explicit-clause", .array(r.needsExplicitClause.map { .string($0) })),
            ("note", r.note.map { .object([("de", .string($0.de)), ("en", .string($0.en))]) } ?? .null)]
            // `citation` stays the canonical text; the English one beside it only when the bundle gives one.
            + (r.citationEnglish.map { [("citation-en", .string($0))] } ?? [])
            // Per field, the clauses that can release (or lift the forbid for) it: on consent rows and forbids unless
            // explicit consent only (added within version 2).
            + (r.basis == .consent || r.basis == .neverUnlessExplicitConsent
               ? [("field-clauses", .object(r.fields.map { f in (f, .array((r.fieldClauses[f] ?? r.clauses).map { .string($0) })) }))] : [])) }))])
    }
}

extension ReleaseMatrix.Row {
    /// The citation as a reader of `language` reads it: the English text where the bundle gives one.
    public func citation(in language: Language) -> String { language == .en ? citationEnglish ?? citation : citation }

    /// The blocked fields grouped by the forbid that blocks them, in the order the forbids first appear.
    var blockedByForbid: [(forbid: String, fields: [String])] {
        var out: [(forbid: String, fields: [String])] = []
        for b in blocked {
            if let i = out.firstIndex(where: { $0.forbid == b.forbid }) { out[i].fields.append(b.field) } else { out.append((b.forbid, [b.field])) }
        }
        return out
    }
}

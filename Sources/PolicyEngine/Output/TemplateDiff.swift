import Diagnostics
import Foundation

/// What a policy change changes in the consent templates (`consent-templates`, CONTRACTS §3): the declarations
/// people sign. A signed consent records only the template id and version it was given on (`template: {id,
/// version}` in its payload, `template_id`/`template_version` in the store), the language and the granted clause
/// ids; never the wording. Whatever the bundle says under that id and version is what the evaluator, the verifier
/// and a printed copy of the consent read. So a DPO reviewing a new bundle must see every template added or
/// removed, every version change (consents on a version the bundle no longer holds are invalid), and per
/// template the clauses, their wording per language, their recipients, purposes and data, the languages, the
/// minimum age below which a guardian signs, and the longest validity. Above all: a template whose id and version
/// stayed while anything printed on the declaration changed (`changedUnderSameVersion`), since every consent
/// already signed on it would from then on cite wording the person never signed.
///
/// Templates are compared by id: the current versions with each other, and the versions a template keeps besides its
/// current one (`earlier-versions`) by version number: which earlier versions are added, kept or dropped, which
/// version the new bundle no longer holds at all (its consents become invalid), and an earlier version whose content
/// changed under its number (the same warning as for the current one).
public struct TemplateDiff: Sendable {
    /// A clause both templates have, with what differs.
    public struct ClauseChange: Sendable, Equatable {
        public var clause: String
        /// The clause before and after.
        public var before: ConsentTemplate.Clause
        public var after: ConsentTemplate.Clause
        /// The languages whose wording differs (changed, added or removed), sorted.
        public var wordingChanged: [String]

        /// Whether recipients, purposes, data categories (each as a set: a new order says the same) or the
        /// explicit mark changed: what the clause releases.
        public var scopeChanged: Bool {
            Set(before.partners) != Set(after.partners) || Set(before.purposes) != Set(after.purposes)
                || Set(before.categories) != Set(after.categories) || before.explicit != after.explicit
        }
    }

    /// One template (by id) that differs.
    public struct Change: Sendable {
        public var template: String
        public var kind: PolicyDiff.Kind
        /// The template before and after (nil when added or removed).
        public var before: ConsentTemplate?
        public var after: ConsentTemplate?
        /// Declaration languages (`languages`) gained and lost, sorted.
        public var languagesAdded: [String]
        public var languagesRemoved: [String]
        /// Languages held before and after whose declaration text (the text file) differs, sorted.
        public var textChanged: [String]
        /// Clause ids gained (in the new order) and lost (in the old order).
        public var clausesAdded: [String]
        public var clausesRemoved: [String]
        /// Clauses held before and after that differ, in the new order.
        public var clausesChanged: [ClauseChange]
        /// The same clauses in another order (the printed declaration changes shape).
        public var clauseOrderChanged: Bool
        /// Versions kept under `earlier-versions` in the new bundle that were not kept there before (typically the old
        /// current version after a bump), newest first.
        public var earlierVersionsAdded: [Int] = []
        /// Versions kept under `earlier-versions` before and after, newest first.
        public var earlierVersionsKept: [Int] = []
        /// Versions kept under `earlier-versions` before that the new bundle does not hold at all, newest first.
        public var earlierVersionsDropped: [Int] = []
        /// Versions held on both sides (current or earlier, other than the current version compared above) whose
        /// definition changed under the same number: each as a change of that version, newest first.
        public var earlierVersionsChanged: [Change] = []
        /// Whether this change is of a version kept under `earlier-versions` in the new bundle (one of
        /// `earlierVersionsChanged`), not of the current version.
        public var isEarlierVersion = false

        /// Whether the version changed (false when added or removed).
        public var versionChanged: Bool {
            guard let before, let after else { return false }
            return before.version != after.version
        }

        /// Whether the minimum age (below which a guardian must sign) changed.
        public var minimumAgeChanged: Bool {
            guard let before, let after else { return false }
            return before.minimumAge != after.minimumAge
        }

        /// Whether the longest validity (`max-validity`) changed.
        public var maxValidityChanged: Bool {
            guard let before, let after else { return false }
            return before.maxValidity != after.maxValidity
        }

        /// The serious case: id and version unchanged, yet something printed on the declaration changed (its
        /// text, its languages, a clause added, removed or reworded, a clause's recipients, purposes, data or
        /// explicit mark, the minimum age, the longest validity). Consents already signed cite only (id,
        /// version): each of them would now be read against wording and scope the person never signed. A new
        /// clause order alone is not counted (the same clauses say the same).
        public var changedUnderSameVersion: Bool {
            guard let before, let after, before.version == after.version else { return false }
            return !languagesAdded.isEmpty || !languagesRemoved.isEmpty || !textChanged.isEmpty
                || !clausesAdded.isEmpty || !clausesRemoved.isEmpty || !clausesChanged.isEmpty
                || minimumAgeChanged || maxValidityChanged
        }

        /// The old current version when this bundle no longer holds it, neither as its current version nor under
        /// `earlier-versions` (the template removed, or bumped without keeping it): its signed consents become invalid
        /// (`consent-invalid`); nil otherwise.
        public var versionNoLongerHeld: Int? {
            guard let before else { return nil }
            if let after, after.allVersions.contains(where: { $0.version == before.version }) { return nil }
            return before.version
        }

        /// Every version the old bundle held (current or earlier) that the new one does not hold at all, newest first:
        /// the consents signed on each become invalid (`consent-invalid`).
        public var versionsNoLongerHeld: [Int] {
            let held = Set((after?.allVersions ?? []).map(\.version))
            return (before?.allVersions ?? []).map(\.version).filter { !held.contains($0) }.sorted(by: >)
        }

        /// The template stays but some version the old bundle held is gone (a bump without keeping the old version, or
        /// an earlier version dropped): warned about, since people's valid consents stop counting.
        public var dropsSignedVersions: Bool { after != nil && !versionsNoLongerHeld.isEmpty }
    }

    /// Every template that differs, by id.
    public var changes: [Change]

    /// The templates whose id and version stayed while their content changed (`Change.changedUnderSameVersion`).
    public var changedUnderSameVersion: [Change] { changes.filter(\.changedUnderSameVersion) }

    /// Earlier versions (or an old current version now kept as an earlier one) whose content changed under their
    /// number: each a change of that one version, warned about like `changedUnderSameVersion`.
    public var earlierChangedUnderSameVersion: [Change] { changes.flatMap(\.earlierVersionsChanged) }

    /// The templates that stay but no longer hold a version the old bundle held (`Change.dropsSignedVersions`).
    public var droppingSignedVersions: [Change] { changes.filter(\.dropsSignedVersions) }

    /// Compares the consent templates of `old` and `new` by id.
    public init(old: CompiledPolicy, new: CompiledPolicy) {
        self.init(old: old.bundle.templates, new: new.bundle.templates)
    }

    /// Compares two lists of templates by id. A template whose only difference is the order of a clause's
    /// partners, purposes or categories is not listed (it says the same).
    public init(old: [ConsentTemplate], new: [ConsentTemplate]) {
        func byID(_ list: [ConsentTemplate]) -> [String: ConsentTemplate] {
            Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, b in a.version >= b.version ? a : b })
        }
        let before = byID(old), after = byID(new)
        changes = Set(before.keys).union(after.keys).sorted().compactMap { id in
            let b = before[id], a = after[id]
            guard b != a else { return nil }
            guard let b, let a else {
                return Change(template: id, kind: b == nil ? .added : .removed, before: b, after: a, languagesAdded: [],
                              languagesRemoved: [], textChanged: [], clausesAdded: [], clausesRemoved: [], clausesChanged: [],
                              clauseOrderChanged: false)
            }
            var change = Self.compare(id, b, a)
            let earlierBefore = b.earlierVersions.map(\.version), earlierAfter = a.earlierVersions.map(\.version)
            let heldAfter = Set(a.allVersions.map(\.version))
            change.earlierVersionsAdded = earlierAfter.filter { !earlierBefore.contains($0) }
            change.earlierVersionsKept = earlierAfter.filter { earlierBefore.contains($0) }
            change.earlierVersionsDropped = earlierBefore.filter { !heldAfter.contains($0) }
            // Every version held on both sides, other than the current one compared above, read for a change under its number.
            let oldByVersion = Dictionary(b.allVersions.map { ($0.version, $0) }, uniquingKeysWith: { x, _ in x })
            change.earlierVersionsChanged = a.allVersions.compactMap { n in
                guard let o = oldByVersion[n.version], !(o.version == b.version && n.version == a.version) else { return nil }
                var c = Self.compare(id, o, n)
                c.isEarlierVersion = true
                return c.changedUnderSameVersion ? c : nil
            }
            return change.changedUnderSameVersion || change.versionChanged || change.clauseOrderChanged
                || !change.earlierVersionsAdded.isEmpty || !change.earlierVersionsDropped.isEmpty
                || !change.earlierVersionsChanged.isEmpty ? change : nil
        }
    }

    /// What differs between two versions of template `id` (their own definitions; earlier versions are compared by
    /// the caller).
    static func compare(_ id: String, _ b: ConsentTemplate, _ a: ConsentTemplate) -> Change {
        let oldIDs = b.clauses.map(\.id), newIDs = a.clauses.map(\.id)
        let clauseChanges: [ClauseChange] = a.clauses.compactMap { n in
            guard let o = b.clause(n.id), o != n else { return nil }
            let languages = Set(o.text.keys).union(n.text.keys).filter { o.text[$0] != n.text[$0] }.sorted()
            let change = ClauseChange(clause: n.id, before: o, after: n, wordingChanged: languages)
            return languages.isEmpty && !change.scopeChanged ? nil : change
        }
        return Change(template: id, kind: .changed, before: b, after: a,
                      languagesAdded: a.texts.keys.filter { b.texts[$0] == nil }.sorted(),
                      languagesRemoved: b.texts.keys.filter { a.texts[$0] == nil }.sorted(),
                      textChanged: a.texts.keys.filter { b.texts[$0] != nil && b.texts[$0] != a.texts[$0] }.sorted(),
                      clausesAdded: newIDs.filter { !oldIDs.contains($0) }, clausesRemoved: oldIDs.filter { !newIDs.contains($0) },
                      clausesChanged: clauseChanges,
                      clauseOrderChanged: oldIDs != newIDs && Set(oldIDs) == Set(newIDs))
    }

    // MARK: Words

    /// The warning for a template changed under its version, in full (one paragraph, no line breaks).
    public static func sameVersionWarning(_ c: Change, _ language: Language) -> String {
        let id = c.template, version = c.after?.version ?? 0
        let phrases = sameVersionWhat(c, language)
        let and = language == .de ? " und " : " and "
        let what = phrases.count < 2 ? phrases.joined() : phrases.dropLast().joined(separator: ", ") + and + phrases.last!
        // An earlier version is kept only to read the consents signed on it: the remedy is its old text, not a new version.
        let remedyDE = c.isEarlierVersion
            ? "Die frühere Version \(version) unter `earlier-versions` genau so behalten, wie sie ausgegeben wurde (die alte Fassung wiederherstellen)."
            : "Die Vorlage mit neuer Version ausgeben (Einwilligungen auf Version \(version) müssen dann neu erteilt werden) oder die alte Fassung wiederherstellen."
        let remedyEN = c.isEarlierVersion
            ? "Keep the earlier version \(version) under `earlier-versions` exactly as it was issued (restore the old text)."
            : "Issue the template under a new version (consents on version \(version) must then be given again) or restore the old text."
        return language == .de
            ? "Vorlage \(id) behält Kennung und Version \(version), aber \(what) \(phrases.count < 2 ? "hat" : "haben") sich geändert. Eine erteilte Einwilligung nennt nur Vorlage und Version (template: {id: \(id), version: \(version)}), nicht den Wortlaut: Jede schon auf \(id) Version \(version) erteilte Einwilligung verwiese ab diesem Paket auf einen Wortlaut, den die Person nie unterschrieben hat; Prüfung, Entscheidungen und gedruckte Kopien läsen sie gegen die neue Fassung. " + remedyDE
            : "Template \(id) keeps its id and version \(version), but \(what) changed. A signed consent cites only the template and version (template: {id: \(id), version: \(version)}), not the wording: every consent already given on \(id) version \(version) would, from this bundle on, point at wording the person never signed; verification, decisions and printed copies would read it against the new text. " + remedyEN
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

    /// The report's section (empty when no template changed): per template what happened and its lines.
    public func text(in language: Language) -> String {
        guard !changes.isEmpty else { return "" }
        let de = language == .de
        var out = de ? "\n\(changes.count) geänderte Einwilligungsvorlagen:\n" : "\n\(changes.count) changed consent templates:\n"
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
                out += (de ? "    Sprachen: " : "    languages: ") + t.texts.keys.sorted().joined(separator: ", ") + "\n"
                out += (de ? "    Klauseln: " : "    clauses: ") + Self.list(t.clauses.map(\.id)) + "\n"
                out += (de ? "    Mindestalter (darunter unterschreibt ein Sorgeberechtigter): " : "    minimum age (below it a guardian signs): ") + "\(t.minimumAge)\n"
                out += (de ? "    längste Gültigkeit: " : "    longest validity: ") + t.maxValidity.description + "\n"
            }
            guard let b = c.before, let a = c.after else { continue }
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

    // MARK: JSON

    /// JSON: one object per changed template (the `templates` member of `PolicyDiff.json()`), every member always
    /// present.
    public func json() -> OrderedJSON {
        func texts(_ t: [String: String]) -> OrderedJSON { .object(t.keys.sorted().map { ($0, .string(t[$0]!)) }) }
        func strings(_ list: [String]) -> OrderedJSON { .array(list.map { .string($0) }) }
        func template(_ t: ConsentTemplate?) -> OrderedJSON {
            guard let t else { return .null }
            return .object([("version", .int(t.version)), ("languages", strings(t.texts.keys.sorted())),
                            ("minimum-age", .int(t.minimumAge)), ("max-validity", .string(t.maxValidity.description)),
                            ("clauses", strings(t.clauses.map(\.id)))])
        }
        func clause(_ c: ConsentTemplate.Clause) -> OrderedJSON {
            .object([("partners", strings(c.partners)), ("purposes", strings(c.purposes)), ("categories", strings(c.categories)),
                     ("explicit", .bool(c.explicit)), ("text", texts(c.text))])
        }
        func change(_ c: Change) -> OrderedJSON { .object([
            ("template", .string(c.template)), ("change", .string(c.kind.rawValue)),
            ("changed-under-same-version", .bool(c.changedUnderSameVersion)),
            ("version-no-longer-held", c.versionNoLongerHeld.map { OrderedJSON.int($0) } ?? .null),
            ("before", template(c.before)), ("after", template(c.after)),
            ("languages-added", strings(c.languagesAdded)), ("languages-removed", strings(c.languagesRemoved)),
            ("text-changed", strings(c.textChanged)),
            ("clauses-added", strings(c.clausesAdded)), ("clauses-removed", strings(c.clausesRemoved)),
            ("clause-order-changed", .bool(c.clauseOrderChanged)),
            ("clauses-changed", .array(c.clausesChanged.map { cc in .object([
                ("clause", .string(cc.clause)), ("wording-changed", strings(cc.wordingChanged)),
                ("scope-changed", .bool(cc.scopeChanged)),
                ("before", clause(cc.before)), ("after", clause(cc.after))]) }))]
            + Self.earlierVersionsJSON(c, change: change)) }
        return .array(changes.map(change))
    }
}

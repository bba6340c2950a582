import Diagnostics

/// What a policy change did to the partners and purposes themselves (`partners` and `purposes` of `policy.yaml`):
/// added, removed, renamed, and above all a partner's drive folder changed, which decides which agency physically
/// receives the export files. Found in a review of policy authoring: two partners' folders swapped sent the school
/// office's export (children, guardians' phone numbers) into the job centre's folder, and `policy diff` said "no change".
public struct PartnerPurposeDiff: Sendable, Equatable {
    /// A partner present in both bundles whose name or folder differs.
    public struct PartnerChange: Sendable, Equatable {
        /// The partner id.
        public var id: String
        /// The partner before and after.
        public var before: Partner, after: Partner
        /// Whether its drive folder changed (a warning: its exports go elsewhere from now on).
        public var folderChanged: Bool { before.folder != after.folder }
    }

    /// A purpose present in both bundles whose label differs.
    public struct PurposeChange: Sendable, Equatable {
        /// The purpose id.
        public var id: String
        /// The label before and after.
        public var before: LocalizedText, after: LocalizedText
    }

    /// Partners the new bundle has and the old had not, by id.
    public var addedPartners: [Partner]
    /// Partners the old bundle had and the new has not, by id.
    public var removedPartners: [Partner]
    /// Partners in both with another name or folder, by id.
    public var changedPartners: [PartnerChange]
    /// Purposes the new bundle has and the old had not, by id.
    public var addedPurposes: [Purpose]
    /// Purposes the old bundle had and the new has not, by id.
    public var removedPurposes: [Purpose]
    /// Purposes in both with another label, by id.
    public var changedPurposes: [PurposeChange]

    /// The old bundle's partners by their drive folder.
    var oldFolders: [String: String] = [:]

    /// Compares the partners and purposes of `old` and `new` by id.
    public init(old: PolicyBundle, new: PolicyBundle) {
        oldFolders = Dictionary(old.partners.map { ($0.folder, $0.id) }, uniquingKeysWith: { a, _ in a })
        let oldPartners = Dictionary(old.partners.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newPartners = Dictionary(new.partners.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        addedPartners = new.partners.filter { oldPartners[$0.id] == nil }.sorted { $0.id < $1.id }
        removedPartners = old.partners.filter { newPartners[$0.id] == nil }.sorted { $0.id < $1.id }
        changedPartners = new.partners.compactMap { p in
            guard let before = oldPartners[p.id], before != p else { return nil }
            return PartnerChange(id: p.id, before: before, after: p)
        }.sorted { $0.id < $1.id }
        let oldPurposes = Dictionary(old.purposes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newPurposes = Dictionary(new.purposes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        addedPurposes = new.purposes.filter { oldPurposes[$0.id] == nil }.sorted { $0.id < $1.id }
        removedPurposes = old.purposes.filter { newPurposes[$0.id] == nil }.sorted { $0.id < $1.id }
        changedPurposes = new.purposes.compactMap { p in
            guard let before = oldPurposes[p.id], before.label != p.label else { return nil }
            return PurposeChange(id: p.id, before: before.label, after: p.label)
        }.sorted { $0.id < $1.id }
    }

    /// Whether partners and purposes are the same.
    public var isEmpty: Bool {
        addedPartners.isEmpty && removedPartners.isEmpty && changedPartners.isEmpty
            && addedPurposes.isEmpty && removedPurposes.isEmpty && changedPurposes.isEmpty
    }

    /// One warning sentence per partner whose drive folder changed (empty when none): from now on that agency's export
    /// files go to another folder.
    public func folderWarnings(in language: Language) -> [String] {
        let moved = changedPartners.filter(\.folderChanged).map { c in
            language == .de
                ? "Die Exporte an \(c.after.name.de) (\(c.id)) gehen künftig in den Laufwerksordner „\(c.after.folder)“ statt „\(c.before.folder)“; bitte prüfen, dass dieser Ordner dieser Stelle gehört und keiner anderen."
                : "the exports to \(c.after.name.en) (\(c.id)) go to the drive folder “\(c.after.folder)” from now on, not “\(c.before.folder)”; check that this folder belongs to this agency and no other."
        }
        // A new partner id in a folder that was another partner's (a renamed id, or a new agency in a removed one's
        // folder): the same hazard under another name.
        let taken = addedPartners.compactMap { p -> String? in
            guard let before = oldFolders[p.folder], before != p.id else { return nil }
            return language == .de
                ? "Der neue Partner \(p.name.de) (\(p.id)) schreibt in den Laufwerksordner „\(p.folder)“, der bisher \(before) gehörte; bitte prüfen, dass dieser Ordner jetzt dieser Stelle gehört und keiner anderen."
                : "the new partner \(p.name.en) (\(p.id)) writes to the drive folder “\(p.folder)”, which was \(before)'s; check that this folder now belongs to this agency and no other."
        }
        return moved + taken
    }

    /// The warnings as lines for the top of `policy diff`'s text (empty when none).
    public func warningText(in language: Language) -> String {
        folderWarnings(in: language).map { (language == .de ? "WARNUNG: " : "WARNING: ") + $0 + "\n" }.joined()
    }

    /// One line per partner and per purpose added, removed or changed, in words (`neu: housing (Wohnungsamt; Ordner
    /// Wohnen)`, `geändert: office: Laufwerksordner „Amt“ → „Agentur_1“`): the text report's and the page's items.
    public func lines(in language: Language) -> (partners: [String], purposes: [String]) {
        let de = language == .de
        func partner(_ p: Partner) -> String { "\(p.id) (\(p.name[language]); \(de ? "Ordner" : "folder") \(p.folder))" }
        func purpose(_ p: Purpose) -> String { "\(p.id) (\(p.label[language]))" }
        // A change in the other language alone would read „X“ → „X“: then both languages are given.
        func change(_ a: LocalizedText, _ b: LocalizedText) -> String {
            a[language] != b[language] ? "„\(a[language])“ → „\(b[language])“" : "„\(a.de)“/„\(a.en)“ → „\(b.de)“/„\(b.en)“"
        }
        var partners = addedPartners.map { (de ? "neu: " : "added: ") + partner($0) }
            + removedPartners.map { (de ? "entfallen: " : "removed: ") + partner($0) }
        for c in changedPartners {
            var what: [String] = []
            if c.before.name != c.after.name { what.append((de ? "Name " : "name ") + change(c.before.name, c.after.name)) }
            if c.folderChanged { what.append((de ? "Laufwerksordner " : "drive folder ") + "„\(c.before.folder)“ → „\(c.after.folder)“") }
            partners.append((de ? "geändert: " : "changed: ") + c.id + ": " + what.joined(separator: "; "))
        }
        let purposes = addedPurposes.map { (de ? "neu: " : "added: ") + purpose($0) }
            + removedPurposes.map { (de ? "entfallen: " : "removed: ") + purpose($0) }
            + changedPurposes.map { (de ? "geändert: " : "changed: ") + $0.id + ": " + change($0.before, $0.after) }
        return (partners, purposes)
    }

    /// The change in words (empty when none), for `policy diff`'s text.
    public func text(in language: Language) -> String {
        let (partners, purposes) = lines(in: language)
        var out = ""
        if !partners.isEmpty { out += "\n" + (language == .de ? "Partner (partners):\n" : "Partners (partners):\n") + partners.map { "    \($0)\n" }.joined() }
        if !purposes.isEmpty { out += "\n" + (language == .de ? "Zwecke (purposes):\n" : "Purposes (purposes):\n") + purposes.map { "    \($0)\n" }.joined() }
        return out
    }

    /// `{"partners": {"added", "removed", "changed"}, "purposes": {"added", "removed", "changed"}}`, each entry with
    /// its id and, for a change, the values before and after.
    public func json() -> (partners: OrderedJSON, purposes: OrderedJSON) {
        func text(_ t: LocalizedText) -> OrderedJSON { .object([("de", .string(t.de)), ("en", .string(t.en))]) }
        func partner(_ p: Partner) -> OrderedJSON { .object([("id", .string(p.id)), ("name", text(p.name)), ("folder", .string(p.folder))]) }
        func purpose(_ p: Purpose) -> OrderedJSON { .object([("id", .string(p.id)), ("label", text(p.label))]) }
        let partners: OrderedJSON = .object([
            ("added", .array(addedPartners.map(partner))), ("removed", .array(removedPartners.map(partner))),
            ("changed", .array(changedPartners.map { c in
                .object([("id", .string(c.id)), ("before", partner(c.before)), ("after", partner(c.after)),
                         ("folder-changed", .bool(c.folderChanged))]) }))])
        let purposes: OrderedJSON = .object([
            ("added", .array(addedPurposes.map(purpose))), ("removed", .array(removedPurposes.map(purpose))),
            ("changed", .array(changedPurposes.map { c in
                .object([("id", .string(c.id)), ("before", text(c.before)), ("after", text(c.after))]) }))])
        return (partners, purposes)
    }
}

import Diagnostics
import Foundation

/// What a policy change changes in the export profiles (`exports`, CONTRACTS §7): which partner receives whose
/// rows of a registration list, for which purpose, in which columns. The rules still decide every cell, so a
/// profile change alone widens nothing a rule forbids; but it decides whose records are *tried* and which fields,
/// and a DPO reviewing a new bundle must see that the Schulamt's list now takes every adult, or that the
/// Ausländerbehörde's gained a column the rules release by statute. Each added column says how the new policy
/// releases its field to that partner for that purpose.
public struct ExportProfileDiff: Sendable {
    /// A column a profile gained or lost, with how the policy (the new one for a gained column, the old one for a
    /// lost one) releases its field to the profile's partner for its purpose.
    public struct Column: Sendable, Equatable {
        /// The column's field id.
        public var field: String
        /// How openly the policy releases the field to the profile's partner for its purpose.
        public var release: PolicyDiff.Release
    }

    /// One profile (by id) that differs.
    public struct Change: Sendable {
        /// The profile id.
        public var profile: String
        /// Whether the profile was added, removed or changed.
        public var kind: PolicyDiff.Kind
        /// The profile before and after (nil when added or removed).
        public var before: ExportProfile?
        /// The profile in the new bundle; nil when removed.
        public var after: ExportProfile?
        /// Columns in the new profile that the old one lacked, and the other way round (in output order).
        public var columnsAdded: [Column]
        /// Columns the old profile had and the new one lacks, each with the old policy's release.
        public var columnsRemoved: [Column]
        /// The same columns in another order (the partner's spreadsheet changes shape).
        public var columnsReordered: Bool

        /// `wider` when the profile is new or gained a column the policy releases (never-released columns stay
        /// empty), `narrower` when it is gone or only lost columns, `undetermined` when the records condition,
        /// partner or purpose changed (whether more people's rows go cannot be told from the conditions alone:
        /// the DPO reads both), else `same`.
        public var direction: String {
            guard let before, let after else { return self.before == nil ? "wider" : "narrower" }
            if before.records != after.records || before.partner != after.partner || before.purpose != after.purpose {
                return "undetermined"
            }
            if columnsAdded.contains(where: { $0.release.level != .never }) { return "wider" }
            if !columnsRemoved.isEmpty { return "narrower" }
            return "same"
        }
    }

    /// Every profile that differs, by id.
    public var changes: [Change]

    /// Compares the export profiles of `old` and `new` by id.
    public init(old: CompiledPolicy, new: CompiledPolicy) {
        let before = Dictionary(old.bundle.exports.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.bundle.exports.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldReleases = Self.releases(old), newReleases = Self.releases(new)
        func column(_ field: String, of p: ExportProfile, in releases: [String: PolicyDiff.Release]) -> Column {
            Column(field: field, release: releases["\(p.partner)\u{0}\(p.purpose)\u{0}\(field)"] ?? PolicyDiff.Release(level: .never, conditional: false))
        }
        changes = Set(before.keys).union(after.keys).sorted().compactMap { id in
            let b = before[id], a = after[id]
            guard b != a else { return nil }
            let oldColumns = b?.columns ?? [], newColumns = a?.columns ?? []
            let added = a.map { p in newColumns.filter { !oldColumns.contains($0) }.map { column($0, of: p, in: newReleases) } } ?? []
            let removed = b.map { p in oldColumns.filter { !newColumns.contains($0) }.map { column($0, of: p, in: oldReleases) } } ?? []
            let reordered = b != nil && a != nil && oldColumns != newColumns && Set(oldColumns) == Set(newColumns)
            return Change(profile: id, kind: b == nil ? .added : a == nil ? .removed : .changed, before: b, after: a,
                          columnsAdded: added, columnsRemoved: removed, columnsReordered: reordered)
        }
    }

    /// Release summaries by partner, purpose and field (NUL-separated key).
    private static func releases(_ policy: CompiledPolicy) -> [String: PolicyDiff.Release] {
        var out: [String: PolicyDiff.Release] = [:]
        for r in PolicyDiff.releases(of: policy) { out["\(r.partner)\u{0}\(r.purpose)\u{0}\(r.field)"] = r.release }
        return out
    }

    /// A change's direction in words (`enger`, `records, partner or purpose changed: review both`).
    public static func directionWords(_ direction: String, _ language: Language) -> String {
        let de = language == .de
        return switch direction {
        case "wider": de ? "weiter" : "wider"
        case "narrower": de ? "enger" : "narrower"
        case "undetermined": de ? "Datensätze, Partner oder Zweck geändert: beide Fassungen prüfen" : "records, partner or purpose changed: review both"
        default: de ? "Umfang gleich" : "same extent"
        }
    }

    /// Whose rows a profile takes, in words: its condition, or everyone's.
    public static func records(_ p: ExportProfile?, _ language: Language) -> String {
        guard let p else { return "—" }
        return p.records.isAlways ? (language == .de ? "alle Zeilen" : "every row") : p.records.text
    }

    /// Columns in words: `contact.email (mit Einwilligung), …`.
    public static func words(_ columns: [Column], _ language: Language) -> String {
        columns.map { "\($0.field) (\($0.release.words(language)))" }.joined(separator: ", ")
    }

    /// The report's section (empty when no profile changed): per profile what happened and its lines.
    public func text(in language: Language) -> String {
        guard !changes.isEmpty else { return "" }
        let de = language == .de
        let one = changes.count == 1
        var out = de ? "\n\(changes.count) \(one ? "geändertes Exportprofil" : "geänderte Exportprofile"):\n"
                     : "\n\(changes.count) \(one ? "changed export profile" : "changed export profiles"):\n"
        for c in changes {
            let p = c.after ?? c.before!
            let direction = c.direction == "wider" ? (de ? "WEITER" : "WIDER") : Self.directionWords(c.direction, language)
            out += "\n\(de ? "Exportprofil" : "Export profile") \(c.profile) (\(p.partner) / \(p.purpose)): \(PolicyDiff.kindWords(c.kind, language)); \(direction)\n"
            if let b = c.before, let a = c.after, b.partner != a.partner || b.purpose != a.purpose {
                out += (de ? "    Partner / Zweck: " : "    partner / purpose: ") + "\(b.partner) / \(b.purpose) → \(a.partner) / \(a.purpose)\n"
            }
            if c.before?.records != c.after?.records {
                out += (de ? "    Datensätze vorher:  " : "    records before: ") + Self.records(c.before, language) + "\n"
                out += (de ? "    Datensätze nachher: " : "    records after:  ") + Self.records(c.after, language) + "\n"
            }
            if !c.columnsAdded.isEmpty {
                out += (de ? "    Spalten neu: " : "    columns added: ") + Self.words(c.columnsAdded, language) + "\n"
            }
            if !c.columnsRemoved.isEmpty {
                out += (de ? "    Spalten entfallen: " : "    columns removed: ") + Self.words(c.columnsRemoved, language) + "\n"
            }
            if c.columnsReordered {
                out += (de ? "    Spaltenreihenfolge geändert: " : "    column order changed: ") + (c.after?.columns ?? []).joined(separator: ", ") + "\n"
            }
        }
        return out
    }

    /// JSON: one object per changed profile (the `exports` member of `PolicyDiff.json()`).
    public func json() -> OrderedJSON {
        func profile(_ p: ExportProfile?) -> OrderedJSON {
            guard let p else { return .null }
            return .object([("partner", .string(p.partner)), ("purpose", .string(p.purpose)),
                            ("records", .string(p.records.text)), ("columns", .array(p.columns.map { .string($0) }))])
        }
        func columns(_ list: [Column]) -> OrderedJSON {
            .array(list.map { .object([("field", .string($0.field)), ("release", .string($0.release.id))]) })
        }
        return .array(changes.map { c in .object([
            ("profile", .string(c.profile)), ("change", .string(c.kind.rawValue)), ("direction", .string(c.direction)),
            ("before", profile(c.before)), ("after", profile(c.after)),
            ("columns-added", columns(c.columnsAdded)), ("columns-removed", columns(c.columnsRemoved)),
            ("column-order-changed", .bool(c.columnsReordered))]) })
    }
}

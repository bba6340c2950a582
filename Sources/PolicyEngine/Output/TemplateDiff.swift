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
/// changed under its number (the same warning as for the current one). An earlier version's recording window
/// (`recordable-until`) opened, moved or closed is reported apart: it changes until when paper declarations on that
/// version may still be recorded, not the wording anyone signed; likewise the current version's `recordable-until`,
/// which retires the template (no new consents after that day; those signed stay valid).
public struct TemplateDiff: Sendable {
    /// A clause both templates have, with what differs.
    public struct ClauseChange: Sendable, Equatable {
        /// The clause id.
        public var clause: String
        /// The clause before and after.
        public var before: ConsentTemplate.Clause
        /// The clause in the new bundle.
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

    /// A version's last recording day (`recordable-until`, a Berlin calendar day as days since 1970-01-01) before and
    /// after: nil on a side without one (also when the version was not held before). On an earlier version it is its
    /// recording window; on the current version (`current`) the day after which the template is retired.
    public struct RecordingWindowChange: Sendable, Equatable {
        /// The version whose window changed.
        public var version: Int
        /// The last recordable Berlin day in the old bundle (days since 1970-01-01), nil for none.
        public var before: Int?
        /// The last recordable Berlin day in the new bundle (days since 1970-01-01), nil when the window is closed.
        public var after: Int?

        /// Whether `version` is the template's current version in the new bundle: its `recordable-until` retires the
        /// template (no new consents signed after that day) rather than keeping an old version recordable.
        public var current: Bool

        /// Creates a change of `version`'s window from `before` to `after` (of an earlier version unless `current`).
        public init(version: Int, before: Int?, after: Int?, current: Bool = false) {
            self.version = version; self.before = before; self.after = after; self.current = current
        }
    }

    /// One template (by id) that differs.
    public struct Change: Sendable {
        /// The template id.
        public var template: String
        /// Whether the template was added, removed or changed.
        public var kind: PolicyDiff.Kind
        /// The template before and after (nil when added or removed).
        public var before: ConsentTemplate?
        /// The template in the new bundle; nil when removed.
        public var after: ConsentTemplate?
        /// Declaration languages (`languages`) gained and lost, sorted.
        public var languagesAdded: [String]
        /// Declaration languages the old template had and the new one lacks, sorted.
        public var languagesRemoved: [String]
        /// Languages held before and after whose declaration text (the text file) differs, sorted.
        public var textChanged: [String]
        /// Clause ids gained (in the new order) and lost (in the old order).
        public var clausesAdded: [String]
        /// Clause ids the old template had and the new one lacks, in the old order.
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
        /// Versions of the new bundle whose `recordable-until` was set, moved or removed, newest first: an earlier
        /// version's recording window, or the current version's last day (the template retired, its retirement moved or
        /// withdrawn). Kept apart from `earlierVersionsChanged`: the window says until which signing day new paper
        /// declarations may still be recorded on that version, not what the version's declaration says, so consents
        /// already signed on it are unaffected.
        public var recordingWindowsChanged: [RecordingWindowChange] = []
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

        /// Whether the title case managers know the template by (`title`) was added, reworded or removed. Reported
        /// apart from `changedUnderSameVersion`: the title is not printed on the declaration, so no signed wording changes.
        public var titleChanged: Bool {
            guard let before, let after else { return false }
            return before.title != after.title
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
                // The recording window is reported apart (`recordingWindowsChanged`): not the declaration's content.
                var c = Self.compare(id, o, n)
                c.isEarlierVersion = true
                return c.changedUnderSameVersion ? c : nil
            }
            // A window compared against the same version's before, current or earlier (a current version's
            // `recordable-until` retires the template; one kept when the template is bumped is no change).
            let oldWindows = Dictionary(b.allVersions.map { ($0.version, $0.recordableUntil) }, uniquingKeysWith: { x, _ in x })
            change.recordingWindowsChanged = a.allVersions.compactMap { n in
                let before = oldWindows[n.version] ?? nil
                return before == n.recordableUntil ? nil
                    : RecordingWindowChange(version: n.version, before: before, after: n.recordableUntil, current: n.version == a.version)
            }
            return change.changedUnderSameVersion || change.versionChanged || change.clauseOrderChanged
                || change.titleChanged || !change.recordingWindowsChanged.isEmpty
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
}

import Diagnostics
import Foundation

/// A template diff as JSON (the `templates` member of `PolicyDiff.json()`).
extension TemplateDiff {
    /// JSON: one object per changed template (the `templates` member of `PolicyDiff.json()`), every member always
    /// present except a template version's `title`, present only when it has one.
    public func json() -> OrderedJSON {
        func texts(_ t: [String: String]) -> OrderedJSON { .object(t.keys.sorted().map { ($0, .string(t[$0]!)) }) }
        func strings(_ list: [String]) -> OrderedJSON { .array(list.map { .string($0) }) }
        func template(_ t: ConsentTemplate?) -> OrderedJSON {
            guard let t else { return .null }
            // `title` only when the template has one, so the JSON of bundles without titles is what it was before.
            let title: [(String, OrderedJSON)] = t.title.map { [("title", .object([("de", .string($0.de)), ("en", .string($0.en))]))] } ?? []
            return .object([("version", .int(t.version)), ("languages", strings(t.texts.keys.sorted())),
                            ("minimum-age", .int(t.minimumAge)), ("max-validity", .string(t.maxValidity.description)),
                            ("clauses", strings(t.clauses.map(\.id)))] + title)
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
            + Self.earlierVersionsJSON(c, change: change) + [("title-changed", .bool(c.titleChanged))]) }
        return .array(changes.map(change))
    }
}

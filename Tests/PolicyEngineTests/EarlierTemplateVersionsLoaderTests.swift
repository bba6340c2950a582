import Foundation
import Testing
@testable import PolicyEngine

/// A consent template may keep its earlier versions (`earlier-versions`) so that consents signed on them stay valid
/// after a bump. Each earlier version is a complete definition, checked like the current one; its version must be
/// lower than the current one and listed once, and it keeps no earlier versions of its own.
@Suite struct EarlierTemplateVersionsLoaderTests {
    /// The last clause of the small fixture's template `t` (version 2), line 44: the block is inserted after it.
    static let lastClause = "      - {id: religion-plain, partners: [agency], purposes: [help], categories: [religion]}\n"

    /// Version 1 of `t` as an earlier version: its own text, a lower minimum age, a shorter validity, and clauses of
    /// its own (`old-basic` exists only here; `basic` covers only contact data here).
    static let versionOne = [
        "      - version: 1",
        "        languages: {de: {file: texts/t-v1.de.md}}",
        "        minimum-age: 14",
        "        max-validity: P6M",
        "        clauses:",
        "          - {id: old-basic, partners: [agency], purposes: [help], categories: [identity]}",
        "          - {id: basic, partners: [agency], purposes: [help], categories: [contact]}",
    ]

    /// The small fixture with `t` keeping the given `earlier-versions` items (lines) and the text of version 1.
    static func bundle(_ items: [String]) throws -> TempBundle {
        let b = try TempBundle(replacing: [(lastClause, lastClause + "    earlier-versions:\n" + items.joined(separator: "\n") + "\n")])
        try b.write("texts/t-v1.de.md", "Ich willige ein (Fassung 1).\n")
        return b
    }

    @Test func earlierVersionsLoadAsCompleteDefinitions() throws {
        let b = try Self.bundle(Self.versionOne + Self.versionOne.map {
            $0.replacingOccurrences(of: "version: 1", with: "version: 0").replacingOccurrences(of: "old-basic", with: "oldest")
        })
        defer { b.remove() }
        #expect(b.problems.isEmpty, "\(b.problems)")
        let bundle = try BundleLoader.load(directory: b.url)
        let t = try #require(bundle.template("t"))
        #expect(t.version == 2)
        #expect(t.earlierVersions.map(\.version) == [1, 0])
        let v1 = try #require(bundle.template("t", version: 1))
        #expect(v1.texts == ["de": "Ich willige ein (Fassung 1).\n"])
        #expect(v1.minimumAge == 14 && v1.maxValidity == ISODuration(months: 6))
        #expect(v1.clauses.map(\.id) == ["old-basic", "basic"] && v1.clause("basic")?.categories == ["contact"])
        #expect(v1.earlierVersions.isEmpty)
        #expect(bundle.templateVersions.map(\.version) == [2, 1, 0])
        #expect(bundle.templates.count == 1, "new consents see only the current version")
        #expect(bundle.template("t", version: 3) == nil)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// The `earlier-versions` items.
        var items: [String]
        var code: String
        /// The line (index into `items`) and the text on it the error must point at.
        var line: Int
        var at: String
        /// Words the English message must hold.
        var words: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "version not lower than the current", items: versionOne.map { $0.replacingOccurrences(of: "version: 1", with: "version: 2") },
                code: "invalid-value", line: 0, at: "2", words: "2 is not lower than the current version 2 of `t`"),
        BadCase(name: "version higher than the current", items: versionOne.map { $0.replacingOccurrences(of: "version: 1", with: "version: 7") },
                code: "invalid-value", line: 0, at: "7", words: "7 is not lower than the current version 2"),
        BadCase(name: "the same version twice", items: versionOne + versionOne.map { $0.replacingOccurrences(of: "{id: basic", with: "{id: basic2") },
                code: "duplicate-id", line: 7, at: "1", words: "version 1 of `t` listed twice (first at"),
        BadCase(name: "nested earlier versions", items: versionOne + ["        earlier-versions:", "          - version: 0"],
                code: "invalid-value", line: 7, at: "earlier-versions", words: "an earlier version has no `earlier-versions` of its own"),
        BadCase(name: "a clause naming an unknown partner", items: versionOne.map { $0.replacingOccurrences(of: "{id: old-basic, partners: [agency]", with: "{id: old-basic, partners: [nobody]") },
                code: "unknown-id", line: 5, at: "nobody", words: "nobody"),
        BadCase(name: "a clause with an empty category list", items: versionOne.map { $0.replacingOccurrences(of: "categories: [identity]}", with: "categories: []}") },
                code: "invalid-value", line: 5, at: "[]", words: "empty list, the clause would cover nothing"),
        BadCase(name: "the same clause twice", items: versionOne.map { $0.replacingOccurrences(of: "{id: basic,", with: "{id: old-basic,") },
                code: "duplicate-id", line: 6, at: "old-basic", words: "duplicate clause `old-basic` in `t v1`"),
        BadCase(name: "a missing text file", items: versionOne.map { $0.replacingOccurrences(of: "{de: {file: texts/t-v1.de.md}}", with: "{de: {file: texts/t-v1.de.md}, en: {file: texts/t-v1.en.md}}") },
                code: "missing-file", line: 1, at: "texts/t-v1.en.md", words: "text file `texts/t-v1.en.md` is missing"),
        BadCase(name: "no German text", items: versionOne.map { $0.replacingOccurrences(of: "{de: {file: texts/t-v1.de.md}}", with: "{en: {file: texts/t.en.md}}") },
                code: "missing-key", line: 1, at: "{en:", words: "the German text (`de`) is missing"),
        BadCase(name: "an unknown key", items: versionOne + ["        note: x"],
                code: "unknown-key", line: 7, at: "note", words: "unknown key `note`"),
        BadCase(name: "a required key missing", items: versionOne.filter { !$0.contains("max-validity") },
                code: "missing-key", line: 0, at: "version", words: "required key `max-validity` is missing"),
        BadCase(name: "not a list", items: ["        version: 1"],
                code: "wrong-type", line: 0, at: "version", words: "a list was expected"),
    ]

    @Test(arguments: badCases)
    func aBadEarlierVersionIsAnErrorAtItsPlace(_ c: BadCase) throws {
        let b = try Self.bundle(c.items)
        defer { b.remove() }
        let problems = b.problems
        #expect(problems.count == 1, "\(problems)")
        let p = try #require(problems.first)
        #expect(p.code == c.code, "\(p)")
        #expect(p.message.en.contains(c.words), "\(p.message.en)")
        #expect(!p.message.de.isEmpty && p.message.de != p.message.en)
        // Line 44 is the last clause, 45 `earlier-versions:`, the items start at 46.
        let text = c.items[c.line]
        let column = text.distance(from: text.startIndex, to: try #require(text.range(of: c.at)).lowerBound) + 1
        #expect(p.location?.file.hasSuffix("policy.yaml") == true && p.location?.line == 46 + c.line && p.location?.column == column, "\(p)")
    }

    /// An earlier version counts for a forbid `unless: explicit-consent`: a consent signed on it lifts the forbid, so
    /// the loader does not call a permit behind it shadowed when only the earlier version has the explicit clause.
    @Test func anEarlierVersionsExplicitClauseCountsAgainstShadowing() throws {
        let noExplicit = ("      - {id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}\n", "")
        let hard = ("unless: explicit-consent, citation: \"Art. 9 DSGVO\"}", "unless: explicit-consent, citation: \"Art. 9 DSGVO\"}\n  - {id: agency-health-only, effect: permit, partners: [agency], purposes: [help], fields: [health.notes], basis: consent, citation: \"Art. 9\"}")
        let without = try TempBundle(replacing: [noExplicit, hard])
        defer { without.remove() }
        #expect(without.problems.map(\.code) == ["permit-shadowed"], "\(without.problems)")
        let kept = Self.versionOne + ["          - {id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}"]
        let with = try TempBundle(replacing: [noExplicit, hard,
                                              (Self.lastClause, Self.lastClause + "    earlier-versions:\n" + kept.joined(separator: "\n") + "\n")])
        defer { with.remove() }
        try with.write("texts/t-v1.de.md", "Fassung 1.\n")
        #expect(with.problems.isEmpty, "\(with.problems)")
    }
}

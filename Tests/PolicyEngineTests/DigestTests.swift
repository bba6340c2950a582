import Foundation
import Testing
@testable import PolicyEngine

/// The bundle digest changes with content, never with layout.
@Suite struct DigestTests {
    static func load(_ files: [String: String], texts: [String: String] = ["texts/t.de.md": "Ich willige ein.\n", "texts/t.en.md": "I consent.\n"]) throws -> PolicyBundle {
        let names = files.keys.sorted { $0 == "policy.yaml" ? true : $1 == "policy.yaml" ? false : $0 < $1 }
        return try BundleLoader.load(sources: names.map { BundleLoader.BundleSource(name: $0, text: files[$0]!) }) { path in
            texts[path].map { .text($0) } ?? .missing
        }
    }
    static var base: String { try! String(contentsOf: Fixture.url("small/policy.yaml"), encoding: .utf8) }

    @Test func sameContentSameDigestWhateverTheLayout() throws {
        let original = try Self.load(["policy.yaml": Self.base])
        #expect(original.digest.hasPrefix("sha256:") && original.digest.count == 71)
        // whitespace and comments
        let spaced = Self.base.replacingOccurrences(of: "\n", with: "\n\n# comment\n").replacingOccurrences(of: "{de: Klein", with: "{ de:   Klein")
        #expect(try Self.load(["policy.yaml": spaced]).digest == original.digest)
        // key order inside mappings and section order
        let lines = Self.base.components(separatedBy: "\n")
        let fieldStart = lines.firstIndex(of: "fields:")!, attrStart = lines.firstIndex(of: "subject-attributes:")!
        var reordered = lines
        reordered.replaceSubrange(fieldStart + 1..<attrStart, with: lines[fieldStart + 1..<attrStart].reversed())
        #expect(try Self.load(["policy.yaml": reordered.joined(separator: "\n")]).digest == original.digest)
        // split into two files: sections moved out of policy.yaml
        let split = Self.base.components(separatedBy: "consent-templates:")
        #expect(try Self.load(["policy.yaml": split[0], "templates.yaml": "consent-templates:" + split[1]]).digest == original.digest)
        // block style instead of flow style for a category
        let block = Self.base.replacingOccurrences(of: "  contact: {label: {de: Kontakt, en: Contact}}", with: "  contact:\n    label:\n      de: Kontakt\n      en: \"Contact\"")
        #expect(try Self.load(["policy.yaml": block]).digest == original.digest)
        // set-like lists in another order
        let lists = Self.base.replacingOccurrences(of: "categories: [identity, contact, health, religion]", with: "categories: [religion, health, contact, identity]")
        #expect(try Self.load(["policy.yaml": lists]).digest == original.digest)
    }

    @Test(arguments: [
        ("citation: \"§ 1 Test\"", "citation: \"§ 1a Test\""),
        ("fields: [name.*]", "fields: [name.family]"),
        ("{age: {lt: 18}}", "{age: {lt: 17}}"),
        ("effect: forbid, partners: [agency]", "effect: forbid, partners: [agency, office]"),
        ("health: {label: {de: Gesundheit, en: Health}, special: true}", "health: {label: {de: Gesundheit, en: Health}}"),
        ("label: {de: Telefon, en: Phone}", "label: {de: Telefonnummer, en: Phone}"),
        ("max-validity: P1Y", "max-validity: P2Y"),
        ("categories: [health], explicit: true}", "categories: [health], explicit: false}"),
        ("columns: [name.family, name.given, birth.date]", "columns: [name.given, name.family, birth.date]"),
    ])
    func anyContentChangeChangesTheDigest(_ old: String, _ new: String) throws {
        #expect(Self.base.contains(old))
        let a = try Self.load(["policy.yaml": Self.base]).digest
        let b = try Self.load(["policy.yaml": Self.base.replacingOccurrences(of: old, with: new)]).digest
        #expect(a != b)
    }

    @Test func textChangeChangesTheDigest() throws {
        let a = try Self.load(["policy.yaml": Self.base]).digest
        let b = try Self.load(["policy.yaml": Self.base], texts: ["texts/t.de.md": "Ich willige ein!\n", "texts/t.en.md": "I consent.\n"]).digest
        #expect(a != b)
    }

    @Test func ruleOrderCountsButTestsDoNot() throws {
        let a = try Self.load(["policy.yaml": Self.base])
        let withTests = try BundleLoader.load(sources: [.init(name: "policy.yaml", text: Self.base),
            .init(name: "tests/a.yaml", text: "cases:\n  - {name: x, at: 2026-01-01T00:00:00Z, partner: office, purpose: planning, expect: {name.family: permit}}\n", isTest: true)]) { p in
            p.hasSuffix(".md") ? .text(p.contains("de") ? "Ich willige ein.\n" : "I consent.\n") : .missing
        }
        #expect(withTests.tests.count == 1)
        #expect(withTests.digest == a.digest)
    }

    @Test func digestOfTheShippedBundleIsStableAcrossLoads() throws {
        let a = try BundleLoader.load(directory: Fixture.shipped).digest
        let b = try BundleLoader.load(directory: Fixture.shipped).digest
        #expect(a == b)
    }
}

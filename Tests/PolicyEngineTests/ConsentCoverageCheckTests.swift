import Foundation
import Testing
@testable import PolicyEngine

/// A permit with `basis: consent` that no clause of any template can satisfy can never release anything, and loading
/// says so at the rule (`consent-rule-uncovered`); a bundle without any template is one problem naming the missing
/// file (found in a review: with `consent-templates.yaml` deleted, `policy check` named two rules as shadowed by forbids
/// and nothing else).
@Suite struct ConsentCoverageCheckTests {
    static let agencyRule = "  - {id: agency-consent, effect: permit, partners: [agency], purposes: [help], categories: [identity, contact, health, religion], basis: consent, citation: \"Art. 6 DSGVO\"}"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let replacements: [(String, String)]
        /// The rule reported, or nil when the bundle loads.
        let rule: String?
        let words: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a consent rule for a purpose no clause names",
             replacements: [(agencyRule, agencyRule + "\n  - {id: office-consent, effect: permit, partners: [office], purposes: [planning], fields: [contact.phone], basis: consent, citation: \"Art. 6\"}")],
             rule: "office-consent", words: "rule `office-consent` can never release anything: it rests on consent, but no clause of a consent template lets its data go to its partners for its purposes"),
        Case(name: "a special category with plain clauses only",
             replacements: [("      - {id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}\n", ""),
                            ("  - {id: agency-no-health, effect: forbid, partners: [agency], categories: [health], unless: explicit-consent, citation: \"Art. 9 DSGVO\"}\n", ""),
                            ("      - {id: religion-plain, partners: [agency], purposes: [help], categories: [religion]}\n", ""),
                            (agencyRule, agencyRule + "\n  - {id: agency-health, effect: permit, partners: [agency], purposes: [help], categories: [health, religion], basis: consent, citation: \"Art. 9\"}")],
             rule: "agency-health", words: "(for a special category: no explicit one)"),
        Case(name: "one clause for one of the rule's categories is enough",
             replacements: [(agencyRule, agencyRule + "\n  - {id: agency-mixed, effect: permit, partners: [agency, office], purposes: [help, planning], fields: [contact.phone, birth.date], basis: consent, citation: \"Art. 6\"}")],
             rule: nil, words: ""),
    ]

    @Test(arguments: cases)
    func aConsentRuleNoClauseSatisfiesIsAnError(_ c: Case) throws {
        let bundle = try TempBundle(replacing: c.replacements)
        defer { bundle.remove() }
        let problems = bundle.problems
        guard let rule = c.rule else { #expect(problems.isEmpty, "\(problems)"); return }
        #expect(problems.count == 1, "\(problems)")
        let p = try #require(problems.first)
        #expect(p.code == "consent-rule-uncovered")
        #expect(p.message.en.contains(c.words), "\(p.message.en)")
        #expect(p.message.de.contains("Regel `\(rule)` kann nie etwas freigeben"), "\(p.message.de)")
        let line = try bundle.policyText().components(separatedBy: "\n").firstIndex { $0.contains("id: \(rule),") }.map { $0 + 1 }
        #expect(p.location?.line == line, "\(p)")
    }

    /// The shipped bundle without its `consent-templates.yaml`: one problem, at the first consent rule, naming the file
    /// and every consent rule; not "shadowed" for the two behind a forbid `unless: explicit-consent`.
    @Test func theShippedBundleWithoutItsTemplatesFileIsOneProblem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-no-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Fixture.shipped, to: dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("consent-templates.yaml"))
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("tests"))
        let problems = Fixture.problems(dir)
        #expect(problems.map(\.code) == ["consent-rule-uncovered"], "\(problems)")
        let p = try #require(problems.first)
        #expect(p.message.en.hasPrefix("the bundle has no consent templates (is consent-templates.yaml missing?): rules `abh-contact-consent`, "), "\(p.message.en)")
        #expect(p.message.en.contains("`jugendamt-counselling-consent`") && p.message.en.contains("`jobcenter-health-consent`"))
        #expect(p.message.de.hasPrefix("das Paket hat keine Einwilligungsvorlagen (fehlt consent-templates.yaml?)"), "\(p.message.de)")
        let consentRules = try CompiledPolicy.load(directory: Fixture.shipped).bundle.rules.filter { $0.effect == .permit && $0.basis == .consent }
        #expect(consentRules.allSatisfy { p.message.en.contains("`\($0.id)`") }, "every consent rule named")
        #expect(p.location?.file.hasSuffix("rules.yaml") == true)
    }
}

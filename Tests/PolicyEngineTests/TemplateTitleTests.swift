import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// A consent template's `title: {de, en}`: read (it used to be accepted and dropped), part of the digest when set,
/// and a change of it reported by `policy diff` apart from changes of what people signed.
@Suite struct TemplateTitleTests {
    static let withTitle = DigestTests.base.replacingOccurrences(
        of: "  t:\n    version: 2\n", with: "  t:\n    version: 2\n    title: {de: \"Einwilligung Beratung\", en: \"Counselling consent\"}\n")

    static func retitled(_ de: String) -> String {
        withTitle.replacingOccurrences(of: "\"Einwilligung Beratung\"", with: "\"\(de)\"")
    }

    @Test func theShippedTemplatesAreReadWithTheirTitles() throws {
        let bundle = try BundleLoader.load(directory: Fixture.shipped)
        let titled = bundle.templates.flatMap(\.allVersions).filter { $0.title != nil }
        #expect(titled.count >= 2)
        for t in titled {
            #expect(!(t.title?.de.isEmpty ?? true) && !(t.title?.en.isEmpty ?? true))
        }
        // The current and the earlier version each carry their own title, as written in the bundle.
        let yaml = try String(contentsOf: Fixture.shipped.appendingPathComponent("consent-templates.yaml"), encoding: .utf8)
        for t in titled { #expect(yaml.contains(t.title!.de)) }
        #expect(Set(titled.map { $0.title!.de }).count == titled.count)
    }

    @Test func aTitleIsReadAndChangesTheDigestOnlyWhenSet() throws {
        let plain = try DigestTests.load(["policy.yaml": DigestTests.base])
        let titled = try DigestTests.load(["policy.yaml": Self.withTitle])
        #expect(plain.templates.first?.title == nil)
        #expect(titled.templates.first?.title == LocalizedText(de: "Einwilligung Beratung", en: "Counselling consent"))
        #expect(plain.digest != titled.digest)
        #expect(try DigestTests.load(["policy.yaml": Self.retitled("Beratung")]).digest != titled.digest)
        // Without a title the canonical form has no `title` member in the template, so such bundles keep their digests.
        let canonical = String(decoding: BundleDigest.canonicalForm(of: plain).bytes, as: UTF8.self)
        let templates = try #require(canonical.range(of: "\"consent-templates\":"))
        #expect(!canonical[templates.upperBound...].prefix(400).contains("\"title\""))
    }

    @Test(arguments: ["title: \"Beratung\"", "title: {de: \"Beratung\"}"])
    func aMalformedTitleIsALocatedError(_ title: String) throws {
        let text = DigestTests.base.replacingOccurrences(of: "  t:\n    version: 2\n", with: "  t:\n    version: 2\n    \(title)\n")
        do {
            _ = try DigestTests.load(["policy.yaml": text])
            Issue.record("a malformed title loaded")
        } catch let error as PolicyError {
            let problem = try #require(error.diagnostics.first)
            #expect(problem.message.en.contains("consent-templates.t.title"))
            #expect(problem.location?.line == 37)
        }
    }

    @Test func aNewTitleIsReportedApartFromTheSignedWording() throws {
        let old = try CompiledPolicy(DigestTests.load(["policy.yaml": Self.withTitle]))
        let new = try CompiledPolicy(DigestTests.load(["policy.yaml": Self.retitled("Einwilligung Beratung (2027)")]))
        let diff = TemplateDiff(old: old, new: new)
        let change = try #require(diff.changes.first)
        #expect(diff.changes.count == 1 && change.titleChanged)
        #expect(!change.changedUnderSameVersion && diff.changedUnderSameVersion.isEmpty)
        // Both languages of the title, so a change in one of them shows in either report.
        #expect(diff.text(in: .de).contains("    Titel: „Einwilligung Beratung“ (en: „Counselling consent“) → „Einwilligung Beratung (2027)“ (en: „Counselling consent“)\n"))
        #expect(diff.text(in: .en).contains("    title: “Counselling consent” (de: “Einwilligung Beratung”) → “Counselling consent” (de: “Einwilligung Beratung (2027)”)\n"))
        #expect(!diff.text(in: .en).contains("WARNING"))
        let json = String(decoding: diff.json().bytes, as: UTF8.self)
        #expect(json.contains("\"title-changed\":true"))
        #expect(json.contains("\"title\":{\"de\":\"Einwilligung Beratung (2027)\",\"en\":\"Counselling consent\"}}"))
        // The same bundle compared with itself lists nothing.
        #expect(TemplateDiff(old: old, new: old).changes.isEmpty)
    }
}

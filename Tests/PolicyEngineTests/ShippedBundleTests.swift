import Foundation
import Testing
@testable import PolicyEngine

/// The county's bundle `policies/kim-rhein-sieg`: loads, its own cases pass, and it fits the registration lists.
@Suite struct ShippedBundleTests {
    @Test func loadsAndItsTestCasesPass() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let results = PolicyTestRunner.run(policy)
        #expect(results.count >= 40)
        for r in results where !r.passed { Issue.record("\(r.name): \(r.failures)") }
    }

    @Test func testCasesCoverEveryReasonAndEveryPartner() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let reasons = Set(policy.bundle.tests.flatMap { $0.expectations.compactMap(\.reason) })
        #expect(reasons == Set(DenialReason.allCases))
        let partners = Set(policy.bundle.tests.map(\.request.partner))
        #expect(partners == Set(policy.bundle.partners.map(\.id)))
        for p in ["auslaenderbehoerde", "jugendamt", "schulamt", "jobcenter"] { #expect(partners.contains(p)) }
    }

    @Test func everyRegistrationColumnIsAFieldWithThatGermanLabel() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let csv = try String(contentsOf: Fixture.sharedData.appendingPathComponent("registrations-sample.csv"), encoding: .utf8)
        let header = csv.split(separator: "\r\n", maxSplits: 1).first!.split(separator: ";").map(String.init)
        #expect(header.count == 29)
        let labels = Set(policy.bundle.fields.map(\.label.de))
        for column in header { #expect(labels.contains(column), "no field labelled `\(column)`") }
        #expect(Set(policy.bundle.fields.map(\.label.de)).count == policy.bundle.fields.count, "German labels must be unique")
    }

    @Test func templateHasTheSampleClausesAndTexts() throws {
        let b = try BundleLoader.load(directory: Fixture.shipped)
        let t = try #require(b.template("kim-beratung"))
        for c in ["jobcenter", "sprachkurs", "jugendamt-gesundheit", "schulamt-foerderbedarf"] { #expect(t.clause(c) != nil) }
        #expect(Set(t.texts.keys).isSuperset(of: ["de", "en", "uk"]))
        #expect(t.texts["uk"]!.contains("відкликати"))
        #expect(t.texts["de"]!.contains("widerrufen") && t.texts["en"]!.contains("withdraw"))
        #expect(t.clause("jobcenter")?.text["de"]?.isEmpty == false)
        for folder in b.partners.map(\.folder) { #expect(DeclarationParser.isValidFolder(folder)) }
    }

    @Test func exportColumnsAreReleasedForTheRecordsTheyCover() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let at = Fixture.t("2026-11-25T10:00:00Z")
        let child = SubjectAttributes(birthDate: Fixture.d("2017-06-01"), guardianCount: 2)
        let guardian = SubjectAttributes(birthDate: Fixture.d("1985-03-14"), values: ["household-school-age-child": .bool(true),
                                                                                     "household.role": .string("Haushaltsvorstand")])
        // A grandparent in the household is no guardian: neither selected for the Schulamt nor anything released to it.
        let grandparent = SubjectAttributes(birthDate: Fixture.d("1934-05-05"), values: ["household-school-age-child": .bool(true),
                                                                                        "household.role": .string("Großelternteil")])
        let toddler = SubjectAttributes(birthDate: Fixture.d("2023-05-05"))
        for (profile, subject, expectSelected) in [("auslaenderbehoerde-registrierung", guardian, true), ("schulamt-schulplanung", child, true),
                                                   ("schulamt-schulplanung", guardian, true), ("schulamt-schulplanung", toddler, false),
                                                   ("schulamt-schulplanung", grandparent, false),
                                                   ("jugendamt-minderjaehrige", toddler, true), ("jugendamt-minderjaehrige", guardian, false)] {
            #expect(policy.selects(export: profile, subject: subject, at: at) == expectSelected, "\(profile)")
        }
        let abh = try #require(policy.exports.first { $0.id == "auslaenderbehoerde-registrierung" })
        let d = policy.decide(DecisionRequest(subject: "S", attributes: guardian, partner: abh.partner, purpose: abh.purpose, fields: abh.columns, at: at), consents: [])
        #expect(d.allPermitted)
        let sa = try #require(policy.exports.first { $0.id == "schulamt-schulplanung" })
        let released = { (s: SubjectAttributes) in
            policy.decide(DecisionRequest(subject: "S", attributes: s, partner: sa.partner, purpose: sa.purpose, fields: sa.columns, at: at), consents: []).released
        }
        #expect(released(guardian).contains("contact.phone"))
        #expect(released(grandparent).isEmpty)
        let ja = try #require(policy.exports.first { $0.id == "jugendamt-minderjaehrige" })
        #expect(policy.decide(DecisionRequest(subject: "S", attributes: toddler, partner: ja.partner, purpose: ja.purpose, fields: ja.columns, at: at), consents: []).allPermitted)
        // Planning figures, not a register of children (DOMAIN: the Kita need "beyond planning figures" only with consent):
        // without consent neither the profile nor any rule for the purpose gives the Jugendamt a name, street or nationality.
        let identifying = ["name.family", "name.given", "name.family-cyrillic", "name.given-cyrillic", "address.street",
                           "person.nationality", "person.sex", "household.id", "household.role", "contact.phone"]
        #expect(Set(ja.columns).isDisjoint(with: identifying), "\(ja.columns)")
        #expect(policy.decide(DecisionRequest(subject: "S", attributes: toddler, partner: ja.partner, purpose: ja.purpose, fields: identifying, at: at),
                              consents: []).released.isEmpty)
    }

    @Test func releaseMatrixNamesBasisAndCitation() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let m = ReleaseMatrix(policy, partner: "jobcenter", purpose: "job-placement")
        #expect(m.rows.contains { $0.rule == "jobcenter-consent" && $0.basis == .consent && $0.clauses.contains("kim-beratung/jobcenter") })
        #expect(m.rows.contains { $0.rule == "jobcenter-no-health-without-written-consent" && $0.basis == .neverUnlessExplicitConsent })
        #expect(m.csv().hasPrefix("partner,purpose,field,basis,rule,citation,condition,clauses\r\n"))
        #expect(m.markdown(in: .de).contains("| jobcenter | job-placement | Einwilligung | jobcenter-consent |"))
        #expect(m.table(in: .en).contains("Fields not listed are not released"))
        // Names besides ids, and the rules' notes (found in a review of policy authoring: ids only, notes never shown).
        #expect(m.table(in: .de).contains("Partner: jobcenter = Jobcenter\nZwecke: job-placement = Arbeitsvermittlung und Grundsicherung\n"), "\(m.table(in: .de))")
        let all = ReleaseMatrix(policy, partner: "auslaenderbehoerde")
        #expect(all.table(in: .de).contains("    Hinweis: Keine Weitergabe an irgendjemanden zu Vollzugszwecken.\n"), "\(all.table(in: .de))")
        #expect(all.markdown(in: .en).contains("no-enforcement-use (note: "), "\(all.markdown(in: .en))")
        #expect(all.json().serialized.contains(#""note":{"de":"Keine Weitergabe"#))
    }

    /// Text from the bundle is escaped in the Markdown (a `<b>` in a citation reached a renderer as markup).
    @Test func theMarkdownEscapesMarkupFromTheBundle() throws {
        let bundle = try TempBundle(replacing: [("citation: \"§ 1 Test\"}", "citation: \"§ 1 <b>Test</b> & mehr | x\"}")])
        let m = ReleaseMatrix(try CompiledPolicy.load(directory: bundle.url), partner: "office")
        #expect(m.markdown(in: .en).contains("§ 1 &lt;b&gt;Test&lt;/b&gt; &amp; mehr \\| x"), "\(m.markdown(in: .en))")
        #expect(!m.markdown(in: .en).contains("<b>"))
        // A note of several lines stays in its row (a line break would end the Markdown table row).
        let noted = try TempBundle(replacing: [("citation: \"§ 1 Test\"}", "citation: \"§ 1 Test\", note: {de: \"Zeile 1\\nZeile 2\", en: \"Line 1\\nLine 2\"}}")])
        let md = ReleaseMatrix(try CompiledPolicy.load(directory: noted.url), partner: "office").markdown(in: .en)
        #expect(md.contains("office-names (note: Line 1 Line 2)"), "\(md)")
    }

    /// The text table names an explicit clause in the reader's language (`(ausdrücklich)` in German; before, `(explicit)`
    /// in both); CSV and JSON keep the label tools compare.
    @Test func anExplicitClauseIsNamedInTheReadersLanguage() throws {
        let m = ReleaseMatrix(try CompiledPolicy.load(directory: Fixture.shipped), partner: "jobcenter", purpose: nil)
        #expect(m.rows.contains { $0.clauses.contains("kim-beratung/jobcenter-gesundheit (explicit)") }, "\(m.rows.map(\.clauses))")
        let de = m.table(in: .de), en = m.table(in: .en)
        #expect(de.contains("kim-beratung/jobcenter-gesundheit (ausdrücklich)") && !de.contains("(explicit)"), "\(de)")
        #expect(en.contains("kim-beratung/jobcenter-gesundheit (explicit)") && !en.contains("(ausdrücklich)"), "\(en)")
        #expect(m.csv().contains("kim-beratung/jobcenter-gesundheit (explicit)"))
    }

    /// The CSV's clauses cell lists the clauses as the other formats do (`, `, so quoted): joined by spaces, a label such
    /// as `kim-beratung/jobcenter-gesundheit (explicit)` could not be told from two clauses.
    @Test func releaseMatrixCSVKeepsClauseLabelsApart() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let m = ReleaseMatrix(policy, partner: nil, purpose: nil)
        // A field several clauses release (each line gives its own field's clauses: ReleaseMatrixFieldClauseTests).
        let row = try #require(m.rows.first { r in r.fields.contains { (r.fieldClauses[$0]?.count ?? 0) >= 2 } }, "a field several clauses release")
        let field = try #require(row.fields.first { (row.fieldClauses[$0]?.count ?? 0) >= 2 })
        #expect(m.rows.contains { $0.clauses.contains { $0.contains(" ") } }, "labels with spaces exist: \"… (explicit)\"")
        let cell = "\"" + (row.fieldClauses[field] ?? []).joined(separator: ", ") + "\""
        let lines = m.csv().components(separatedBy: "\r\n").filter { $0.hasPrefix("\(row.partner),\(row.purpose),\(field),") && $0.contains(",\(row.rule),") }
        #expect(lines.count == 1 && lines.allSatisfy { $0.hasSuffix("," + cell) }, "\(lines.prefix(2))")
    }
}

import Foundation
import PolicyEngine
import Testing
@testable import ConsentRecords

@Suite("The printable consent declaration")
struct FormTests {
    static let partners = [
        "de": ["jobcenter": "Jobcenter Rhein-Sieg", "jugendamt": "Jugendamt", "schulamt": "Schulamt"],
        "en": ["jobcenter": "Job centre Rhein-Sieg", "jugendamt": "Youth welfare office", "schulamt": "School office"],
        "uk": ["jobcenter": "Джобцентр Рейн-Зіг", "jugendamt": "Служба у справах молоді", "schulamt": "Шкільне управління"],
    ]
    static let purposes = [
        "de": ["job-placement": "Arbeitsvermittlung", "child-welfare": "Kinder- und Jugendhilfe", "school-planning": "Schulplatzplanung"],
        "en": ["job-placement": "Job placement", "child-welfare": "Child welfare", "school-planning": "School place planning"],
        "uk": ["job-placement": "Працевлаштування", "child-welfare": "Захист дітей", "school-planning": "Планування місць у школі"],
    ]

    func render(_ lang: String, template: ConsentTemplate = Fixture.template) throws -> String {
        try ConsentForm(template: template, language: lang, partnerNames: Self.partners[lang] ?? [:],
                        purposeNames: Self.purposes[lang] ?? [:], categoryNames: ["health": lang == "de" ? "Gesundheit" : "health"]).html()
    }

    func count(_ needle: String, in haystack: String) -> Int { haystack.components(separatedBy: needle).count - 1 }

    @Test("renders a complete, self-contained page", arguments: ["de", "en", "uk"])
    func completePage(lang: String) throws {
        let html = try render(lang)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(lang)\">"))
        #expect(html.contains("@page { size: A4;"))
        // One `main` landmark around the declaration's sections, between the heading and the footer (screen readers).
        #expect(count("<main>", in: html) == 1 && count("</main>", in: html) == 1)
        #expect(html.contains("</header>\n<main>\n<section class=\"person\">") && html.contains("</section>\n</main>\n<footer>"))
        #expect(count("<span class=\"box\"", in: html) == Fixture.template.clauses.count)
        for c in Fixture.template.clauses { #expect(html.contains("id=\"clause-\(c.id)\"")) }
        #expect(html.contains(Self.partners[lang]!["jobcenter"]!))
        #expect(html.contains(Self.purposes[lang]!["school-planning"]!))
        #expect(count("class=\"explicit\"", in: html) == 1)
        // Person's signature plus two guardians (minimum age 16): name, place and date, signature.
        #expect(count("<div class=\"sigrow\">", in: html) == 3)
        #expect(count("<div class=\"sig\">", in: html) == 2 + 2 * 3)
        // The template's Markdown text in that language, rendered.
        let text = Fixture.template.texts[lang]!
        let firstHeading = text.split(separator: "\n")[0].dropFirst(2)
        #expect(html.contains("<h2>\(firstHeading)</h2>"))
        #expect(html.contains("<strong>"))
        #expect(count("<li>", in: html) == 3)
        // Nothing external, nothing executable.
        for forbidden in ["http:", "https:", "<script", "<link", "src=", "url(", "@import"] {
            #expect(!html.contains(forbidden), "found \(forbidden)")
        }
    }

    @Test func languageSpecificWording() throws {
        #expect(try render("de").contains("längstens 2 Jahre"))
        #expect(try render("en").contains("for at most 2 years"))
        let uk = try render("uk")
        #expect(uk.contains("не довше ніж 2 роки"))
        #expect(uk.contains("Заява про згоду"))
        #expect(uk.contains("Передача до джобцентру для працевлаштування."))
        // Office box carries German labels beside the Ukrainian ones for the case manager, marked as German.
        #expect(uk.contains("Заповнює кейс-менеджер · <span lang=\"de\">Vom Fallmanagement auszufüllen</span>"))
    }

    @Test("Ukrainian plural forms", arguments: [
        ("P1Y", "1 рік"), ("P2Y", "2 роки"), ("P5Y", "5 років"), ("P11M", "11 місяців"), ("P21M", "21 місяць"),
        ("P22D", "22 дні"), ("P1Y6M", "1 рік і 6 місяців"),
    ])
    func ukrainianDurations(duration: String, expected: String) {
        #expect(ConsentFormStrings.ukrainian.duration(ISODuration(duration)!) == expected)
    }

    @Test func everythingFromTheBundleIsEscaped() throws {
        let evil = ConsentTemplate(id: "t<1>", version: 1, texts: ["en": "# Hi <b>there</b>\n\n**bold** & <img src=x onerror=alert(1)>"],
                                   minimumAge: 0, maxValidity: ISODuration("P1Y")!, clauses: [
            .init(id: "c\"><script>alert(1)</script>", partners: ["p&q"], purposes: ["<u>"], categories: [], explicit: false,
                  text: ["en": "Tom's <i>clause</i>"]),
        ])
        let html = try ConsentForm(template: evil, language: "en", partnerNames: ["p&q": "Smith & <Sons>"], purposeNames: [:]).html()
        for raw in ["<script>alert", "<img", "<b>there", "<i>clause", "<u>", "\"><script", "Smith & <Sons>"] {
            #expect(!html.contains(raw), "unescaped: \(raw)")
        }
        #expect(html.contains("Smith &amp; &lt;Sons&gt;"))
        #expect(html.contains("Tom&#39;s &lt;i&gt;clause&lt;/i&gt;"))
        #expect(html.contains("<strong>bold</strong> &amp; &lt;img src=x"))
        #expect(!html.contains("Name of guardian"))  // minimum age 0: no guardian lines
        #expect(html.contains("Signature of the person concerned"))
    }

    @Test func missingLanguagesAreErrors() throws {
        #expect(throws: ConsentError.formLanguageUnsupported(language: "fr", supported: ["de", "en", "uk"])) { try render("fr") }
        let deOnly = Fixture.templateV1
        #expect(throws: ConsentError.languageNotInTemplate(language: "uk", template: "kim-test", available: ["de"])) {
            try render("uk", template: deOnly)
        }
    }

    @Test func markdownSubset() {
        let html = MarkdownLite.html("## Title\nline one\nline two\n\n1. first\n2. second\n- a\n* b\n\nUnpaired ** stays")
        #expect(html == "<h3>Title</h3>\n<p>line one line two</p>\n<ol><li>first</li><li>second</li></ol>\n<ul><li>a</li><li>b</li></ul>\n<p>Unpaired ** stays</p>\n")
    }
}

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

    /// The Ukrainian declaration named the Jugendamt by its German name inside Ukrainian text, unmarked: a screen reader
    /// read it with Ukrainian rules. The partners' German names (`germanNames`, the bundle's `name.de`) are marked
    /// `lang="de"` wherever they stand as a word in the text or a clause's wording of a form that is not German: not
    /// inside a longer word, not on a German form, not where the form's own name is the same word (English
    /// "Jobcenter"); escaped like all text, and a name holding `*` is left alone (it would cut through `**bold**`).
    static let namesText = "# Title\n\n- **Служба у справах молоді (Jugendamt)** – help.\n- **Jugendamt, здоров'я** – explicit.\n\n"
        + "Jugendamtes, Jugendamt-Beratung, Jobcenter, Amt <A&B>, Job*."
    @Test("German partner names are marked lang=de in a declaration that is not German", arguments: [
        ("uk", [
            "<li><strong>Служба у справах молоді (<span lang=\"de\">Jugendamt</span>)</strong> – help.</li>",
            "<li><strong><span lang=\"de\">Jugendamt</span>, здоров&#39;я</strong> – explicit.</li>",
            "<p>Jugendamtes, <span lang=\"de\">Jugendamt</span>-Beratung, <span lang=\"de\">Jobcenter</span>, <span lang=\"de\">Amt &lt;A&amp;B&gt;</span>, Job*.</p>",
            "<p class=\"wording\">Передача до <span lang=\"de\">Jugendamt</span>.</p>",
        ]),
        ("en", [
            "<li><strong>Служба у справах молоді (<span lang=\"de\">Jugendamt</span>)</strong> – help.</li>",
            "<p>Jugendamtes, <span lang=\"de\">Jugendamt</span>-Beratung, Jobcenter, <span lang=\"de\">Amt &lt;A&amp;B&gt;</span>, Job*.</p>",
            "<p class=\"wording\">Passing to the <span lang=\"de\">Jugendamt</span>.</p>",
        ]),
        ("de", [
            "<li><strong>Служба у справах молоді (Jugendamt)</strong> – help.</li>",
            "<p>Jugendamtes, Jugendamt-Beratung, Jobcenter, Amt &lt;A&amp;B&gt;, Job*.</p>",
            "<p class=\"wording\">Weitergabe an das Jugendamt.</p>",
        ]),
    ])
    func germanNamesAreMarked(language: String, expected: [String]) throws {
        let template = ConsentTemplate(id: "names", version: 1, texts: ["de": Self.namesText, "en": Self.namesText, "uk": Self.namesText],
                                       minimumAge: 0, maxValidity: ISODuration("P1Y")!, clauses: [
            .init(id: "jugendamt", partners: ["jugendamt"], purposes: [], categories: [], explicit: false,
                  text: ["de": "Weitergabe an das Jugendamt.", "en": "Passing to the Jugendamt.", "uk": "Передача до Jugendamt."]),
        ])
        let own = ["de": ["jugendamt": "Jugendamt", "jobcenter": "Jobcenter"], "en": ["jugendamt": "Youth welfare office", "jobcenter": "Jobcenter"]]
        let html = try ConsentForm(template: template, language: language, partnerNames: own[ConsentForm.namesLanguage(for: language).rawValue]!,
                                   purposeNames: [:], germanNames: ["jugendamt": "Jugendamt", "jobcenter": "Jobcenter", "odd": "Amt <A&B>", "star": "Job*"]).html()
        for snippet in expected { #expect(html.contains(snippet), "missing: \(snippet)") }
        if language == "de" { #expect(!html.contains("<span lang=\"de\">")) }
        // Every Jugendamt standing as a word on a form that is not German is marked (the clause list names partners in
        // the names language, marked as a whole already).
        let main = String(html[try #require(html.range(of: "<section class=\"text\">")).lowerBound...])
        if language != "de" {
            #expect(main.components(separatedBy: "Jugendamt").count - 1 == main.components(separatedBy: "<span lang=\"de\">Jugendamt</span>").count - 1 + 1,
                    "only Jugendamtes stays unmarked")
        }
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
    /// The templates mark their explanation's list items `- [ ]` and clause ids in backticks: printed, that gave boxes in
    /// the text a person might tick (never read: the clause section below holds the boxes that count) and raw backticks.
    @Test(arguments: [
        ("- [ ] **Jobcenter** – Arbeit (Klausel `jobcenter`)", "<ul><li><strong>Jobcenter</strong> – Arbeit (Klausel <code>jobcenter</code>)</li></ul>\n"),
        ("- [x] done\n- [X] also", "<ul><li>done</li><li>also</li></ul>\n"),
        ("- [] not a marker", "<ul><li>[] not a marker</li></ul>\n"),
        ("1. [ ] first\n2. second", "<ol><li>first</li><li>second</li></ol>\n"),
        ("`a<b>` and `unpaired", "<p><code>a&lt;b&gt;</code> and `unpaired</p>\n"),
    ])
    func taskMarkersAndCode(_ markdown: String, _ expected: String) {
        #expect(MarkdownLite.html(markdown) == expected)
    }

    @Test(arguments: ["de", "en", "uk"])
    func theShippedDeclarationsPrintNoRawMarkup(_ language: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let bundle = try BundleLoader.load(directory: root.appendingPathComponent("policies/kim-rhein-sieg"))
        let template = try #require(bundle.template("kim-beratung"))
        let html = try render(language, template: template)
        let text = html.components(separatedBy: "<section class=\"text\">").dropFirst().first?.components(separatedBy: "</section>").first ?? ""
        #expect(!text.isEmpty)
        #expect(!text.contains("[ ]") && !text.contains("`"), "\(text)")
        #expect(text.contains("<code>jobcenter</code>"))
    }
}

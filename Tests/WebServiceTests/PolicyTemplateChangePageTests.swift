import Foundation
import HummingbirdTesting
import Testing
@testable import WebService

/// The entry page of a `policy-loaded` entry shows the consent templates that changed (`TemplateDiff`), the wording
/// old and new escaped, and a warning box first when a template changed under its unchanged id and version.
extension PolicyChangePageTests {
    struct TemplateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var edits: [(file: String, old: String, new: String)]
        var warned: Bool
        /// Whether a version consents were signed on is no longer held (a bump without `earlier-versions`).
        var dropped = false
        var testDescription: String { name }
    }

    static let rewording = (file: "consent-templates.yaml", old: "de: \"Weitergabe an das Jobcenter zur Arbeitsvermittlung und Grundsicherung\"",
                            new: "de: \"Weitergabe an das Jobcenter <b>& Partner</b> zur Arbeitsvermittlung und Grundsicherung\"")

    static let templateCases: [TemplateCase] = [
        TemplateCase(name: "a clause reworded under the same version", edits: [rewording], warned: true),
        TemplateCase(name: "the same rewording under a new version",
                     edits: [rewording, (file: "consent-templates.yaml", old: "    version: 3\n", new: "    version: 4\n")], warned: false, dropped: true),
    ]

    @Test(arguments: templateCases)
    func aPolicyLoadedEntryShowsTheTemplateChange(_ c: TemplateCase) async throws {
        try await withChangedPolicy(c.edits) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            let page = german.text
            #expect(page.contains("id=\"policy-change-rules-same\"") && !page.contains("id=\"policy-change-none\""), "\(page)")
            let rows = page.matches(of: /<tr data-change="(\w+)" data-template="([^"]+)"( data-warning="same-version")?>/).map { "\($0.1) \($0.2)\($0.3 == nil ? "" : " warning")" }
            #expect(rows == ["changed kim-beratung" + (c.warned ? " warning" : "")], "\(page)")
            // The wording from the bundle is escaped, old and new side by side.
            #expect(page.contains("<li lang=\"de\">de: <del>Weitergabe an das Jobcenter zur Arbeitsvermittlung und Grundsicherung</del> → <ins>Weitergabe an das Jobcenter &lt;b&gt;&amp; Partner&lt;/b&gt; zur Arbeitsvermittlung und Grundsicherung</ins></li>"), "\(page)")
            #expect(!page.contains("<b>& Partner"))
            #expect(page.contains("id=\"template-warning-kim-beratung\"") == c.warned, "\(page)")
            if c.warned {
                #expect(page.contains("<strong>Warnung:</strong> Vorlage kim-beratung behält Kennung und Version 3, aber der Wortlaut der Klausel jobcenter (de) hat sich geändert."), "\(page)")
                // The warning stands above the tables.
                let warning = try #require(page.range(of: "template-warning-kim-beratung"))
                let table = try #require(page.range(of: "id=\"template-changes\""))
                #expect(warning.lowerBound < table.lowerBound)
            } else {
                #expect(page.contains("Einwilligungen auf kim-beratung Version 3 passen zu keiner Vorlage dieses Pakets mehr"), "\(page)")
            }
            // A bump without keeping version 3 under `earlier-versions`: a box says its consents become invalid, and how to keep them.
            #expect(page.contains("id=\"template-versions-dropped-kim-beratung\"") == c.dropped, "\(page)")
            if c.dropped {
                #expect(page.contains("<strong>Warnung:</strong> Vorlage kim-beratung geht von Version 3 auf 4, ohne Version 3 unter `earlier-versions` zu behalten"), "\(page)")
            }
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("1 changed consent template"), "\(english.text)")
            #expect(english.text.contains("<strong>Warning:</strong> Template kim-beratung keeps its id and version 3") == c.warned, "\(english.text)")
            #expect(english.text.contains("<strong>Warning:</strong> Template kim-beratung goes from version 3 to 4 without keeping version 3 under `earlier-versions`") == c.dropped, "\(english.text)")
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The accessibility review's findings that show in the HTML and CSS the service sends (the browser's view of all
/// pages is `BrowserTests.everyPageIsNamedOrderedAndShowsTheKeyboardFocus`): the DPO's links to log entries are
/// named by more than a number, each log entry's page has a title of its own, and the keyboard focus ring has the
/// contrast WCAG 1.4.11 asks for against the page.
@Suite struct AccessibilityAuditTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// A referral check by the fixture's case worker; returns its audit index.
    func decide(_ client: some TestClientProtocol, subject: String = "RSK-2022-000901") async throws -> Int {
        let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
            body: ByteBuffer(string: #"{"subject": "\#(subject)", "partner": "auslaenderbehoerde", "purpose": "residence-registration", "fields": ["name.family"]}"#))
        try #require(r.status == .ok, "\(r.text)")
        return try #require((r.json["audit"] as? [String: Any])?["index"] as? Int)
    }

    /// The text of every link in `<main>` (tags dropped, whitespace collapsed): what a screen reader's list of links says.
    static func linkTexts(_ html: String) -> [String] {
        let main = html.range(of: "<main").flatMap { a in html.range(of: "</main>").map { String(html[a.lowerBound..<$0.upperBound]) } } ?? html
        return main.matches(of: /<a [^>]*>(.*?)<\/a>/).map { m in
            String(m.1).replacing(/<[^>]*>/, with: "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
    }

    /// The `<title>` of a page.
    static func title(_ html: String) -> String? { html.firstMatch(of: /<title>(.*?)<\/title>/).map { String($0.1) } }

    /// The log lists up to 200 entries, each a link; the report links each disclosure and consent to its entry. Named
    /// "17", "16", "15" … a screen reader's list of links (and a voice user saying "click 17") gets numbers without
    /// saying what they open. Each says it is a log entry, in the page's language.
    @Test func linksToLogEntriesSayWhatTheyOpen() async throws {
        try await fixture.application().test(.router) { client in
            let index = try await decide(client)
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            for (lang, word) in [("de", "Eintrag"), ("en", "Entry")] {
                for uri in ["/audit?lang=\(lang)", "/audit/report?subject=RSK-2022-000901&lang=\(lang)"] {
                    let page = try await client.execute(uri: uri, method: .get, headers: cookie)
                    #expect(page.status == .ok)
                    let links = Self.linkTexts(page.text)
                    #expect(links.contains("\(word) \(index)"), "\(uri): \(links)")
                    let bare = links.filter { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
                    #expect(bare.isEmpty, "\(uri): links named by a bare number: \(bare)")
                }
            }
        }
    }

    /// Every entry's page had the log's title ("Prüfprotokoll – ConsentGate") and `h1`: three entries open in tabs,
    /// or the browser's history, read the same, and a screen reader announces the page without saying which entry it
    /// is (WCAG 2.4.2). The title and heading name the entry.
    @Test func eachLogEntryPageHasATitleOfItsOwn() async throws {
        try await fixture.application().test(.router) { client in
            let first = try await decide(client)
            let second = try await decide(client, subject: "RSK-2022-000902")
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            for (lang, log, entry) in [("de", "Prüfprotokoll", "Protokolleintrag"), ("en", "Audit log", "Audit log entry")] {
                let list = try #require(Self.title(try await client.execute(uri: "/audit?lang=\(lang)", method: .get, headers: cookie).text))
                #expect(list == "\(log) – ConsentGate")
                var titles: [String] = []
                for index in [first, second] {
                    let page = try await client.execute(uri: "/audit/entries/\(index)?lang=\(lang)", method: .get, headers: cookie)
                    #expect(page.status == .ok)
                    let title = try #require(Self.title(page.text))
                    #expect(title == "\(entry) \(index) – ConsentGate", "\(title)")
                    #expect(page.text.contains("<h1>\(entry) \(index)</h1>"))
                    titles.append(title)
                }
                #expect(Set(titles).count == 2 && !titles.contains(list))
            }
        }
    }

    /// The focus ring was `--focus` (#ffbf47, yellow) on the white page: 1.64:1. A keyboard user with low vision
    /// does not find where the focus is (WCAG 1.4.11 asks 3:1 of what shows a state). The outline colour of the
    /// focus rule, against the page background, reaches 3:1.
    @Test func focusRingStandsOutFromThePage() throws {
        let css = Stylesheet.css
        func value(_ name: String) throws -> String {
            let pattern = try Regex("--\(name):\\s*(#[0-9a-fA-F]{3,6})")
            return String(try #require(css.firstMatch(of: pattern)?.output[1].substring))
        }
        let rule = try #require(css.firstMatch(of: /a:focus,[^{]*\{\s*outline:\s*3px solid ([^;]+);/), "no focus rule")
        var ring = String(rule.1).trimmingCharacters(in: .whitespaces)
        if let v = ring.firstMatch(of: /var\(--([a-z-]+)\)/) { ring = try value(String(v.1)) }
        let page = try value("bg")
        #expect(Self.contrast(ring, page) >= 3, "focus ring \(ring) on \(page): \(Self.contrast(ring, page)):1")
    }

    /// Whether the element with the opening-tag text `start` sits in a `no-print` element (itself or the `<p>`,
    /// `<ul>`, `<div>` or `<section>` right around it): what the print stylesheet hides.
    static func hiddenInPrint(_ page: String, _ start: String) -> Bool? {
        // Within `<main>` (the header's navigation, hidden in print anyway, links to the log too).
        let html = page.range(of: "<main").map { String(page[$0.lowerBound...]) } ?? page
        guard let r = html.range(of: start) else { return nil }
        let before = html[..<r.lowerBound]
        let open = before.range(of: "<", options: .backwards).map { String(html[$0.lowerBound..<r.lowerBound]) } ?? ""
        let tagEnd = html[r.lowerBound...].firstIndex(of: ">").map { String(html[r.lowerBound...$0]) } ?? ""
        if (open + tagEnd).contains("no-print") { return true }
        // The enclosing element: the last opening tag before `start` that is not closed before it.
        guard let last = before.matches(of: /<(p|ul|div|section)( [^>]*)?>/).last else { return false }
        if before[last.range.upperBound...].contains("</\(last.1)>") { return false } // closed before `start`
        return String(before[last.range]).contains("no-print")
    }

    /// Printed, a page showed the links that only act on screen: a consent's "print a copy of the declaration" link,
    /// the heading "Erklärung zum Ausdrucken" over its (hidden) list, and on the DPO's pages "Auskunft · Statistik",
    /// "Erneut erklären" and the way back to the log (seen with `Emulation.setEmulatedMedia` print: each had a box).
    /// On paper they are noise; each is marked `no-print` like the forms and buttons around them.
    @Test func screenOnlyLinksAreNotPrinted() async throws {
        try await fixture.application().test(.router) { client in
            let index = try await decide(client)
            let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: #"""
                {"subject": "RSK-2022-000901", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "de",
                 "clauses": ["abh-kontakt"], "granted-at": "2026-01-10T09:00:00Z"}
                """#))
            let consent = try #require((granted.json["consent"] as? [String: Any])?["id"] as? String, "\(granted.text)")
            let worker: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-caseworker")))"]
            let dpo: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let show = try await client.execute(uri: "/consents/\(consent)", method: .get, headers: worker).text
            #expect(Self.hiddenInPrint(show, "<a href=\"/consents/\(consent)/declaration\"") == true)
            let new = try await client.execute(uri: "/consents/new", method: .get, headers: worker).text
            #expect(Self.hiddenInPrint(new, "<h2") == true, "the heading over the print links")
            let log = try await client.execute(uri: "/audit", method: .get, headers: dpo).text
            #expect(Self.hiddenInPrint(log, "<a href=\"/audit/report\"") == true)
            let entry = try await client.execute(uri: "/audit/entries/\(index)", method: .get, headers: dpo).text
            #expect(Self.hiddenInPrint(entry, "<a href=\"/audit/entries/\(index)?explain=1\"") == true)
            #expect(Self.hiddenInPrint(entry, "<a href=\"/audit\">") == true)
            // What a printed page is for stays: the consent, the log's table, the entry.
            #expect(Self.hiddenInPrint(show, "<dl class=\"consent\"") == false)
            #expect(Self.hiddenInPrint(log, "<table id=\"entries\"") == false)
            #expect(Self.hiddenInPrint(entry, "<pre class=\"entry\"") == false)
        }
    }

    /// The WCAG contrast ratio of two `#rgb` / `#rrggbb` colours.
    static func contrast(_ a: String, _ b: String) -> Double {
        func luminance(_ hex: String) -> Double {
            var h = hex.dropFirst().map(String.init)
            if h.count == 3 { h = h.flatMap { [$0, $0] } }
            let digits = h.joined()
            let c = stride(from: 0, to: 6, by: 2).map { i -> Double in
                let s = Double(Int(digits.dropFirst(i).prefix(2), radix: 16) ?? 0) / 255
                return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}

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
            #expect(Self.hiddenInPrint(entry, "<a href=\"/audit/entries/\(index)?explain=1#explain\"") == true, "the link leads to the explanation (it opened at the page's top)")
            #expect(Self.hiddenInPrint(entry, "<a href=\"/audit\">") == true)
            // What a printed page is for stays: the consent, the log's table, the entry.
            #expect(Self.hiddenInPrint(show, "<dl class=\"consent\"") == false)
            #expect(Self.hiddenInPrint(log, "<table id=\"entries\"") == false)
            #expect(Self.hiddenInPrint(entry, "<pre class=\"entry\"") == false)
        }
    }

    // MARK: Findings of the second review

    /// A page session cookie header for the fixture account `name`.
    func session(_ client: some TestClientProtocol, _ name: String) async throws -> HTTPFields {
        [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: name)))"]
    }

    /// The element with `id="<id>"` whose tag is `tag`, from its opening tag to its closing tag (not nested in itself).
    static func element(_ html: String, tag: String, id: String) -> String? {
        guard let start = html.range(of: "<\(tag) id=\"\(id)\""), let end = html[start.upperBound...].range(of: "</\(tag)>") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// A checkbox group where at least one box must be ticked (the fields of the referral check, the clauses of the
    /// chosen template on the consent form) was a fieldset whose legend did not say so: a screen reader announced
    /// "Felder, die weitergegeben werden sollen, Gruppe" and nothing required (a `required` on a box would demand that
    /// very box). The legend says it in words; sent with none ticked, the page answers 400 with the message inside the
    /// group, the group `aria-describedby` it, and the error summary linking it to the group's first box.
    @Test("Required checkbox groups say so in their legend, and the refusal is tied to the group", arguments: [
        ("/check", "fields", "field-", "de", "Pflichtangabe: mindestens ein Feld ankreuzen", "Bitte mindestens ein Feld auswählen"),
        ("/check", "fields", "field-", "en", "required: tick at least one field", "Please choose at least one field"),
        ("/consents/new", "clauses-kim-beratung", "clause-kim-beratung-", "de",
         "Pflichtangabe, wenn diese Vorlage gewählt ist: mindestens eine Klausel ankreuzen", "Bitte mindestens eine Klausel auswählen"),
        ("/consents/new", "clauses-kim-beratung", "clause-kim-beratung-", "en",
         "required when this template is chosen: tick at least one clause", "Please choose at least one clause"),
    ])
    func requiredCheckboxGroupsSaySo(page: String, group: String, firstBox: String, lang: String, required: String, refusal: String) async throws {
        try await fixture.application().test(.router) { client in
            let cookie = try await session(client, "test-caseworker")
            let form = try await client.execute(uri: "\(page)?lang=\(lang)", method: .get, headers: cookie)
            let fieldset = try #require(Self.element(form.text, tag: "fieldset", id: group), "no fieldset \(group)")
            let legend = try #require(fieldset.firstMatch(of: /<legend>(.*?)<\/legend>/)).1
            #expect(legend.contains("(\(required))"), "\(legend)")
            #expect(!form.text.contains("aria-describedby=\"\(group == "fields" ? "fields" : "clauses")-error\""), "no message before a refusal")

            // Sent with everything else right and no box ticked.
            let csrf = try #require(csrfToken(in: form.text))
            let fields = page == "/check"
                ? [("subject", "RSK-2022-000001"), ("partner", "jobcenter"), ("purpose", "job-placement")]
                : [("subject", "RSK-2022-000001"), ("template", "kim-beratung"), ("language", "de")]
            var headers = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            let refused = try await client.execute(uri: (page == "/check" ? "/check" : "/consents") + "?lang=\(lang)", method: .post,
                                                   headers: headers, body: formEncode(fields + [("_csrf", csrf)]))
            #expect(refused.status == .badRequest, "\(refused.text)")
            let errorID = (group == "fields" ? "fields" : "clauses") + "-error"
            let refusedGroup = try #require(Self.element(refused.text, tag: "fieldset", id: group), "no fieldset \(group)")
            #expect(refusedGroup.hasPrefix("<fieldset id=\"\(group)\"") && refusedGroup.contains("aria-describedby=\"\(errorID)\""), "\(refusedGroup.prefix(200))")
            #expect(refusedGroup.contains(try Regex("<p class=\"field-error\" id=\"\(errorID)\"><span class=\"visually-hidden\">[^<]+</span>\(refusal)</p>")), "\(refusedGroup)")
            #expect(try #require(refusedGroup.firstMatch(of: /<legend>(.*?)<\/legend>/)).1.contains("(\(required))"))
            let summary = try #require(refused.text.firstMatch(of: /<div class="alert error-summary"[\s\S]*?<\/div>/).map { String($0.0) })
            #expect(summary.contains(try Regex("<li><a href=\"#\(firstBox)[a-z-]+\">\(refusal)</a></li>")), "\(summary)")
        }
    }

    /// The Ukrainian declaration names the Jugendamt in German inside Ukrainian text ("Служба у справах молоді
    /// (Jugendamt)", "Jugendamt, здоров'я"); unmarked, a screen reader read it with Ukrainian rules. Every partner's
    /// German name (from the policy) standing in a declaration that is not German is marked `lang="de"`: in the blank
    /// declaration and in the copy of a recorded consent alike; the German declaration marks none.
    @Test("German partner names in the Ukrainian declaration are marked German", arguments: ["blank", "copy"])
    func germanNamesInTheUkrainianDeclarationAreMarked(kind: String) async throws {
        try await fixture.application().test(.router) { client in
            var uri = "/declarations/kim-beratung?language=uk"
            if kind == "copy" {
                let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: #"""
                    {"subject": "RSK-2022-000901", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "uk",
                     "clauses": ["jugendamt"], "granted-at": "2026-01-10T09:00:00Z"}
                    """#))
                uri = "/consents/\(try #require((granted.json["consent"] as? [String: Any])?["id"] as? String, "\(granted.text)"))/declaration"
            }
            let cookie = try await session(client, "test-caseworker")
            let uk = try await client.execute(uri: uri, method: .get, headers: cookie)
            #expect(uk.status == .ok)
            #expect(uk.text.hasPrefix("<!DOCTYPE html>\n<html lang=\"uk\">"))
            #expect(uk.text.contains("<strong>Служба у справах молоді (<span lang=\"de\">Jugendamt</span>)</strong>"), "\(uk.text)")
            #expect(uk.text.contains("<strong><span lang=\"de\">Jugendamt</span>, здоров&#39;я</strong>"))
            let all = uk.text.components(separatedBy: "Jugendamt").count - 1
            let marked = uk.text.components(separatedBy: "<span lang=\"de\">Jugendamt</span>").count - 1
            #expect(all >= 3 && all == marked, "\(all) times Jugendamt, \(marked) marked")
            let de = try await client.execute(uri: "/declarations/kim-beratung?language=de", method: .get, headers: cookie)
            #expect(de.text.contains("Jugendamt") && !de.text.contains("<span lang=\"de\">"))
        }
    }

    /// Printed, the consent recording form came out as its controls (text boxes, selects, a file field): of no use on
    /// paper, and not the declaration a case manager prints for the person to sign. Printed, the form, its intro and the
    /// links are hidden; a note (hidden on screen) says what the page is and where the declaration to print is.
    @Test("The printed recording form says where the declaration to print is", arguments: [
        ("de", "Die Erklärung zum Ausdrucken und Unterschreiben öffnen Sie"), ("en", "Open the declaration to print and sign"),
    ])
    func printedRecordingFormSaysWhereTheDeclarationIs(lang: String, words: String) async throws {
        try await fixture.application().test(.router) { client in
            let new = try await client.execute(uri: "/consents/new?lang=\(lang)", method: .get, headers: try await session(client, "test-caseworker")).text
            #expect(Self.hiddenInPrint(new, "<form method=\"post\" action=\"/consents\"") == true)
            let note = try #require(new.firstMatch(of: /<div class="print-only" id="print-note">[\s\S]*?<\/div>/).map { String($0.0) })
            #expect(note.contains("class=\"print-only\"") && note.contains(words), "\(note)")
            for code in ["de", "en", "uk"] { #expect(note.contains(": /declarations/kim-beratung?language=\(code)</li>"), "\(note)") }
            // Hidden on screen (and so from screen readers, which have the links), shown in print.
            let css = Stylesheet.css
            let print = try #require(css.range(of: "@media print")).lowerBound
            #expect(css[..<print].contains(".print-only { display: none; }"))
            #expect(css[print...].contains(".print-only { display: block; }"))
        }
    }

    /// An error page (404, 403, 400) of a logged-in user had no account box: who was logged in, the logout button and
    /// the navigation were gone, because the error is rendered outside the middleware that reads the session. Now an
    /// error page shows them for a session with an account; for no cookie, an unknown one, or a session without an
    /// account (login page visited) it shows nothing about any account.
    @Test("Error pages show the account box to a logged-in user only", arguments: [
        ("test-caseworker", "/no-such-page", 404), ("test-caseworker", "/audit", 403), ("test-dpo", "/check", 403),
        ("test-dpo", "/audit/entries/abc", 400), ("test-caseworker", "/consents/not-a-consent", 400),
        ("", "/no-such-page", 404), ("anonymous-session", "/no-such-page", 404), ("unknown-cookie", "/no-such-page", 404),
        ("", "/audit", 401),
    ])
    func errorPagesShowTheAccountBoxToALoggedInUserOnly(who: String, uri: String, status: Int) async throws {
        try await fixture.application().test(.router) { client in
            var headers: HTTPFields = [:]
            switch who {
            case "": break
            case "anonymous-session":
                let login = try await client.execute(uri: "/login", method: .get)
                headers[.cookie] = "cg_session=\(try #require(login.cookieValue("cg_session")))"
            case "unknown-cookie": headers[.cookie] = "cg_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            default: headers = try await session(client, who)
            }
            for lang in ["de", "en"] {
                let page = try await client.execute(uri: "\(uri)?lang=\(lang)", method: .get, headers: headers)
                #expect(page.status.code == status, "\(page.status)")
                #expect(page.text.contains("<nav class=\"language\""), "the language switch is on every page")
                let box = page.text.firstMatch(of: /<div class="account-box">[\s\S]*?<\/form><\/div>/).map { String($0.0) }
                if who.hasPrefix("test-") {
                    let b = try #require(box, "no account box on \(uri): \(page.text)")
                    #expect(b.contains("<strong>\(who)</strong>") && b.contains(lang == "de" ? "Angemeldet als" : "Signed in as"), "\(b)")
                    #expect(b.contains("<form method=\"post\" action=\"/logout\">") && b.contains(lang == "de" ? ">Abmelden</button>" : ">Log out</button>"))
                    #expect(page.text.contains("<nav class=\"main-nav\""))
                    // The logout form works from the error page: its CSRF token is the session's.
                    let token = try #require(csrfToken(in: b))
                    var post = headers
                    post[.contentType] = "application/x-www-form-urlencoded"
                    let out = try await client.execute(uri: "/logout", method: .post, headers: post, body: formEncode([("_csrf", token)]))
                    #expect(out.status == .seeOther, "\(out.text)")
                    headers = try await session(client, who)
                } else {
                    #expect(box == nil && !page.text.contains("account-box"))
                    for leak in ["Angemeldet als", "Signed in as", "/logout", "_csrf", "test-", "main-nav"] {
                        #expect(!page.text.contains(leak), "\(leak) on the error page of \(who.isEmpty ? "no session" : who)")
                    }
                }
            }
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

import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Signing
import Testing
@testable import WebService

/// The case manager's pages as they are used (review of the referral check and consent recording): a refused
/// form comes back with every entry and the error at its field, in German and English; the declarations to print
/// open in the browser session; the signing date of today is accepted in the morning; clause boxes belong to
/// their template; printed declarations mark text in another language; the referral sheet shows Berlin time.
@Suite struct CaseManagerPagesReviewTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// A URL-encoded page POST with the session's CSRF token.
    func post(_ client: some TestClientProtocol, _ uri: String, session: String, lang: String = "de",
              fields: [(String, String)]) async throws -> TestResponse {
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
        let csrf = try #require(csrfToken(in: page.text))
        // A check is answered 303 to its page (post-redirect-get), which a browser follows.
        return try await following(client, try await client.execute(uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
            body: formEncode(fields + [("_csrf", csrf)])), cookie: "cg_session=\(session); cg_lang=\(lang)")
    }

    /// A multipart page POST (as the consent form sends it) with the session's CSRF token; `file` is the scan.
    func postMultipart(_ client: some TestClientProtocol, _ uri: String, session: String, lang: String = "de",
                       fields: [(String, String)], file: (name: String, filename: String, data: String)? = nil) async throws -> TestResponse {
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
        let csrf = try #require(csrfToken(in: page.text))
        let boundary = "----review\(UUID().uuidString.prefix(8))"
        var body = ""
        for (k, v) in fields + [("_csrf", csrf)] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n\(file.data)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await client.execute(uri: uri, method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
            body: ByteBuffer(string: body))
    }

    /// The opening tag of the element with `id` in `html`.
    func tag(_ id: String, in html: String) -> String? {
        guard let r = html.range(of: "id=\"\(id)\"") else { return nil }
        let start = html[..<r.lowerBound].lastIndex(of: "<") ?? r.lowerBound
        let end = html[r.upperBound...].firstIndex(of: ">") ?? html.endIndex
        return String(html[start...end])
    }

    // MARK: the referral check form

    /// A case id the rule refuses: the form comes back (400) with every other entry, the error at the case id
    /// (`aria-invalid`, `aria-describedby` with its hint) and in a focused summary linking to the field.
    @Test func refusedCheckKeepsEveryEntryAndShowsTheErrorAtTheField() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (lang, says) in [("de", "Fall-ID &quot;RSK 2022&quot; ungültig"), ("en", "case id &quot;RSK 2022&quot; is invalid")] {
                let r = try await post(client, "/check", session: session, lang: lang, fields: [
                    ("subject", "RSK 2022"), ("birth-date", "2012-05-01"), ("unaccompanied-minor", "on"), ("partner", "jugendamt"),
                    ("purpose", "child-welfare"), ("fields", "name.family"), ("fields", "contact.phone")])
                #expect(r.status == .badRequest)
                let html = r.text
                #expect(html.contains("<form method=\"post\" action=\"/check\""), "the form is gone: \(html.suffix(600))")
                let subject = try #require(tag("subject", in: html))
                #expect(subject.contains("value=\"RSK 2022\""))
                #expect(subject.contains("aria-invalid=\"true\""))
                #expect(subject.contains("aria-describedby=\"subject-error subject-hint\""))
                #expect(tag("subject-error", in: html) != nil)
                #expect(html.contains(says))
                #expect(try #require(tag("birth-date", in: html)).contains("value=\"2012-05-01\""))
                #expect(try #require(tag("unaccompanied-minor", in: html)).contains("checked"))
                #expect(html.contains("<option value=\"jugendamt\" selected>"))
                #expect(html.contains("<option value=\"child-welfare\" selected>"))
                #expect(try #require(tag("field-name-family", in: html)).contains("checked"))
                #expect(try #require(tag("field-contact-phone", in: html)).contains("checked"))
                #expect(!(try #require(tag("field-health-notes", in: html)).contains("checked")))
                let summary = try #require(tag("error-summary", in: html))
                #expect(summary.contains("autofocus") && summary.contains("tabindex=\"-1\""))
                #expect(html.contains("<a href=\"#subject\">"))
                #expect(!(try #require(tag("partner", in: html)).contains("aria-invalid")))
            }
        }
    }

    /// No field chosen: the message at the field group (a fieldset described by it), the case id kept.
    @Test func checkWithoutFieldsKeepsTheEntries() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await post(client, "/check", session: session, fields: [
                ("subject", "RSK-2022-000001"), ("partner", "jobcenter"), ("purpose", "job-placement")])
            #expect(r.status == .badRequest)
            #expect(try #require(tag("subject", in: r.text)).contains("value=\"RSK-2022-000001\""))
            #expect(try #require(tag("fields", in: r.text)).contains("aria-describedby=\"fields-error\""))
            #expect(r.text.contains("Bitte mindestens ein Feld auswählen"))
            #expect(r.text.contains("<option value=\"jobcenter\" selected>"))
        }
    }

    /// Another municipality's person: the 403 comes as the form with the entries, the reason at the case id.
    @Test func otherMunicipalitysPersonKeepsTheForm() async throws {
        try fixture.environment.gate.saveSubject(Subject(id: "RSK-2024-000201", municipality: "Troisdorf"))
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await post(client, "/check", session: session, fields: [
                ("subject", "RSK-2024-000201"), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")])
            #expect(r.status == .forbidden)
            #expect(try #require(tag("subject", in: r.text)).contains("aria-invalid=\"true\""))
            #expect(r.text.contains("nicht zu Ihrer Kommune"))
            #expect(try #require(tag("field-name-family", in: r.text)).contains("checked"))
        }
    }

    // MARK: recording a consent

    /// A minor without a guardian: the form comes back (422) with every entry (the scan as its checksum), the
    /// error at the guardians field; sent again with a guardian it is recorded with the scan's checksum.
    @Test func refusedConsentKeepsEveryEntryAndTheScan() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let scan = "%PDF-1.4 signed declaration"
            let fields: [(String, String)] = [
                ("subject", "RSK-2022-000077"), ("birth-date", "2014-02-03"), ("unaccompanied-minor", "on"), ("template", "kim-beratung"),
                ("language", "uk"), ("clauses.kim-beratung", "jugendamt"), ("clauses.kim-beratung", "sprachkurs"), ("granted-on", "2026-11-20"),
                // A fixed day (the child's age at signing decides the guardian rule), confirmed in case it has run out by then.
                ("record-expired", "on")]
            for lang in ["de", "en"] {
                let r = try await postMultipart(client, "/consents", session: session, lang: lang, fields: fields + [("guardians", "")],
                                                file: ("scan", "scan.pdf", scan))
                #expect(r.status == .unprocessableContent)
                let html = r.text
                #expect(try #require(tag("subject", in: html)).contains("value=\"RSK-2022-000077\""))
                #expect(try #require(tag("birth-date", in: html)).contains("value=\"2014-02-03\""))
                #expect(try #require(tag("unaccompanied-minor", in: html)).contains("checked"))
                #expect(html.contains("<option value=\"uk\" selected>"))
                #expect(try #require(tag("clause-kim-beratung-jugendamt", in: html)).contains("checked"))
                #expect(try #require(tag("clause-kim-beratung-sprachkurs", in: html)).contains("checked"))
                #expect(!(try #require(tag("clause-kim-beratung-jobcenter", in: html)).contains("checked")))
                #expect(try #require(tag("granted-on", in: html)).contains("value=\"2026-11-20\""))
                let guardians = try #require(tag("guardians", in: html))
                #expect(guardians.contains("aria-invalid=\"true\"") && guardians.contains("aria-describedby=\"guardians-error\""))
                #expect(html.contains(lang == "de" ? "sorgeberechtigte Person" : "at least one guardian"))
                #expect(html.contains("name=\"scan-digest\" value=\"\(SHA256.tagged(Data(scan.utf8)))\""))
                #expect(html.contains("scan.pdf"))
            }
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000077").isEmpty)
            // The refused form's language switch leads to the form (GET /consents is a 405), the navigation marks it.
            let refused = try await postMultipart(client, "/consents", session: session, fields: fields)
            #expect(refused.text.contains("<a href=\"/consents/new?lang=en\" lang=\"en\""), "\(refused.text.prefix(1500))")
            #expect(refused.text.contains("<a href=\"/consents/new\" aria-current=\"page\">"))
            // Corrected: a guardian; the scan comes from the kept checksum.
            let again = try await postMultipart(client, "/consents", session: session, fields: fields + [
                ("guardians", "Olena K."), ("scan-digest", SHA256.tagged(Data(scan.utf8))), ("scan-name", "scan.pdf")])
            #expect(again.status == .seeOther, "\(again.text.suffix(800))")
            let stored = try fixture.environment.gate.consents.list(subject: "RSK-2022-000077")
            #expect(stored.count == 1)
            #expect(stored.first?.consent?.content.evidence == SHA256.tagged(Data(scan.utf8)))
            #expect(stored.first?.consent?.content.language == "uk")
            #expect(stored.first?.consent?.content.clauses.sorted() == ["jugendamt", "sprachkurs"])
        }
    }

    /// A clause box belongs to its template: a box of another template (with the same clause id) ticked while
    /// `kim-beratung` is chosen is refused, not recorded as a clause of `kim-beratung`.
    @Test func clauseBoxOfAnotherTemplateIsRefused() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await postMultipart(client, "/consents", session: session, fields: [
                ("subject", "RSK-2022-000078"), ("birth-date", "1990-01-01"), ("template", "kim-beratung"), ("language", "de"),
                ("clauses.kim-erklaerung-2022", "jobcenter"), ("granted-on", recentSigningDay)])
            #expect(r.status == .badRequest)
            #expect(r.text.contains("kim-erklaerung-2022"))
            #expect(try #require(tag("clause-kim-erklaerung-2022-jobcenter", in: r.text)).contains("checked"))
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000078").isEmpty)
        }
    }

    /// A consent recorded without birth date and guardian waits for the birth date (it counts once one is known):
    /// the person can still withdraw it with the one button (it was hidden in that state).
    @Test func consentWaitingForTheBirthDateCanBeWithdrawn() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let recorded = try await postMultipart(client, "/consents", session: session, fields: [
                ("subject", "RSK-2022-000079"), ("template", "kim-beratung"), ("language", "de"),
                ("clauses.kim-beratung", "jobcenter"), ("granted-on", recentSigningDay)])
            #expect(recorded.status == .seeOther)
            let redirect = try #require(recorded.headers[.location])
            let page = try await client.execute(uri: redirect, method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(page.text.contains("data-state=\"needs-birth-date\""))
            #expect(page.text.contains("id=\"withdraw\""), "no withdraw button")
            // The outcome said once after the redirect, focused (the page came back with no word: a review of the pages).
            #expect(redirect.hasSuffix("?done=recorded"), "\(redirect)")
            #expect(page.text.contains("<div class=\"notice no-print\" id=\"done-note\" role=\"status\" tabindex=\"-1\" autofocus data-done=\"recorded\"><p>Die Einwilligung ist gespeichert.</p></div>"),
                    "\(page.text)")
            let location = String(redirect.prefix { $0 != "?" })
            // The language switch does not say it again.
            #expect(page.text.contains("<a href=\"\(location)?lang=en\" lang=\"en\""), "\(page.text)")
            let plain = try await client.execute(uri: location, method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(!plain.text.contains("done-note"), "only after the action")
            // A notice the record does not bear out is not said (a link with `?done=withdrawn` to a consent in force: a review).
            for done in ["withdrawn", "lines-withdrawn", "notice-recorded"] {
                let untrue = try await client.execute(uri: "\(location)?done=\(done)", method: .get, headers: [.cookie: "cg_session=\(session)"])
                #expect(untrue.status == .ok && !untrue.text.contains("done-note"), "\(done): \(untrue.text)")
            }
            let withdrawn = try await post(client, "\(location)/withdraw", session: session, fields: [])
            #expect(withdrawn.status == .seeOther && withdrawn.headers[.location] == "\(location)?done=withdrawn")
            let after = try await client.execute(uri: "\(location)?done=withdrawn", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(after.text.contains("data-state=\"withdrawn\""))
            #expect(!after.text.contains("id=\"withdraw\""))
            #expect(after.text.contains(#/data-done="withdrawn"><p>Die Einwilligung wurde am <time datetime="[^"]+Z">\d\d\.\d\d\.\d{4}, \d\d:\d\d MES?Z</time> widerrufen\.</p>/#), "\(after.text)")
        }
    }

    /// A signing date in the future is refused at its field, the day said as the page writes days (it stood as ISO in
    /// the German text: a review of the pages).
    @Test func aFutureSigningDayIsSaidAsThePageWritesDays() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let future = BerlinDay.day(of: Date()) + 3
            let r = try await postMultipart(client, "/consents", session: session, fields: [
                ("subject", "RSK-2022-000080"), ("birth-date", "1990-01-01"), ("template", "kim-beratung"), ("language", "de"),
                ("clauses.kim-beratung", "jobcenter"), ("granted-on", UTCDay.format(future))])
            #expect(r.status == .badRequest, "\(r.text.suffix(800))")
            #expect(r.text.contains("Das Datum der Unterschrift \(UTCDay.words(future, language: .de)) liegt in der Zukunft"), "\(r.text)")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000080").isEmpty)
        }
    }

    /// The form names the declaration languages (`uk` alone reads as "United Kingdom").
    @Test func languagesAreNamed() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let de = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(de.text.contains("<option value=\"uk\">Ukrainisch (uk)</option>"))
            let en = try await client.execute(uri: "/consents/new?lang=en", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(en.text.contains("<option value=\"uk\">Ukrainian (uk)</option>"))
        }
    }

    /// The links to print a template's declaration open in the browser session (they led to the bearer-only API: 401).
    @Test func declarationLinksToPrintOpenInTheSession() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let links = page.text.matches(of: /<a href="([^"]*)" hreflang="([a-z]+)">kim-beratung/).map { (String($0.1), String($0.2)) }
            #expect(links.count == 3, "\(links)")
            for (href, code) in links {
                let r = try await client.execute(uri: href.replacingOccurrences(of: "&amp;", with: "&"), method: .get,
                                                 headers: [.cookie: "cg_session=\(session)"])
                #expect(r.status == .ok, "\(href): \(r.status)")
                #expect(r.text.contains("<html lang=\"\(code)\">"), "\(href)")
            }
        }
    }

    /// "Today" is the Berlin day, and a declaration signed today is recorded as signed no later than now, also
    /// before noon UTC (it was noon UTC, in the future until then: "granted in the future").
    @Test func signingTodayWorksInTheMorning() throws {
        let morning = try #require(RFC3339.parse("2026-12-03T07:30:00Z"))
        let today = try #require(UTCDay.parse("2026-12-03"))
        #expect(ConsentPages.berlinDay(of: morning) == today)
        let signed = try #require(ConsentPages.signingTime(day: today, now: morning))
        #expect(signed <= morning)
        #expect(ConsentPages.signingTime(day: today + 1, now: morning) == nil)
        // 23:30 UTC is already the next day in Berlin (00:30 CET).
        let lateEvening = try #require(RFC3339.parse("2026-12-03T23:30:00Z"))
        #expect(ConsentPages.berlinDay(of: lateEvening) == today + 1)
        #expect(ConsentPages.signingTime(day: today + 1, now: lateEvening) == lateEvening)
        // An earlier day: noon UTC, on that day in Berlin.
        #expect(ConsentPages.signingTime(day: today - 1, now: morning) == RFC3339.parse("2026-12-02T12:00:00Z"))
    }

    // MARK: printing

    /// A Ukrainian declaration marks the German text in it (`lang`), and a German declaration printed
    /// from the English pages names the partners in German (as `consent form` prints it).
    @Test func declarationMarksTextInOtherLanguages() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let uk = try await client.execute(uri: "/declarations/kim-beratung?language=uk", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(uk.text.contains("<html lang=\"uk\">"))
            #expect(uk.text.contains("<span lang=\"de\">Vom Fallmanagement auszufüllen</span>"))
            // The shipped policy names partners, purposes and data in Ukrainian (`form-languages.uk.names`), the German
            // office name in it marked; no English name is left (before 2026-12-07 they were English, marked `en`).
            #expect(uk.text.contains("<dd>Джобцентр (<span lang=\"de\">Jobcenter</span>)</dd>"), "\(uk.text)")
            #expect(!uk.text.contains("<dd><span lang=\"en\">"))
            let de = try await client.execute(uri: "/declarations/kim-beratung?language=de&lang=en", method: .get,
                                              headers: [.cookie: "cg_session=\(session); cg_lang=en"])
            #expect(de.text.contains("<dd>Ausländerbehörde</dd>"))
            #expect(!de.text.contains("Immigration office"))
        }
    }

    /// A template or consent that does not exist is named in the page's language ("Nicht gefunden: consent template …").
    @Test func notFoundNamesTheThingInThePagesLanguage() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let template = try await client.execute(uri: "/declarations/nope?language=de", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(template.status == .notFound)
            #expect(template.text.contains("Nicht gefunden: Einwilligungsvorlage nope") && !template.text.contains("consent template"))
            let consent = try await client.execute(uri: "/consents/2f0c6a52-5b43-4a8e-9a4e-0c3f1b7d9e11", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(consent.status == .notFound)
            #expect(consent.text.contains("Nicht gefunden: Einwilligung 2f0c6a52") && !consent.text.contains(": consent 2f0c"))
            let english = try await client.execute(uri: "/declarations/nope?language=de&lang=en", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(english.text.contains("not found: consent template nope"))
        }
    }

    /// A wrapped list item of the template text stays one item on the printed declaration (its second line was
    /// cut out of the list as a paragraph of its own), in every language.
    @Test func wrappedListItemsOfTheDeclarationStayWhole() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (lang, item) in [("uk", "<strong>Джобцентр</strong> – для працевлаштування та базового соціального забезпечення: ім'я, дата народження, адреса, телефон"),
                                 ("de", "<strong>Jobcenter</strong> – für Arbeitsvermittlung und Grundsicherung: Name, Geburtsdatum, Anschrift, Telefon, E-Mail, Aufenthaltsstatus")] {
                let r = try await client.execute(uri: "/declarations/kim-beratung?language=\(lang)", method: .get, headers: [.cookie: "cg_session=\(session)"])
                #expect(r.status == .ok)
                let text = r.text.replacingOccurrences(of: "&#39;", with: "'")
                #expect(text.contains(item), "\(lang): wrapped item split")
                #expect(!text.contains("<p>телефон, e-mail") && !text.contains("<p>Aufenthaltsstatus"), "\(lang)")
            }
        }
    }

    /// The referral sheet gives the time in Berlin (with the zone) and partner and purpose by name.
    @Test func referralSheetShowsBerlinTimeAndNames() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await post(client, "/check", session: session, fields: [
                ("subject", "RSK-2022-000001"), ("birth-date", "1985-03-14"), ("partner", "auslaenderbehoerde"),
                ("purpose", "residence-registration"), ("fields", "name.family")])
            let index = try #require(r.text.firstMatch(of: /data-audit-index="(\d+)"/).map { String($0.1) })
            // The result's time, as every page time, in a <time> element with the instant in UTC (found in a review of dates).
            #expect(r.text.firstMatch(of: /<caption>[^<]*<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z">[^<]+ (MEZ|MESZ)<\/time><\/caption>/) != nil, "\(r.text)")
            let sheet = try await client.execute(uri: "/check/\(index)/sheet.csv", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let first = String(sheet.text.prefix { $0 != "\r" })
            #expect(first.contains(" MEZ;") || first.contains(" MESZ;"), "\(first)")
            #expect(first.firstMatch(of: /\d{4}-\d\d-\d\dT/) == nil, "\(first)")
            #expect(first.contains("Ausländerbehörde (auslaenderbehoerde)"), "\(first)")
        }
    }

    /// The printed check result is the result: the form (field boxes, selects) and the download link are not printed.
    @Test func checkFormAndDownloadAreNotPrinted() async throws {
        #expect(Stylesheet.css.contains(".no-print { display: none !important; }") || Stylesheet.css.contains(", .no-print {"))
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await post(client, "/check", session: session, fields: [
                ("subject", "RSK-2022-000001"), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")])
            #expect(r.text.contains("class=\"check-form no-print\""))
            #expect(r.text.contains("<span class=\"no-print\"> · <a href=\"/check/"))
        }
    }
}

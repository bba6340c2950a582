import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestFolders
@testable import WebService

/// The Arabic declaration (`ArabicPolicy`) laid out by a real browser: the page runs right to left, each clause's tick
/// box stands to the right of its text (where an Arabic reader starts the line), and the Latin template id in the
/// footer is an isolated left-to-right run. The German declaration of the same policy, checked the same way, has its
/// boxes on the left, so the geometry check can fail.
///
/// An extension of the serialized `BrowserTests` suite, as the other browser tests are: two browser tests at once
/// starve the in-process server on a 2-core machine.
extension BrowserTests {
    /// The page's direction and, for the first clause, the tick box's and the text block's left and right edges.
    static let clauseGeometry = """
        (() => {
          const clause = document.querySelector('div.clause');
          const box = clause.querySelector(':scope > .box').getBoundingClientRect();
          const text = clause.querySelector(':scope > div').getBoundingClientRect();
          return { direction: getComputedStyle(document.body).direction,
                   boxLeft: box.left, boxRight: box.right, textLeft: text.left, textRight: text.right };
        })()
        """

    /// The footer's `<bdi>` holding `kim-beratung`: its computed `unicode-bidi` and `direction` (what isolates it), and
    /// whether its first letter is drawn left of its last (a sanity check only: Latin letters run left to right in any
    /// paragraph; the isolation is what keeps the run apart from the Arabic around it).
    static let footerIsolate = """
        (() => {
          const bdi = [...document.querySelectorAll('footer bdi')].find(b => b.textContent === 'kim-beratung');
          if (!bdi) return null;
          const node = bdi.firstChild, range = document.createRange();
          range.setStart(node, 0); range.setEnd(node, 1);
          const first = range.getBoundingClientRect().left;
          range.setStart(node, node.length - 1); range.setEnd(node, node.length);
          const last = range.getBoundingClientRect().left;
          const style = getComputedStyle(bdi);
          return { unicodeBidi: style.unicodeBidi, direction: style.direction, firstLeftOfLast: first < last };
        })()
        """

    /// A number the page returned (a whole one comes back as an integer).
    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func theArabicDeclarationIsLaidOutFromTheRight() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        let gate = try FormLanguagePagesTests.gate(fixture, policy: try ArabicPolicy.make(in: fixture.directory))
        try await FormLanguagePagesTests.application(fixture, gate).test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)

            // Arabic: right to left, the box on the right of the clause's text.
            try await browser.navigate("\(base)/declarations/kim-beratung?language=ar")
            try await browser.wait(for: "document.querySelector('div.clause') !== null")
            #expect(try await browser.evaluate("document.documentElement.dir") as? String == "rtl")
            let arabic = try #require(try await browser.evaluate(Self.clauseGeometry) as? [String: Any])
            #expect(arabic["direction"] as? String == "rtl", "\(arabic)")
            let (aBoxLeft, aTextRight) = (try #require(Self.number(arabic["boxLeft"])), try #require(Self.number(arabic["textRight"])))
            #expect(aBoxLeft >= aTextRight - 1, "the box should lie right of the text: \(arabic)")
            let footer = try #require(try await browser.evaluate(Self.footerIsolate) as? [String: Any], "no <bdi>kim-beratung</bdi> in the footer")
            #expect(footer["unicodeBidi"] as? String == "isolate", "\(footer)")
            #expect(footer["direction"] as? String == "ltr", "\(footer)")
            #expect(footer["firstLeftOfLast"] as? Bool == true, "\(footer)")

            // German, the same check inverted: left to right, the box on the left of the text.
            try await browser.navigate("\(base)/declarations/kim-beratung?language=de")
            try await browser.wait(for: "document.documentElement.lang === 'de' && document.querySelector('div.clause') !== null")
            let german = try #require(try await browser.evaluate(Self.clauseGeometry) as? [String: Any])
            #expect(german["direction"] as? String == "ltr", "\(german)")
            let (gBoxRight, gTextLeft) = (try #require(Self.number(german["boxRight"])), try #require(Self.number(german["textLeft"])))
            #expect(gBoxRight <= gTextLeft + 1, "the box should lie left of the text: \(german)")
        }
    }
}

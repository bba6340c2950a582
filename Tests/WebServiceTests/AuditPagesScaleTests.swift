import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The DPO's log and statistics pages on a long log: the statistics over a chosen period (the page ignored `?since=`
/// before 2026-12-06 and always counted the whole log), the log's caption in the singular for one entry, and paging
/// forward as well as back.
@Suite(.serialized) struct AuditPagesScaleTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    var gate: Gate { fixture.environment.gate }

    /// Appends export disclosures to the Schulamt for `subject`, one per time; returns their indices.
    @discardableResult
    func appendDisclosures(_ times: [String], subject: String = "RSK-2022-000777") throws -> [Int64] {
        let entries = try times.enumerated().map { i, time in
            try AuditEntry(timeText: time, actor: "export-test", content: .disclosure(DisclosureRecord(
                partner: "schulamt", purpose: "school-planning", subject: subject,
                fields: [DisclosedField(field: "name.family", basis: .statute, rule: "school-children", citation: "§ 34 SchulG NRW")],
                exportRun: "run-\(i / 100)")))
        }
        return try gate.auditLog.append(entries, signer: gate.auditSigner())
    }

    func dpoCookie(_ client: some TestClientProtocol) async throws -> HTTPFields {
        [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
    }

    /// The month cells of the statistics table.
    static func months(_ html: String) -> [String] {
        html.matches(of: /<tr><td data-month="(\d{4}-\d{2})">/).map { String($0.1) }
    }

    @Test func theStatisticsPageCountsThePeriodChosen() async throws {
        // October, November (the first hour of 1 November in Berlin is 31 October in UTC) and December.
        try appendDisclosures(["2026-10-15T10:00:00Z", "2026-10-31T23:30:00Z", "2026-11-20T10:00:00Z", "2026-12-02T10:00:00Z"])
        try await fixture.application().test(.router) { client in
            let cookie = try await dpoCookie(client)
            let whole = try await client.execute(uri: "/audit/stats?lang=en", method: .get, headers: cookie)
            #expect(whole.status == .ok)
            #expect(Self.months(whole.text) == ["2026-10", "2026-11", "2026-12"], "\(Self.months(whole.text))")
            #expect(whole.text.contains("id=\"stats-period\"") && !whole.text.contains("id=\"stats-whole\""))

            let november = try await client.execute(uri: "/audit/stats?since=2026-11-01&until=2026-12-01&lang=en", method: .get, headers: cookie)
            #expect(november.status == .ok)
            #expect(Self.months(november.text) == ["2026-11"], "\(Self.months(november.text))")
            // The month in words (it read 2026-11 in the German page too: a review of the pages), its id in `data-month`.
            #expect(november.text.contains("<tr><td data-month=\"2026-11\">November 2026</td>"), "\(november.text)")
            #expect(november.text.contains("name=\"since\" value=\"2026-11-01\"") && november.text.contains("name=\"until\" value=\"2026-12-01\""))
            #expect(november.text.contains("id=\"stats-whole\""))
            // The read is logged with the period that applied.
            let reads = try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead]))
            guard case let .auditRead(last)? = reads.last?.entry.content else { Issue.record("no audit-read"); return }
            #expect(last.command == "GET /audit/stats" && last.filters["since"] == "2026-10-31T23:00:00Z" && last.filters["until"] == "2026-11-30T23:00:00Z",
                    "\(last.filters)")
            // A period appended to later counts the new entry too (the kept totals are brought up to date).
            try appendDisclosures(["2026-11-21T10:00:00Z"])
            let again = try await client.execute(uri: "/audit/stats?since=2026-11-01&until=2026-12-01&lang=en", method: .get, headers: cookie)
            let fresh = try gate.auditLog.stats(by: [.partner, .month], query: AuditQuery(since: "2026-10-31T23:00:00Z", until: "2026-11-30T23:00:00Z"))
            #expect(fresh.rows.first?.disclosures == 3)
            #expect(again.text.contains("<td>3</td>"), "\(again.text)")
            let bad = try await client.execute(uri: "/audit/stats?since=yesterday", method: .get, headers: cookie)
            #expect(bad.status == .badRequest)
            let german = try await client.execute(uri: "/audit/stats?since=2026-10-01&until=2026-11-01&lang=de", method: .get, headers: cookie)
            #expect(german.text.contains("<tr><td data-month=\"2026-10\">Oktober 2026</td>"), "\(german.text)")
        }
    }

    @Test func oneEntryIsOneEntryInTheCaption() async throws {
        try appendDisclosures(["2026-11-20T10:00:00Z"], subject: "RSK-2022-000999")
        try await fixture.application().test(.router) { client in
            let cookie = try await dpoCookie(client)
            let en = try await client.execute(uri: "/audit?subject=RSK-2022-000999&lang=en", method: .get, headers: cookie)
            #expect(en.text.contains("<caption>1 entry, newest first</caption>"), "\(en.text)")
            let de = try await client.execute(uri: "/audit?subject=RSK-2022-000999&lang=de", method: .get, headers: cookie)
            #expect(de.text.contains("<caption>1 Eintrag, neueste zuerst</caption>"))
            let none = try await client.execute(uri: "/audit?subject=RSK-2022-000998&lang=en", method: .get, headers: cookie)
            #expect(none.text.contains("<caption>0 entries, newest first</caption>"))
        }
    }

    @Test func pagesGoBackAndForwardAndToTheNewest() async throws {
        let written = try appendDisclosures(Array(repeating: "2026-11-20T10:00:00Z", count: 230)).map { Int($0) }
        try await fixture.application().test(.router) { client in
            let cookie = try await dpoCookie(client)
            let rows = { (html: String) in html.matches(of: /<tr><td><a href="\/audit\/entries\/(\d+)">/).compactMap { Int($0.1) } }
            func link(_ id: String, in html: String) -> String? {
                html.firstMatch(of: try! Regex("<p id=\"\(id)\"><a href=\"([^\"]+)\">")).map { String($0.output[1].substring ?? "").replacingOccurrences(of: "&amp;", with: "&") }
            }
            let first = try await client.execute(uri: "/audit?kind=disclosure&lang=en", method: .get, headers: cookie)
            #expect(rows(first.text) == Array(written.reversed().prefix(200)))
            #expect(link("newer", in: first.text) == nil && link("newest", in: first.text) == nil)
            let older = try #require(link("older", in: first.text))
            let second = try await client.execute(uri: older, method: .get, headers: cookie)
            #expect(rows(second.text) == Array(written.prefix(30).reversed()))
            #expect(link("older", in: second.text) == nil)
            #expect(link("newest", in: second.text) == "/audit?kind=disclosure")
            // Forward again: the page just above the newest entry shown, newest first, the same as the first page.
            let newer = try #require(link("newer", in: second.text))
            #expect(newer == "/audit?kind=disclosure&after=\(written[29])")
            let back = try await client.execute(uri: newer, method: .get, headers: cookie)
            #expect(rows(back.text) == rows(first.text))
            #expect(link("older", in: back.text) == "/audit?kind=disclosure&before=\(written[30])")
            // A full forward page holding the newest match offers nothing newer (it led to an empty page before); one
            // with matches above it does.
            #expect(link("newer", in: back.text) == nil, "\(back.text)")
            let middle = try await client.execute(uri: "/audit?kind=disclosure&after=\(written[9])", method: .get, headers: cookie)
            #expect(rows(middle.text) == Array(written[10..<210].reversed()))
            #expect(link("newer", in: middle.text) == "/audit?kind=disclosure&after=\(written[209])", "\(middle.text)")
        }
    }
}

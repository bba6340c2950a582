import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The DPO's forms (the log's filters, the statistics' period, the Art. 15 report's case id) answer a value they refuse
/// with the form again: what was typed kept, the problem in the focused summary linked to its control, the control marked
/// invalid (pages review F9: a bare error page left the form behind). Nothing is read or logged for a refused form.
@Suite struct AuditFormProblemPageTests {
    @Test(arguments: [
        // (page and query, the control the problem links to, a value the form keeps, the message's start)
        ("/audit?subject=RSK-2022-000009&since=2026-12-31&until=2026-01-01", "f-until", "value=\"RSK-2022-000009\"", "„Bis (Datum, ausschließlich)“ 01.01.2026 liegt nicht nach „Ab (Datum)“ 31.12.2026: der Zeitraum ist leer"),
        ("/audit?subject=RSK-2022-000009&before=abc", "audit-filters", "value=\"RSK-2022-000009\"", "Parameter before"),
        // A filter's problem opens with its control's label, as the form shows it (the API's "Parameter since" on a page: a review).
        ("/audit?since=31.12.2026&actor=demo-dsb", "f-since", "value=\"demo-dsb\"", "„Ab (Datum)“: \"31.12.2026\" ist keine Zeit"),
        ("/audit?kind=decisions&partner=jobcenter", "f-kind", "value=\"jobcenter\"", "„Art“: unbekannte Eintragsart \"decisions\""),
        ("/audit/stats?since=2026-12-31&until=2026-01-01", "s-until", "value=\"2026-12-31\"", "„Bis (Datum, ausschließlich)“ 01.01.2026 liegt nicht nach"),
        ("/audit/stats?since=gestern", "s-since", "value=\"gestern\"", "„Ab (Datum)“: \"gestern\""),
        ("/audit/report?subject=RSK%202022", "r-subject", "value=\"RSK 2022\"", "Fall-ID der Person: \"RSK 2022\" ist keine gültige Fallnummer"),
    ])
    func aRefusedValueGivesTheFormBack(_ uri: String, _ control: String, _ kept: String, _ message: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let before = try log.size()
            let r = try await client.execute(uri: uri, method: .get, headers: cookie)
            #expect(r.status == .badRequest, "\(uri)")
            let html = r.text
            #expect(html.contains("id=\"error-summary\""), "the focused summary: \(html)")
            #expect(html.contains("<a href=\"#\(control)\">\(message.replacingOccurrences(of: "\"", with: "&quot;"))"), "\(uri): \(html)")
            #expect(html.contains("id=\"\(control)\""), "the form is there")
            if control != "audit-filters" {
                #expect(html.range(of: "id=\"\(control)\"[^>]*aria-invalid=\"true\"", options: .regularExpression) != nil, "marked: \(uri)")
            }
            #expect(html.contains(kept), "\(uri): the typed value kept")
            #expect(!html.contains("<table"), "no result for a refused form")
            #expect(try log.size() == before, "nothing read, nothing logged")
        }
    }
}

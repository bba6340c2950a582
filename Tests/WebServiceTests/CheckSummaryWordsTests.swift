import Diagnostics
import Testing
@testable import WebService

/// The check result's first line reads as a sentence for one field, none and all (a review of the pages, 2026-12-06,
/// found "0 von 1 Feldern dürfen …" / "0 of 1 fields may …").
@Suite struct CheckSummaryWordsTests {
    @Test(arguments: [
        (1, 1, "Das Feld darf an Jobcenter gehen.", "The field may go to Jobcenter."),
        (0, 1, "Das Feld darf nicht an Jobcenter gehen.", "The field may not go to Jobcenter."),
        (0, 3, "Keines der 3 Felder darf an Jobcenter gehen.", "None of the 3 fields may go to Jobcenter."),
        (1, 3, "1 von 3 Feldern darf an Jobcenter gehen.", "1 of 3 fields may go to Jobcenter."),
        (2, 3, "2 von 3 Feldern dürfen an Jobcenter gehen.", "2 of 3 fields may go to Jobcenter."),
        (3, 3, "Alle 3 Felder dürfen an Jobcenter gehen.", "All 3 fields may go to Jobcenter."),
        // Two said as two (a wording review, 2026-12-07: "Alle 2 Felder", "All 2 fields").
        (2, 2, "Beide Felder dürfen an Jobcenter gehen.", "Both fields may go to Jobcenter."),
        (0, 2, "Keines der beiden Felder darf an Jobcenter gehen.", "Neither field may go to Jobcenter."),
        (1, 2, "1 von 2 Feldern darf an Jobcenter gehen.", "1 of 2 fields may go to Jobcenter."),
    ])
    func summary(_ released: Int, _ total: Int, _ de: String, _ en: String) {
        #expect(CheckPage.summary(released: released, of: total, partner: "Jobcenter", language: .de) == de)
        #expect(CheckPage.summary(released: released, of: total, partner: "Jobcenter", language: .en) == en)
    }
}

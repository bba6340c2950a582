import Foundation
import Testing
@testable import DriveExport

/// An unknown municipality in a list row names the policy's municipalities probably meant (`siegburg`, `Trosdorf`,
/// `Hennef` → `Hennef (Sieg)`), so the case manager can correct the list; a name like none of them says only that it
/// is unknown.
@Suite struct UnknownMunicipalitySuggestionTests {
    @Test(arguments: [("siegburg", "Siegburg"), ("Trosdorf", "Troisdorf"), ("Hennef", "Hennef (Sieg)"), ("Atlantis", nil)])
    func theNamesProbablyMeantAreInTheReason(_ written: String, _ meant: String?) throws {
        let text = "Fall-ID;Kommune;Geburtsdatum\r\nRSK-2;\(written);01.02.2010\r\n"
        let csv = try CSVRecordReader(source: MemoryByteSource(Array(text.utf8), maxReadSize: 64), fileName: "list.csv")
        let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date"])
        let reader = try RegistrationListReader(csv: csv, mapping: mapping, schema: TestSupport.schema, now: TestSupport.now)
        guard case .quarantined(let q) = try reader.next() else { Issue.record("not quarantined"); return }
        #expect(q.reasons == [QuarantineReason(code: .unknownMunicipality, columnNumber: 2, columnName: "Kommune", detail: meant)])
        if let meant {
            #expect(q.reasons[0].text.de == "unbekannte Kommune (Spalte 2 „Kommune“); gemeint ist wohl: \(meant)")
            #expect(q.reasons[0].text.en == "unknown municipality (column 2 \"Kommune\"); probably meant: \(meant)")
        } else {
            #expect(q.reasons[0].text.en == "unknown municipality (column 2 \"Kommune\")")
        }
    }
}

import Foundation
import Testing

/// A list saved by Excel as "CSV (Trennzeichen-getrennt)" is Windows-1252. With the policy's headings its header has
/// umlauts and is refused; with a mapping file for plain-ASCII headings the header check cannot tell, and every row
/// with an umlaut, ß or Cyrillic letter was quarantined while the plain-ASCII rows went out, the summary showing only a
/// count of quarantined rows (exit 0): the operator did not learn that the file, not the rows, was wrong.
@Suite struct ExportEncodingWarningCLITests {
    typealias Setup = ExportOpsReviewCLITests.Setup

    /// The sample list with ASCII headings (and a mapping file for them), its bytes in Windows-1252.
    static func windows1252List(_ s: Setup) throws -> (list: String, mapping: String) {
        let sample = try String(contentsOfFile: ExportCLITests.Installation.sample, encoding: .utf8)
        var lines = sample.components(separatedBy: "\r\n")
        lines[0] = lines[0].replacingOccurrences(of: "Staatsangehörigkeit", with: "Staatsangehoerigkeit")
            .replacingOccurrences(of: "Straße", with: "Strasse").replacingOccurrences(of: "Unbegleitet minderjährig", with: "Unbegleitet minderjaehrig")
        // Windows-1252 has no Cyrillic: those letters become '?', as Excel writes them; the umlauts and ß become single bytes.
        let text = lines.joined(separator: "\r\n").unicodeScalars.map { $0.value < 0x100 ? Character($0) : "?" }
        let list = s.path("liste-1252.csv"), mapping = s.path("spalten.map")
        try Data(String(text).unicodeScalars.map { UInt8($0.value) }).write(to: URL(fileURLWithPath: list))
        try Data("Spalte;Feld\nStaatsangehoerigkeit;person.nationality\nStrasse;address.street\nUnbegleitet minderjaehrig;household.unaccompanied-minor\n".utf8)
            .write(to: URL(fileURLWithPath: mapping))
        return (list, mapping)
    }

    @Test("rows that are not UTF-8 give a warning line naming the cause, in German and English, and a JSON count",
          arguments: [("de", "Zeile(n) nicht in UTF-8 kodiert"), ("en", "row(s) not encoded in UTF-8")])
    func windows1252Rows(lang: String, warning: String) throws {
        let s = try Setup()
        defer { s.remove() }
        let (list, mapping) = try Self.windows1252List(s)
        let args = ["--input", list, "--mapping", mapping, "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"), "--lang", lang]
        let dry = try s.run(["export"], args + ["--dry-run"])
        #expect(dry.exitCode == 0 && dry.stdout.contains(warning) && dry.stdout.contains("Windows-1252"), "\(dry)")
        let json = try s.run(["export"], args + ["--dry-run", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let notUTF8 = try #require(object?["not-utf8-rows"] as? Int, "\(json)")
        #expect(notUTF8 > 100 && notUTF8 == object?["quarantined"] as? Int)
        let good = try s.export(["--lang", lang, "--dry-run"])
        #expect(good.exitCode == 0 && !good.stdout.contains("UTF-8"), "\(good)")
    }
}

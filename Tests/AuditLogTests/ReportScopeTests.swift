import Diagnostics
import Foundation
import Testing
@testable import AuditLog

/// The Art. 15 answer says what it covers: lit. c (recipients) from the log, the other items of Art. 15 and the copy
/// of Art. 15(3) given by the county's DPO beside it. A domain review found the page read as the whole answer while it
/// lacked purposes and categories of the whole processing, storage period, rights, the complaint route and the source.
@Suite struct ReportScopeTests {
    @Test(arguments: [(Language.de, ["Art. 15 Abs. 1 lit. c", "Speicherdauer", "Beschwerderecht", "Landesbeauftragte", "Herkunft", "Art. 15 Abs. 3"]),
                      (.en, ["Art. 15(1)(c)", "storage period", "complaint", "State Commissioner", "source", "Art. 15(3)"])])
    func theAnswerSaysWhatItCovers(_ language: Language, _ words: [String]) {
        let html = SubjectReport(subject: "RSK-1", entries: [], generatedAt: Date(timeIntervalSince1970: 1_764_064_800)).html(language: language)
        let note = html.components(separatedBy: "<p class=\"small\" id=\"scope\">").dropFirst().first?.components(separatedBy: "</p>").first ?? ""
        for w in words { #expect(note.contains(w), "\(w) in \(note)") }
    }
}

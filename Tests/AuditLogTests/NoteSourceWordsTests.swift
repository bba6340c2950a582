import Diagnostics
import Testing
@testable import AuditLog

/// An unreadable signed note names where it came from in the message's language (the German message said "Signierte
/// Notiz trusted checkpoint unlesbar"); a file's path stays as it is.
@Suite struct NoteSourceWordsTests {
    @Test(arguments: [("trusted checkpoint", "vertrauenswürdiger Checkpoint"), ("verifier key", "Prüfschlüssel"),
                      ("key name", "Schlüsselname"), ("newest checkpoint", "neuester Checkpoint"),
                      ("stored checkpoint 12", "gespeicherter Checkpoint 12"), ("/tmp/checkpoint.txt", "/tmp/checkpoint.txt")])
    func sourceInGerman(source: String, german: String) {
        let error = AuditLogError.malformedNote(source: source, reason: LocalizedText(de: "leere Ursprungszeile", en: "empty origin line"))
        #expect(error.message(in: .de) == "Signierte Notiz \(german) unlesbar: leere Ursprungszeile")
        #expect(error.message(in: .en) == "cannot read signed note \(source): empty origin line")
    }
}

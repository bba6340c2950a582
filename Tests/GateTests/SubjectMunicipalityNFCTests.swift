import Foundation
import Testing
@testable import Gate

/// A municipality spelled decomposed (NFD, as lists exported on a Mac spell `Königswinter`) is stored composed (NFC):
/// Swift compared the two as equal, SQLite did not, so such a person was missing from the case worker's list.
@Suite struct SubjectMunicipalityNFCTests {
    static let decomposed = "Ko\u{0308}nigswinter"
    static let composed = "K\u{00F6}nigswinter"

    @Test func aDecomposedMunicipalityIsStoredComposedAndFoundBySQL() throws {
        #expect(Array(Self.decomposed.utf8) != Array(Self.composed.utf8))
        #expect(Array((Subject(id: "RSK-NFC-1", municipality: Self.decomposed).municipality ?? "").utf8) == Array(Self.composed.utf8))
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.saveSubject(Subject(id: "RSK-NFC-1", municipality: Self.decomposed))
        #expect(try gate.subjectIDs(municipality: Self.composed) == ["RSK-NFC-1"])
        // Updating with another attribute keeps it composed; ASCII names stay as they are.
        let updated = try #require(try gate.subject(id: "RSK-NFC-1")).updated(with: Subject(id: "RSK-NFC-1", unaccompaniedMinor: true))
        #expect(Array((updated.municipality ?? "").utf8) == Array(Self.composed.utf8))
        #expect(Subject(id: "x", municipality: "Siegburg").municipality == "Siegburg")
    }
}

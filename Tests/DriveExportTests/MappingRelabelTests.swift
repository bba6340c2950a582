import Diagnostics
import Foundation
import PolicyEngine
import Testing
@testable import DriveExport

/// A mapping file may add headings and leave columns out, but not read a column headed with one field's own label as
/// another field: its data would go out, and be logged, as that field, past the rules on its own. An export probe sent
/// the Art. 9 "Gesundheitliche Hinweise" to the Schulamt as "Telefon" with two lines of mapping, exit 0.
@Suite struct MappingRelabelTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var lines: [String]
        /// The line refused, or nil when the mapping loads.
        var refusedLine: Int?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "health notes read as the phone", lines: ["Telefon;-", "Gesundheitliche Hinweise;contact.phone"], refusedLine: 3),
        Case(name: "a label's own field again", lines: ["Telefon;contact.phone"], refusedLine: nil),
        Case(name: "a label's column left out", lines: ["Gesundheitliche Hinweise;-"], refusedLine: nil),
        Case(name: "another heading for a field", lines: ["Handy;contact.phone", "Telefon;-"], refusedLine: nil),
        Case(name: "differently spaced and cased", lines: ["  gesundheitliche   hinweise ;contact.email"], refusedLine: 2),
    ]

    @Test(arguments: cases)
    func aColumnHeadedWithAFieldsLabelIsReadAsThatFieldOnly(_ c: Case) throws {
        let inst = try ExportHarness.open("relabel")
        defer { inst.remove() }
        let file = inst.dir + "/mapping.csv"
        try Data((["Spalte;Feld"] + c.lines).joined(separator: "\r\n").appending("\r\n").utf8).write(to: URL(fileURLWithPath: file))
        let plan = try ExportPlan(policy: inst.gate.policy)
        guard let line = c.refusedLine else {
            _ = try plan.mapping(file: file)
            return
        }
        do {
            _ = try plan.mapping(file: file)
            Issue.record("the mapping loaded")
        } catch DriveExportError.invalidMappingFile(let f, let l, let reason) {
            #expect(f == file && l == line)
            #expect(reason.en.contains("is the label of the policy's field health.notes"), "\(reason.en)")
            #expect(reason.de.contains("ist die Beschriftung des Feldes health.notes"))
        }
    }

    /// Through the job: nothing is written, the run fails as bad input.
    @Test func theExportIsRefusedBeforeAnythingGoesOut() throws {
        let inst = try ExportHarness.open("relabel-run")
        defer { inst.remove() }
        let file = inst.dir + "/mapping.csv"
        try Data("Spalte;Feld\r\nGesundheitliche Hinweise;contact.phone\r\nTelefon;-\r\n".utf8).write(to: URL(fileURLWithPath: file))
        var options = inst.options(input: ExportHarness.sample)
        options.mappingFile = file
        #expect(throws: DriveExportError.self) { try ExportJob(gate: inst.gate).run(options) }
        for folder in ["Schulamt", "Jugendamt", "Auslaenderbehoerde"] { #expect(ExportHarness.runFolders(inst.drive, folder).isEmpty) }
        #expect(try ExportHarness.disclosures(inst.gate).isEmpty)
    }
}

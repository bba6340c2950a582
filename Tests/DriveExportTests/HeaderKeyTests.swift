import Diagnostics
import Foundation
import Testing
@testable import DriveExport

/// Headings that differ from the policy labels only in what cannot be seen (a no-break space pasted after „Fall-ID“,
/// two spaces inside) or in case („FAMILIENNAME“) used to be refused as unknown columns, the message naming a column
/// that looked exactly like the expected one (`column 2 "Fall-ID "`).
@Suite("Header keys: invisible whitespace and case")
struct HeaderKeyTests {
    static let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date",
                                                        "Einwilligung erteilt am": "consent.granted-on"])

    static func reader(_ header: String) throws -> CSVRecordReader {
        try CSVRecordReader(source: MemoryByteSource(Array((header + "\r\n").utf8)), fileName: "list.csv")
    }

    static func layout(_ header: String, mapping: HeaderMapping = mapping) throws -> RegistrationLayout {
        try RegistrationListReader(csv: reader(header), mapping: mapping, schema: TestSupport.schema, now: TestSupport.now).layout
    }

    @Test("a no-break, zero-width or repeated space in a heading does not make it unknown", arguments: [
        "Fall-ID\u{00A0};Kommune;Geburtsdatum;Einwilligung erteilt am",
        "\u{200B}Fall-ID;Kommune\u{2007};Geburtsdatum\u{FEFF};Einwilligung  erteilt\u{00A0}am",
        "Fall-ID;\u{3000}Kommune;Geburtsdatum ;Einwilligung \t erteilt am",
    ])
    func invisibleWhitespace(header: String) throws {
        #expect(try Self.layout(header).fields == ["case.id", "municipality", "birth.date", "consent.granted-on"])
    }

    @Test("a heading in other case matches its label")
    func caseDifferences() throws {
        #expect(try Self.layout("FALL-ID;kommune;GeburtsDatum").fields == ["case.id", "municipality", "birth.date"])
    }

    @Test("the same heading in two cases is two columns for one field, named both")
    func twoCasesOfOneHeading() throws {
        let error = #expect(throws: DriveExportError.self) { try Self.layout("Fall-ID;Kommune;Geburtsdatum;KOMMUNE") }
        #expect(error == .duplicateColumns(file: "list.csv", duplicates: [
            .init(column: .init(number: 4, name: "KOMMUNE"), first: .init(number: 2, name: "Kommune"), field: "municipality")]))
    }

    @Test("a heading whose case matches two entries with different fields stays unknown")
    func ambiguousCase() throws {
        var mapping = Self.mapping
        mapping.set("Name", to: .field("name.family"))
        mapping.set("NAME", to: .field("name.given"))
        let error = #expect(throws: DriveExportError.self) { try Self.layout("Fall-ID;Kommune;Geburtsdatum;name", mapping: mapping) }
        #expect(error == .unknownColumns(file: "list.csv", columns: [.init(number: 4, name: "name")]))
        #expect(try Self.layout("Fall-ID;Kommune;Geburtsdatum;NAME", mapping: mapping).fields.last == "name.given")
    }

    @Test("a mapping file entry with a no-break space matches the plain heading; its line is named in a duplicate")
    func mappingFileEntries() throws {
        let dir = try TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.map"
        try Data("Spalte;Feld\nFamilienname\u{00A0};name.family\nNachname;name.family\n".utf8).write(to: URL(fileURLWithPath: path))
        let mapping = Self.mapping.merging(try HeaderMapping.load(path: path))
        #expect(try Self.layout("Fall-ID;Kommune;Geburtsdatum;FAMILIENNAME", mapping: mapping).fields.last == "name.family")
        let error = #expect(throws: DriveExportError.self) {
            try Self.layout("Fall-ID;Kommune;Geburtsdatum;Familienname;Nachname", mapping: mapping)
        }
        #expect(error?.message(in: .en).contains("(mapping file \(path):2) and column 5 \"Nachname\" (mapping file \(path):3)") == true)
    }
}

import Diagnostics
import Foundation
import Gate
import Testing
@testable import DriveExport

/// The export as its operator meets it when something goes wrong on the drive, and the encoding message a case
/// manager gets for a list saved by older Excel (review of the unattended export).
@Suite struct ExportOpsReviewTests {

    /// The drive fills up (or a write fails otherwise) while a partner's folder is being published, after its
    /// `disclosure` entries were logged. The failing run must leave that partner's staging folder for the next run,
    /// which publishes it (logged data is delivered, exactly once: docs/export-job.md). Before, the failing run removed
    /// its own staging folder, so the next run found the staged files gone, dropped the run and exported the records
    /// again: a second set of `disclosure` entries, the first for a delivery that never happened.
    @Test("a publish that fails after logging keeps the staging folder; the next run delivers it, logged once")
    func failedPublishAfterLoggingIsDeliveredByTheNextRun() throws {
        let inst = try ExportHarness.open("publish-fails")
        defer { inst.remove() }
        let partnerFolder = inst.drive + "/Auslaenderbehoerde"
        // During pass 2 (the staging folders exist), a folder named manifest.json in the Ausländerbehörde's staging
        // folder makes writing its manifest fail, after its entries were logged, as a full drive would.
        let options = inst.options(input: ExportHarness.sample)
        #expect(throws: (any Error).self) {
            try ExportJob(gate: inst.gate).run(options, progress: { p in
                guard p.pass == 2 else { return }
                for name in (try? FileManager.default.contentsOfDirectory(atPath: partnerFolder)) ?? [] where name.contains(".partial-") {
                    try? FileManager.default.createDirectory(atPath: partnerFolder + "/" + name + "/manifest.json",
                                                             withIntermediateDirectories: false)
                }
            })
        }
        let logged = try ExportHarness.disclosures(inst.gate).filter { $0.partner == "auslaenderbehoerde" }.count
        #expect(logged == 200, "the Ausländerbehörde's entries were logged before publishing failed")
        let left = (try FileManager.default.contentsOfDirectory(atPath: partnerFolder)).filter { $0.contains(".partial-") }
        #expect(left.count == 1, "the logged partner's staging folder stays for the next run: \(left)")

        let next = try inst.run(ExportHarness.sample)
        let abh = next.recoveredRuns.filter { $0.partner == "auslaenderbehoerde" }.map(\.outcome)
        #expect(abh == [.publishedAndCommitted], "\(next.recoveredRuns)")
        #expect(next.partners.first { $0.partner == "auslaenderbehoerde" }?.records == 0, "already delivered: nothing new")
        let folders = ExportHarness.runFolders(inst.drive, "Auslaenderbehoerde")
        #expect(folders.count == 1, "\(folders)")
        if let folder = folders.first { #expect(try ExportHarness.opensslVerifies(partnerFolder + "/" + folder)) }
        let disclosures = try ExportHarness.disclosures(inst.gate).filter { $0.partner == "auslaenderbehoerde" }
        #expect(disclosures.count == 200, "each record logged once, for the one delivery")
    }

    /// A list saved by older German Excel as "CSV (Trennzeichen-getrennt)" (Windows-1252): the message names the file,
    /// line and column where the bytes stop being UTF-8, and the German message carries no English words.
    @Test("a Windows-1252 header names line and column, in German without English words")
    func windows1252HeaderNamesLineAndColumn() throws {
        let bytes: [UInt8] = Array("Fall-ID;Staatsangeh".utf8) + [0xF6] + Array("rigkeit;Kommune\r\nRSK-1;ukrainisch;Much\r\n".utf8)
        let error = #expect(throws: DriveExportError.self) { try CSVRecordReader(source: MemoryByteSource(bytes), fileName: "alt.csv") }
        let de = error?.message(in: .de) ?? "", en = error?.message(in: .en) ?? ""
        #expect(de.hasPrefix("alt.csv:1:") && de.contains("Spalte 2") && de.contains("CSV UTF-8"), "\(de)")
        #expect(!de.contains("not UTF-8"), "\(de)")
        #expect(de.contains("Windows-1252"), "\(de)")
        #expect(en.hasPrefix("alt.csv:1:") && en.contains("column 2") && en.contains("CSV UTF-8"), "\(en)")
        #expect(error?.category == .invalidInput)
    }

    /// The operator's cron job cannot read the list (it belongs to another user, or `--input` names a folder): the
    /// message says why, as the mapping file's does, instead of "missing or unreadable" for all three cases.
    @Test("an input that exists but cannot be read names the cause; a missing one says it is missing")
    func unreadableInputNamesTheCause() throws {
        let inst = try ExportHarness.open("unreadable-input")
        defer { inst.remove() }
        let folder = inst.dir + "/reports"
        let error = #expect(throws: ExportJobError.self) { try inst.run(folder) }
        #expect(error == .inputUnreadable(path: folder, errno: EISDIR))
        #expect(error?.message(in: .de).contains("ist ein Ordner, keine Datei") == true, "\(String(describing: error))")
        #expect(error?.message(in: .en).contains("is a folder, not a file") == true)
        #expect(error?.category == .invalidInput)
        let missing = #expect(throws: ExportJobError.self) { try inst.run(inst.dir + "/nope.csv") }
        #expect(missing == .inputMissing(path: inst.dir + "/nope.csv"))
        #expect(missing?.message(in: .en).contains("does not exist") == true, "\(String(describing: missing))")
        #expect(missing?.message(in: .de).contains("nicht vorhanden") == true, "\(String(describing: missing))")
    }

    /// A list saved by Excel for Mac as "CSV (Macintosh)" ends its lines with CR only. Read as one long header line,
    /// it was refused as "unknown columns" listing every cell of the file (names, birth dates, raw CRs) into the
    /// operator's log. It must be refused as what it is, naming the file and line, without any cell of the list.
    @Test("a list with CR-only line ends (Excel 'CSV (Macintosh)') is refused as such, echoing no data")
    func classicMacLineEnds() throws {
        let text = "Fall-ID;Kommune;Geburtsdatum\rRSK-2022-000001;Much;02.01.1968\rRSK-2022-000002;Much;18.07.1948\r"
        let error = #expect(throws: DriveExportError.self) {
            try CSVRecordReader(source: MemoryByteSource(Array(text.utf8)), fileName: "mac.csv")
        }
        for language in [Language.de, .en] {
            let message = error?.message(in: language) ?? ""
            #expect(message.hasPrefix("mac.csv:1:") && message.contains("CSV (Macintosh)") && message.contains("CSV UTF-8"), "\(message)")
            #expect(!message.contains("RSK-2022") && !message.contains("1968") && !message.unicodeScalars.contains("\r"), "\(message)")
        }
        #expect(error?.category == .invalidInput)
        // CRLF and LF lists, and a quoted header cell holding a CR, are read as before.
        for ok in ["Fall-ID;Kommune\r\nRSK-1;Much\r\n", "Fall-ID;Kommune\nRSK-1;Much\n", "\"Fall-\rID\";Kommune\r\nRSK-1;Much\r\n"] {
            let reader = try CSVRecordReader(source: MemoryByteSource(Array(ok.utf8)), fileName: "ok.csv")
            #expect(reader.header.count == 2, "\(ok.debugDescription)")
        }
    }

    /// A list whose header line was lost (rows copied into a new sheet): its first data row was taken for the header
    /// and refused as "unknown columns" listing every cell of that row (name, birth date, health note) into the
    /// operator's log. When not one cell of the first line is a known header, the message says the header line is
    /// missing, names the headers expected, and echoes no cell.
    @Test("a list without its header line is refused as such, echoing no cell of the first row")
    func missingHeaderLineEchoesNoData() throws {
        let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date",
                                                     "Gesundheitliche Hinweise": "health.notes"])
        let row = ["RSK-2022-000001", "Niederkassel", "02.01.1968", "Sehbehinderung"]
        let error = #expect(throws: DriveExportError.self) {
            try RegistrationLayout(header: row, mapping: mapping, required: ["case.id", "municipality", "birth.date"], file: "l.csv")
        }
        for language in [Language.de, .en] {
            let message = error?.message(in: language) ?? ""
            #expect(message.hasPrefix("l.csv:1:") && (message.contains("„Fall-ID“") || message.contains("\"Fall-ID\"")), "\(message)")
            #expect(!row.contains { message.contains($0) }, "\(message)")
        }
        #expect(error?.message(in: .de).contains("Kopfzeile") == true)
        #expect(error?.message(in: .en).contains("header line") == true)
        #expect(error?.category == .invalidInput)
        // One known header is enough for the usual message, which names the unknown columns to map.
        let partly = #expect(throws: DriveExportError.self) {
            try RegistrationLayout(header: ["Fall-ID", "Wohnort", "Geburtsdatum"], mapping: mapping,
                                   required: ["case.id", "birth.date"], file: "l.csv")
        }
        #expect(partly?.message(in: .en).contains("column 2 \"Wohnort\"") == true, "\(String(describing: partly))")
    }

    /// German Excel often writes a few empty columns after the last one (`…;Erfasst am;;` and `…;19.04.2022;;` in every
    /// row) once a cell to the right was touched. The list was refused as "unknown columns: column 30 “”", which no
    /// mapping file can fix (a second empty header is a duplicate of the first). A column without a heading carries
    /// nothing a field could be read from: it is ignored, as a column mapped to "-" is.
    @Test("columns with an empty header (Excel's trailing ';;') are ignored, not refused")
    func emptyHeaderCellsAreIgnored() throws {
        let mapping = HeaderMapping(fieldsByHeader: ["Fall-ID": "case.id", "Kommune": "municipality", "Geburtsdatum": "birth.date"])
        let layout = try RegistrationLayout(header: ["Fall-ID", "Kommune", "Geburtsdatum", "", ""], mapping: mapping,
                                            required: ["case.id", "municipality", "birth.date"], file: "l.csv")
        #expect(layout.fields == ["case.id", "municipality", "birth.date"])
        let text = "Fall-ID;Kommune;Geburtsdatum;;\r\nRSK-2022-000001;Much;02.01.1968;;\r\n"
        let reader = try RegistrationListReader(csv: CSVRecordReader(source: MemoryByteSource(Array(text.utf8)), fileName: "l.csv"),
                                                mapping: mapping, schema: RegistrationSchema(caseIDField: "case.id",
                                                    birthDateField: "birth.date", municipalityField: "municipality",
                                                    allowedMunicipalities: ["Much"]), now: ExportHarness.now)
        guard case .valid(let record)? = try reader.next() else { Issue.record("the row is valid"); return }
        #expect(record.caseID == "RSK-2022-000001")
        // A named column that maps to nothing is still refused.
        #expect(throws: DriveExportError.self) {
            try RegistrationLayout(header: ["Fall-ID", "Kommune", "Geburtsdatum", "", "Notiz"], mapping: mapping,
                                   required: ["case.id"], file: "l.csv")
        }
    }
}

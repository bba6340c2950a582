import AuditLog
import Diagnostics
import Foundation
import Gate
import Synchronization
import Testing
@testable import DriveExport

/// What the export job checks before it reads the list (docs/export.md §6): the quarantine folder (never on the
/// drive), the locks, the partner folders, the mapping file; and the keys before it writes anything. A run that
/// fails leaves no quarantine report and no pending rows for the next run to report.
@Suite("Export job: checks before the work", .serialized)
struct ExportPreflightTests {
    /// A generated list long enough for pass 1 to report progress (every 2,000 rows), with some broken rows (so a
    /// run that got to pass 2 would write a quarantine report).
    static func longList(in dir: String, rows: Int = 2500) throws -> String {
        try TestSupport.generatedList(at: dir + "/list-\(rows).csv", rows: rows, seed: 21, bad: 10)
    }

    /// The progress passes a run reported.
    final class Passes: Sendable {
        private let seen = Mutex<[Int]>([])
        var callback: @Sendable (ExportProgress) -> Void { { [self] p in seen.withLock { $0.append(p.pass) } } }
        var all: [Int] { seen.withLock { $0 } }
    }

    /// Every file of `dir` whose name starts with `quarantine-` (the report, also its hidden temporary files).
    static func reports(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains("quarantine-") }
    }

    // MARK: - The quarantine report is never written onto the drive (finding 3)

    enum ReportFolder: String, CaseIterable {
        case theDrive, partnerFolder, dotDotPath, symlinkIntoDrive, defaultWithInputOnDrive
    }

    @Test("a quarantine folder on the drive is refused before anything is read or written (exit 3)", arguments: ReportFolder.allCases)
    func reportFolderOnDrive(_ folder: ReportFolder) throws {
        let inst = try ExportHarness.open("qdir-\(folder.rawValue)")
        defer { inst.remove() }
        try FileManager.default.createDirectory(atPath: inst.drive + "/Schulamt", withIntermediateDirectories: true)
        var options = inst.options(input: ExportHarness.messy)
        switch folder {
        case .theDrive: options.quarantineDirectory = inst.drive
        case .partnerFolder: options.quarantineDirectory = inst.drive + "/Schulamt"
        case .dotDotPath: options.quarantineDirectory = inst.dir + "/reports/../drive/Schulamt/."
        case .symlinkIntoDrive:
            try FileManager.default.createSymbolicLink(atPath: inst.dir + "/looks-safe", withDestinationPath: inst.drive + "/Schulamt")
            options.quarantineDirectory = inst.dir + "/looks-safe"
        case .defaultWithInputOnDrive:
            try FileManager.default.copyItem(atPath: ExportHarness.messy, toPath: inst.drive + "/list.csv")
            options.input = inst.drive + "/list.csv"
            options.quarantineDirectory = nil
        }
        let passes = Passes()
        let error = #expect(throws: ExportJobError.self) { try ExportJob(gate: inst.gate).run(options, progress: passes.callback) }
        guard case .quarantineDirectoryOnDrive(_, _, let defaulted)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(defaulted == (folder == .defaultWithInputOnDrive))
        #expect(error?.category.exitCode == 3)
        #expect(error?.message(in: .de).contains("Partnerlaufwerk") == true && error?.message(in: .en).contains("partner drive") == true)
        if defaulted {
            #expect(error?.message(in: .de).contains("--quarantine-dir") == true && error?.message(in: .en).contains("--quarantine-dir") == true)
        }
        #expect(passes.all.isEmpty, "nothing was read")
        #expect(Self.reports(inst.drive).isEmpty && Self.reports(inst.drive + "/Schulamt").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: inst.drive + "/" + DriveRunLock.fileName), "checked before the locks")
        // The dry run refuses it too: it says what the real run would do.
        options.dryRun = true
        #expect(throws: ExportJobError.self) { try ExportJob(gate: inst.gate).run(options) }
    }

    // MARK: - Everything else that can be checked before pass 1 (findings 4 and 7)

    enum Problem: String, CaseIterable {
        case quarantineFolderMissing, partnerFolderIsSymlink, partnerFolderIsFile, driveLocked
    }

    @Test("lock, quarantine folder and partner folders are checked before pass 1 reads a row", arguments: Problem.allCases)
    func checkedBeforePassOne(_ problem: Problem) throws {
        let inst = try ExportHarness.open("early-\(problem.rawValue)")
        defer { inst.remove() }
        let list = try Self.longList(in: inst.dir)
        var options = inst.options(input: list)
        var held: DriveRunLock? = nil
        switch problem {
        case .quarantineFolderMissing: options.quarantineDirectory = inst.dir + "/no-such-folder"
        case .partnerFolderIsSymlink:
            try FileManager.default.createDirectory(atPath: inst.dir + "/elsewhere", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: inst.drive + "/Jugendamt", withDestinationPath: inst.dir + "/elsewhere")
        case .partnerFolderIsFile: try Data("x".utf8).write(to: URL(fileURLWithPath: inst.drive + "/Schulamt"))
        case .driveLocked: held = try DriveRunLock(drive: inst.drive)
        }
        let passes = Passes()
        #expect(throws: (any Error).self) { try ExportJob(gate: inst.gate).run(options, progress: passes.callback) }
        #expect(passes.all.isEmpty, "stopped before pass 1: \(passes.all)")
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty)
        #expect(Self.reports(inst.dir + "/reports").isEmpty)
        _ = consume held
    }

    @Test("the error for each early problem: category and German and English text", arguments: [
        (ExportJobError.quarantineDirectoryMissing(path: "/r"), Int32(3), "Ordner für den Quarantänebericht /r fehlt", "quarantine report folder /r is missing"),
        (ExportJobError.quarantineDirectoryNotWritable(path: "/r", errno: EACCES), Int32(5), "keine Berechtigung (errno 13)", "permission denied (errno 13)"),
        (ExportJobError.quarantineDirectoryOnDrive(path: "/d/x", drive: "/d", defaulted: false), Int32(3), "liegt auf dem Partnerlaufwerk /d", "is on the partner drive /d"),
    ])
    func earlyErrorTexts(error: ExportJobError, exit: Int32, de: String, en: String) {
        #expect(error.category.exitCode == exit)
        #expect(error.message(in: .de).contains(de), "\(error.message(in: .de))")
        #expect(error.message(in: .en).contains(en), "\(error.message(in: .en))")
    }

    @Test("a damaged export-signer key stops the run before pass 2: no report, no pending rows, nothing to recover next time")
    func damagedSigningKey() throws {
        let inst = try ExportHarness.open("badkey")
        defer { inst.remove() }
        let keys = inst.dir + "/keys"
        try FileManager.default.copyItem(atPath: ExportHarness.root.appendingPathComponent("keys").path, toPath: keys)
        let keyFile = keys + "/demo/export-signer.key.pem"
        try Data(try Data(contentsOf: URL(fileURLWithPath: keyFile)).prefix(200)).write(to: URL(fileURLWithPath: keyFile))
        let broken = try Gate.open(GateConfiguration(databasePath: inst.gate.database.path, policyDirectory: ExportHarness.shippedPolicy,
                                                     trustFile: keys + "/trust.yaml", demoMode: true))
        let list = try Self.longList(in: inst.dir)
        let auditBefore = try inst.gate.auditLog.size()
        let passes = Passes()
        #expect(throws: (any Error).self) { try ExportJob(gate: broken).run(inst.options(input: list), progress: passes.callback) }
        #expect(!passes.all.contains(2), "pass 2 never started")
        #expect(Self.reports(inst.dir + "/reports").isEmpty, "no quarantine report of a run that delivered nothing")
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty)
        #expect(ExportHarness.allEntries(inst.drive).isEmpty)
        #expect(try inst.gate.auditLog.size() == auditBefore)
        let next = try inst.run(list)
        #expect(next.recoveredRuns.isEmpty, "nothing to recover: \(next.recovered)")
        #expect(next.partners.allSatisfy { $0.path != nil })
    }

    @Test("a run that fails in pass 2 drops its own pending rows and its report; the next run has nothing to recover")
    func failedRunCleansUp() throws {
        let inst = try ExportHarness.open("changed")
        defer { inst.remove() }
        let list = try Self.longList(in: inst.dir)
        // Saved again while pass 1 reads it (one letter of the first row, which pass 1 has read by row 2,000).
        let passes = Passes()
        let progress: @Sendable (ExportProgress) -> Void = { p in
            passes.callback(p)
            guard p.pass == 1, passes.all == [1] else { return }
            guard let h = FileHandle(forUpdatingAtPath: list) else { return }
            let head = h.readData(ofLength: 4096)
            if let lf = head.firstIndex(of: 0x0A), let i = head[(lf + 1)...].firstIndex(of: UInt8(ascii: "R")) {
                h.seek(toFileOffset: UInt64(i))
                h.write(Data("Q".utf8))
            }
            try? h.close()
        }
        let error = #expect(throws: ExportJobError.self) { try ExportJob(gate: inst.gate).run(inst.options(input: list), progress: progress) }
        #expect(error == .inputChanged(path: list))
        #expect(passes.all.contains(2), "the run got to pass 2 (and staged rows) before it found the change")
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty, "the failed run dropped its own pending rows")
        #expect(Self.reports(inst.dir + "/reports").isEmpty)
        #expect(ExportHarness.allEntries(inst.drive).isEmpty)
        let next = try inst.run(list)
        #expect(next.recoveredRuns.isEmpty, "\(next.recovered)")
    }

    // MARK: - Dry run (finding 10)

    @Test("a dry run reports a missing drive as the real run would (exit 5), and writes nothing")
    func dryRunMissingDrive() throws {
        let inst = try ExportHarness.open("dry-nodrive")
        defer { inst.remove() }
        var options = inst.options(input: ExportHarness.sample, dryRun: true)
        options.drive = inst.dir + "/not-mounted"
        let error = #expect(throws: ExportJobError.self) { try ExportJob(gate: inst.gate).run(options) }
        #expect(error == .driveMissing(path: options.drive))
        #expect(error?.category.exitCode == 5)
        #expect(!FileManager.default.fileExists(atPath: inst.gate.database.path + DatabaseRunLock.suffix))
    }

    // MARK: - Mapping file (findings 6 and 8)

    @Test("a mapping file that is missing or not a file is invalid input (exit 3), in German without English system text",
          arguments: ["missing.map", "a-folder"])
    func mappingFileUnreadable(name: String) throws {
        let inst = try ExportHarness.open("map-missing")
        defer { inst.remove() }
        try FileManager.default.createDirectory(atPath: inst.dir + "/a-folder", withIntermediateDirectories: true)
        var options = inst.options(input: ExportHarness.sample)
        options.mappingFile = inst.dir + "/" + name
        let error = #expect(throws: DriveExportError.self) { try ExportJob(gate: inst.gate).run(options) }
        guard case .mappingFileUnreadable(let file, let e)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == options.mappingFile && error?.category.exitCode == 3)
        let de = error?.message(in: .de) ?? ""
        #expect(de.hasPrefix("Zuordnungsdatei \(file) fehlt oder ist nicht lesbar: ") && de.contains("(errno \(e))"), "\(de)")
        #expect(!de.contains(String(cString: strerror(e))), "no English system text in German: \(de)")
        #expect(error?.message(in: .en).hasPrefix("mapping file \(file) is missing or unreadable: ") == true)
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty && ExportHarness.allEntries(inst.drive).isEmpty)
    }

    @Test("a mapping file that is a device, a pipe or larger than any mapping is refused before it is read (exit 3)",
          arguments: ["/dev/zero", "fifo", "big.map"])
    func mappingFileRefused(name: String) throws {
        let inst = try ExportHarness.open("map-refused")
        defer { inst.remove() }
        let path = name.hasPrefix("/") ? name : inst.dir + "/" + name
        if name == "fifo" { #expect(mkfifo(path, 0o600) == 0) }   // no writer: opening it would block for good
        if name == "big.map" {
            #expect(FileManager.default.createFile(atPath: path, contents: Data(("Spalte;Feld\n" + String(repeating: "x;-\n", count: HeaderMapping.maxFileBytes / 4)).utf8)))
        }
        var options = inst.options(input: ExportHarness.sample)
        options.mappingFile = path
        let error = #expect(throws: DriveExportError.self) { try ExportJob(gate: inst.gate).run(options) }
        guard case .mappingFileRefused(let file, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(file == path && error?.category.exitCode == 3)
        let expected = name == "big.map" ? ("größer als 1048576 Bytes", "larger than 1048576 bytes") : ("keine gewöhnliche Datei", "not a regular file")
        #expect(reason.de.hasPrefix(expected.0) && reason.en.hasPrefix(expected.1), "\(reason)")
        #expect(error?.message(in: .de).hasPrefix("Zuordnungsdatei \(path) nicht verwendbar: ") == true)
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty && ExportHarness.allEntries(inst.drive).isEmpty)
    }

    @Test("a mapping file naming a field the policy lacks is an error at its line", arguments: [
        ("Spalte;Feld\nTelefon;contact.phon\n", "contact.phon"), ("Spalte;Feld\nPLZ;address.postcode\nBerufsabschluss;qualification.degre\n", "qualification.degre"),
    ])
    func mappingUnknownField(text: String, field: String) throws {
        let inst = try ExportHarness.open("map-field")
        defer { inst.remove() }
        let path = inst.dir + "/m.map"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var options = inst.options(input: ExportHarness.sample)
        options.mappingFile = path
        let error = #expect(throws: DriveExportError.self) { try ExportJob(gate: inst.gate).run(options) }
        let line = text.split(separator: "\n").firstIndex { $0.hasSuffix(field) }! + 1
        guard case .invalidMappingFile(let f, let l, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(f == path && l == line)
        #expect(error?.message(in: .en) == "\(path):\(line): invalid mapping file: \"\(field)\" is not a field of policy kim-rhein-sieg")
        #expect(error?.message(in: .de) == "\(path):\(line): Zuordnungsdatei ungültig: „\(field)“ ist kein Feld der Richtlinie kim-rhein-sieg")
        #expect(error?.category.exitCode == 3)
    }

    @Test("duplicate columns name both columns, and the mapping file line that made them one field")
    func duplicateColumnsNameBoth() throws {
        let inst = try ExportHarness.open("dup")
        defer { inst.remove() }
        // A list with a column "Rufname" that the mapping file gives to name.given, which "Vorname" already holds. (A
        // mapping may not give a column headed with a field's own label to another field: `MappingRelabelTests`.)
        let text = try String(contentsOfFile: ExportHarness.sample, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n")
        let withCallName = inst.dir + "/rufname.csv"
        try (lines.enumerated().map { i, l in l.isEmpty ? l : l + (i == 0 ? ";Rufname" : ";x") }.joined(separator: "\r\n"))
            .write(toFile: withCallName, atomically: true, encoding: .utf8)
        let map = inst.dir + "/m1.map"
        try Data("Spalte;Feld\nRufname;name.given\n".utf8).write(to: URL(fileURLWithPath: map))
        var options = inst.options(input: withCallName)
        options.mappingFile = map
        let mapped = #expect(throws: DriveExportError.self) { try ExportJob(gate: inst.gate).run(options) }
        #expect(mapped == .duplicateColumns(file: withCallName, duplicates: [.init(
            column: .init(number: 30, name: "Rufname"), first: .init(number: 5, name: "Vorname"), field: "name.given",
            columnMappedAt: map + ":2", firstMappedAt: nil)]))
        #expect(mapped?.message(in: .en).contains("column 5 \"Vorname\" (the policy's field label) and column 30 \"Rufname\" (mapping file \(map):2) both map to the field name.given") == true)
        #expect(mapped?.message(in: .de).contains("Spalte 5 „Vorname“ (Feldbezeichnung der Richtlinie) und Spalte 30 „Rufname“ (Zuordnungsdatei \(map):2) ergeben beide das Feld name.given") == true)

        // The same header twice in the list: both columns named.
        let twice = inst.dir + "/twice.csv"
        try (lines.enumerated().map { i, l in l.isEmpty ? l : l + (i == 0 ? ";Familienname" : ";x") }.joined(separator: "\r\n"))
            .write(toFile: twice, atomically: true, encoding: .utf8)
        let repeated = #expect(throws: DriveExportError.self) { try ExportJob(gate: inst.gate).run(inst.options(input: twice)) }
        #expect(repeated == .duplicateColumns(file: twice, duplicates: [.init(column: .init(number: 30, name: "Familienname"),
                                                                              first: .init(number: 4, name: "Familienname"))]))
        #expect(repeated?.message(in: .en).contains("column 30 \"Familienname\" repeats column 4 \"Familienname\"") == true)
        #expect(repeated?.message(in: .de).contains("Spalte 30 „Familienname“ wiederholt Spalte 4 „Familienname“") == true)
    }

    // MARK: - System error texts (finding 6)

    @Test("common errno values read in German without English system text, and in English", arguments: [
        ENOENT, EACCES, ENOSPC, EROFS, EISDIR, ENOTDIR, EPERM, EEXIST, ELOOP, EIO, EDQUOT,
    ])
    func errnoTexts(e: Int32) {
        let text = SystemErrorText.text(errno: e)
        #expect(text.de != text.en && text.de != "Systemfehler")
        let io = DriveExportError.io(path: "/x/y.csv", operation: "open", errno: e)
        #expect(io.message(in: .de) == "/x/y.csv: Öffnen fehlgeschlagen: \(text.de) (errno \(e)).")
        #expect(!io.message(in: .de).contains(String(cString: strerror(e))))
        #expect(io.message(in: .en) == "/x/y.csv: open failed: \(text.en) (errno \(e)).")
    }

    @Test("every operation the export names in an I/O error has a German name")
    func operationTexts() throws {
        let sources = ExportHarness.root.appendingPathComponent("Sources/DriveExport").path
        var operations: Set<String> = []
        for file in FileManager.default.subpaths(atPath: sources) ?? [] where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for part in text.components(separatedBy: "operation: \"").dropFirst() { operations.insert(String(part.prefix { $0 != "\"" })) }
        }
        #expect(operations.count >= 10)
        for op in operations { #expect(!SystemErrorText.operation(op).de.hasPrefix("Vorgang"), "\(op)") }
    }

    // MARK: - Recovery lines (finding 9)

    @Test("recovery lines are German in German", arguments: RecoveredRun.Outcome.allCases)
    func recoveryTexts(_ outcome: RecoveredRun.Outcome) {
        let run = RecoveredRun(runID: "20261125T100000Z-0badc0de", partner: "schulamt", outcome: outcome)
        let de = run.line(in: .de)
        #expect(de.hasPrefix("20261125T100000Z-0badc0de/schulamt: "))
        for english in ["dropped", "logged", "committed", "staging", "exported", "published", "again", "appended"] {
            #expect(!de.contains(english), "\(de)")
        }
        #expect(run.line(in: .en) == "20261125T100000Z-0badc0de/schulamt: " + outcome.text.en)
    }

    @Test("an interrupted run's pending rows are dropped by the next run, reported in German and English")
    func recoveryInSummary() throws {
        let inst = try ExportHarness.open("recovery-de")
        defer { inst.remove() }
        try inst.gate.exportLedger.beginPending(runID: "20261125T090000Z-0badc0de", partner: "schulamt")
        let summary = try inst.run(ExportHarness.sample)
        #expect(summary.recoveredRuns == [RecoveredRun(runID: "20261125T090000Z-0badc0de", partner: "schulamt", outcome: .dropped)])
        #expect(summary.recoveredLines(in: .de) == ["20261125T090000Z-0badc0de/schulamt: verworfen (nicht protokolliert; wird erneut exportiert)"])
        #expect(summary.recovered == ["20261125T090000Z-0badc0de/schulamt: dropped (not logged; exported again)"])
    }
}

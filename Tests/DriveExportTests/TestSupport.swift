import Foundation
import Testing
@testable import DriveExport

/// Paths and helpers shared by the DriveExport tests.
enum TestSupport {
    static var fixtures: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The package root (from this file's path), and the shared folder next to the worktree.
    static var packageRoot: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
    static var shared: URL { packageRoot.appendingPathComponent("../shared").standardizedFileURL }
    static var generator: String { shared.appendingPathComponent("tools/gen_registrations.py").path }

    /// Writes a generated registration list (`gen_registrations.py --rows --seed [--bad]`) to `path`, streamed
    /// to the file (lists of tens of thousands of rows), and returns `path`.
    static func generatedList(at path: String, rows: Int, seed: Int, bad: Int = 0) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", generator, "--rows", "\(rows)", "--seed", "\(seed)"] + (bad > 0 ? ["--bad", "\(bad)"] : [])
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    /// A fresh temporary directory (removed by the caller's `defer`).
    static func tempDir(_ label: String = "drive-export") throws -> String {
        let path = NSTemporaryDirectory() + "/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs an executable and returns exit status, stdout and stderr.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, out: Data, err: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, o, e)
    }

    /// The schema for the generator's columns (see Fixtures/mapping-rhein-sieg.csv).
    static let schema = RegistrationSchema(
        caseIDField: "case.id", birthDateField: "birth.date", municipalityField: "municipality",
        allowedMunicipalities: RegistrationSchema.rheinSiegKreisMunicipalities,
        dateFields: ["residence.entry-date", "consent.granted-on", "intake.date"],
        postcodeFields: ["address.postcode"])

    static func mapping() throws -> HeaderMapping { try HeaderMapping.load(path: fixture("mapping-rhein-sieg.csv")) }

    /// The date the generated lists are checked against (after their 2022 dates, before 2031).
    static let now = ISO8601DateFormatter().date(from: "2026-11-25T10:00:00Z")!

    /// All records of a file read with the CSV reader.
    static func readAll(_ reader: CSVRecordReader) throws -> [CSVRawRecord] {
        var out: [CSVRawRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    /// All rows of a registration list.
    static func readRows(path: String, options: CSVReaderOptions = CSVReaderOptions()) throws -> [RegistrationRow] {
        let reader = try RegistrationListReader(path: path, mapping: mapping(), schema: schema, now: now, options: options)
        var rows: [RegistrationRow] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }
}

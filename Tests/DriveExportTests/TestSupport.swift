import ChildProcess
import Foundation
import PolicyEngine
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
        let result = try Spawn.run("/usr/bin/env", ["python3", generator, "--rows", "\(rows)", "--seed", "\(seed)"] + (bad > 0 ? ["--bad", "\(bad)"] : []),
                                   stdout: .file(path), stderr: .null)
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
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
        let result = try Spawn.run(executable, arguments, stdin: stdin.map { .data($0) } ?? .null)
        return (result.status, result.stdout, result.stderr)
    }

    /// The municipalities of the shipped policy bundle (`municipalities` in its `policy.yaml`).
    static let shippedMunicipalities: Set<String> = {
        let bundle = try! CompiledPolicy.load(directory: packageRoot.appendingPathComponent("policies/kim-rhein-sieg")).bundle
        return bundle.countyMunicipalities.names
    }()

    /// The schema for the generator's columns (see Fixtures/mapping-rhein-sieg.csv).
    static let schema = RegistrationSchema(
        caseIDField: "case.id", birthDateField: "birth.date", municipalityField: "municipality",
        allowedMunicipalities: shippedMunicipalities,
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

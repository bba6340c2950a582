import AuditLog
import ChildProcess
import ConsentRecords
import Foundation
import Gate
import PolicyEngine
import Signing
import TestFolders
import Testing
@testable import DriveExport

/// The export job's test harness (no tests of its own): a real installation (SQLite file, shipped policy,
/// demo keys) in a temporary folder, consents granted from the list's "Einwilligung" columns, and readers
/// for what the job wrote.
enum ExportHarness {
    static var root: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
    static var shared: URL { root.appendingPathComponent("../shared").standardizedFileURL }
    static var sample: String { shared.appendingPathComponent("data/registrations-sample.csv").path }
    static var messy: String { shared.appendingPathComponent("data/registrations-messy.csv").path }
    static var shippedPolicy: String { root.appendingPathComponent("policies/kim-rhein-sieg").path }
    static var exportSignerPublicKey: String { root.appendingPathComponent("keys/demo/export-signer.pub.pem").path }
    /// The run time of every test (after the lists' 2022 dates).
    static let now = RFC3339.parse("2026-11-25T10:00:00Z")!

    /// A fresh folder with `drive/` and a database; the installation opened in demo mode. The folder is removed when
    /// the last installation opened on it is released (after the test, also when it failed or threw), or earlier by
    /// `remove()`.
    struct Installation {
        let folder: TemporaryDirectory
        var dir: String { folder.path }
        let gate: Gate
        var drive: String { dir + "/drive" }
        func options(input: String, full: Bool = false, dryRun: Bool = false, now: Date = ExportHarness.now) -> ExportOptions {
            ExportOptions(input: input, drive: drive, full: full, dryRun: dryRun, quarantineDirectory: dir + "/reports",
                          now: now, actor: "test-export")
        }
        func run(_ input: String, full: Bool = false, dryRun: Bool = false, now: Date = ExportHarness.now) throws -> ExportSummary {
            try ExportJob(gate: gate).run(options(input: input, full: full, dryRun: dryRun, now: now))
        }
        func remove() { try? FileManager.default.removeItem(at: folder.url) }
    }

    /// A fresh folder `export-job-<label>-<UUID>` with `drive/` and `reports/`, removed when the test lets go of it.
    static func tempDir(_ label: String) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory("export-job-\(label)")
        _ = try folder.folder("drive")
        _ = try folder.folder("reports")
        return folder
    }

    static func open(_ label: String, policy: String? = nil) throws -> Installation {
        try open(dir: try tempDir(label), policy: policy)
    }

    /// The installation in `folder` (another one on the same folder shares its database; the folder stays until both
    /// are released).
    static func open(dir folder: TemporaryDirectory, policy: String? = nil) throws -> Installation {
        let gate = try Gate.open(GateConfiguration(databasePath: folder.path + "/consentgate.sqlite", policyDirectory: policy ?? shippedPolicy,
                                                   trustFile: root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        return Installation(folder: folder, gate: gate)
    }

    /// A copy of the shipped policy whose Ausländerbehörde profile also exports `contact.phone` (a column the
    /// `abh-kontakt` consent clause releases), so a consent-based export and its withdrawal can be tested.
    static func policyWithConsentColumn(in dir: String) throws -> String {
        let target = dir + "/policy"
        try FileManager.default.copyItem(atPath: shippedPolicy, toPath: target)
        let exports = target + "/exports.yaml"
        var text = try String(contentsOfFile: exports, encoding: .utf8)
        let before = "address.street, address.postcode, address.city, residence.status]"
        #expect(text.contains(before))
        text = text.replacingOccurrences(of: before, with: "address.street, address.postcode, address.city, residence.status, contact.phone]")
        try text.write(toFile: exports, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: target + "/tests")
        return target
    }

    /// The list's rows as header → cell dictionaries (read with the project's CSV reader; unreadable rows skipped).
    static func rows(_ path: String) throws -> [[String: String]] {
        let reader = try CSVRecordReader(path: path)
        var out: [[String: String]] = []
        while let r = try reader.next() {
            guard r.problems.isEmpty && r.cells.count == reader.header.count else { continue }
            out.append(Dictionary(zip(reader.header, r.cells), uniquingKeysWith: { a, _ in a }))
        }
        return out
    }

    /// Grants, for every row carrying clauses, the `kim-beratung` consent with those clauses at the stated
    /// day (a guardian signs for anyone under 16 then). Rows whose consent the store refuses are skipped and counted.
    @discardableResult
    static func grantListConsents(_ gate: Gate, list: String) throws -> (granted: Int, refused: Int) {
        var granted = 0, refused = 0
        var seen: Set<String> = []
        for row in try rows(list) {
            guard let clauses = row["Einwilligung Klauseln"], !clauses.isEmpty, let day = row["Einwilligung erteilt am"],
                  let granted_ = CivilDate(parsing: day), let id = row["Fall-ID"], seen.insert(id).inserted,
                  let birth = row["Geburtsdatum"].flatMap(CivilDate.init(parsing:)) else { continue }
            let grantedAt = Date(timeIntervalSince1970: Double(UTCDay.days(year: granted_.year, month: granted_.month, day: granted_.day)) * 86_400 + 36_000)
            let birthDate = Date(timeIntervalSince1970: Double(UTCDay.days(year: birth.year, month: birth.month, day: birth.day)) * 86_400)
            let minor = birth.years(until: granted_) < 16
            let request = GrantRequest(
                subject: Subject(id: id, birthDate: birthDate, municipality: row["Kommune"]), templateID: "kim-beratung",
                language: "de", clauses: clauses.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                grantedAt: grantedAt, collectedBy: CaseManagerReference(caseManager: "cm.test", municipality: row["Kommune"] ?? "Siegburg"),
                guardians: minor ? [Guardian(name: "Sorgeberechtigte Person", relation: "Elternteil")] : [])
            do { _ = try gate.grantConsent(request, actor: Actor(id: "test"), now: now); granted += 1 } catch { refused += 1 }
        }
        return (granted, refused)
    }

    /// The run folders (not hidden) of a partner folder.
    static func runFolders(_ drive: String, _ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: drive + "/" + folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every entry (hidden ones included) of every partner folder.
    static func allEntries(_ drive: String) -> [String] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: drive)) ?? []).filter { !$0.hasPrefix(".") }.flatMap { p in
            ((try? fm.contentsOfDirectory(atPath: drive + "/" + p)) ?? []).map { p + "/" + $0 }
        }.sorted()
    }

    /// A partner CSV read back: header and rows with the neutralising apostrophe removed.
    static func readPartnerCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "BOM")
        let reader = try CSVRecordReader(path: path)
        var rows: [[String]] = []
        while let r = try reader.next() {
            #expect(r.problems.isEmpty, "row \(r.line) of \(path) parses")
            rows.append(r.cells.map(SpreadsheetCell.unneutralized))
        }
        return (reader.header, rows)
    }

    /// Runs `openssl pkeyutl -verify` on a run folder's manifest; true when it prints "Signature Verified Successfully".
    static func opensslVerifies(_ folder: String) throws -> Bool {
        let result = try Spawn.run("/usr/bin/env", ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", exportSignerPublicKey, "-rawin",
                                                    "-in", folder + "/manifest.json", "-sigfile", folder + "/manifest.sig"],
                                   stderr: .standardOutput)
        return result.status == 0 && result.stdoutText.contains("Signature Verified Successfully")
    }

    static func manifest(_ folder: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))) as! [String: Any]
    }

    /// The `disclosure` entries of the audit log.
    static func disclosures(_ gate: Gate) throws -> [DisclosureRecord] {
        try gate.auditLog.entries(matching: AuditQuery(kinds: [.disclosure])).compactMap {
            if case .disclosure(let d) = $0.entry.content { return d } else { return nil }
        }
    }

    /// Age in whole years on the run's day, from a `TT.MM.JJJJ` cell.
    static func age(_ cell: String?) -> Int? {
        cell.flatMap(CivilDate.init(parsing:)).map { $0.years(until: CivilDate(berlinDateOf: now)) }
    }
}

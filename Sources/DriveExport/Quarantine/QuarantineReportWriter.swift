import Diagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Signing
import StrictJSON

/// The quarantine report for the case manager, written as a stream (memory stays flat however many rows
/// are broken) into two files:
///
/// - `<name>.csv`, German Excel CSV (BOM, `;`, CRLF, neutralised cells) with one line per reason:
///   `Zeile;Fall-ID;Spalte;Spaltenname;Code;Grund;Reason`;
/// - `<name>.json`: `{"quarantine-version": 1, "input": "<file name>", "entries": [{"line": 4,
///   "case-id": "RSK-…", "reasons": [{"code": "invalid-date", "column": 8, "column-name": "Geburtsdatum",
///   "de": "…", "en": "…"}]}], "count": 1}`.
///
/// Both are written under temporary names and renamed on `finish()`, so a report is complete or absent.
/// It holds no cell values other than the case id.
public final class QuarantineReportWriter {
    /// The CSV report's header (German, as case managers read it).
    public static let csvHeader = ["Zeile", "Fall-ID", "Spalte", "Spaltenname", "Code", "Grund", "Reason"]
    /// Where the CSV report appears on `finish()`.
    public let csvPath: String
    /// Where the JSON report appears on `finish()`.
    public let jsonPath: String
    private let csvTemp: String
    private let jsonTemp: String
    private let csv: ExcelCSVWriter
    private var jsonFD: Int32
    private var pending: [UInt8] = []
    /// Entries added so far.
    public private(set) var entryCount = 0

    /// Starts `<directory>/<baseName>.csv` and `.json`. `inputName` is recorded in the JSON report.
    ///
    /// The JSON file's temporary name is created first and holds an exclusive `flock(2)` until the report is finished
    /// or discarded: the kernel drops it when the process dies (SIGKILL, SIGTERM, power), which is how
    /// `removeStale(in:)` tells the temporary files of a killed run from those of a report still being written.
    public init(directory: String, baseName: String, inputName: String) throws {
        try SafeName.validate(baseName, kind: "report")
        let random = Hex.encode((try? SecureRandom.bytes(4)) ?? [0, 0, 0, 0])
        csvPath = directory + "/" + baseName + ".csv"
        jsonPath = directory + "/" + baseName + ".json"
        csvTemp = directory + "/." + baseName + ".csv" + Self.tempMarker + random
        jsonTemp = directory + "/." + baseName + ".json" + Self.tempMarker + random
        let fd = open(jsonTemp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw DriveExportError.io(path: jsonTemp, operation: "create", errno: errno) }
        _ = flock(fd, LOCK_EX | LOCK_NB)   // a new file: no one else can hold it
        do {
            csv = try ExcelCSVWriter(path: csvTemp, header: Self.csvHeader)
        } catch {
            close(fd)
            unlink(jsonTemp)
            throw error
        }
        jsonFD = fd
        pending.append(contentsOf: "{\n  \"quarantine-version\": 1,\n  \"input\": ".utf8)
        JSONStringEscaping.append(inputName, to: &pending)
        pending.append(contentsOf: ",\n  \"entries\": [".utf8)
    }

    /// What the temporary files' names carry between the report's name and their random suffix.
    static let tempMarker = ".tmp-"

    /// Adds one quarantined row.
    public func add(_ entry: QuarantineEntry) throws {
        for reason in entry.reasons {
            let text = reason.text
            try csv.write([String(entry.line), entry.caseID ?? "", reason.columnNumber.map(String.init) ?? "",
                           reason.columnName ?? "", reason.code.rawValue, text.de, text.en])
        }
        var o: [String: JSONValue] = ["line": .int(Int64(entry.line))]
        o["case-id"] = entry.caseID.map(JSONValue.string) ?? .null
        o["reasons"] = .array(entry.reasons.map { r in
            var m: [String: JSONValue] = ["code": .string(r.code.rawValue), "de": .string(r.text.de), "en": .string(r.text.en)]
            if let c = r.columnNumber { m["column"] = .int(Int64(c)) }
            if let n = r.columnName { m["column-name"] = .string(n) }
            return .object(m)
        })
        if entryCount > 0 { pending.append(UInt8(ascii: ",")) }
        pending.append(contentsOf: "\n    ".utf8)
        CanonicalJSON.writeIndented(.object(o), level: 2, into: &pending)
        entryCount += 1
        if pending.count > 1 << 16 { try flushJSON() }
    }

    private func flushJSON() throws {
        try pending.withUnsafeBytes { try FileIO.writeAll(jsonFD, $0, path: jsonTemp) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Removes the report: its temporary files, or both files once finished. For a run that fails before it
    /// delivers anything (the next run reports the same rows again).
    public func discard() {
        if jsonFD >= 0 {
            close(jsonFD)
            jsonFD = -1
            unlink(jsonTemp)
            unlink(csvTemp)
        } else {
            unlink(csvPath)
            unlink(jsonPath)
        }
    }

    /// Completes both files, fsyncs them, and renames them into place (replacing an older report). When that fails,
    /// the temporary files are removed (the error says why; a report is complete or absent).
    public func finish() throws {
        var csvInPlace = false
        do {
            pending.append(contentsOf: (entryCount > 0 ? "\n  ],\n" : "],\n").utf8)
            pending.append(contentsOf: "  \"count\": \(entryCount)\n}\n".utf8)
            try flushJSON()
            guard fsync(jsonFD) == 0 else { throw DriveExportError.io(path: jsonTemp, operation: "fsync", errno: errno) }
            _ = try csv.finish()
            guard rename(csvTemp, csvPath) == 0 else { throw DriveExportError.io(path: csvPath, operation: "rename", errno: errno) }
            csvInPlace = true
            guard rename(jsonTemp, jsonPath) == 0 else { throw DriveExportError.io(path: jsonPath, operation: "rename", errno: errno) }
        } catch {
            discard()
            if csvInPlace { unlink(csvPath) }
            throw error
        }
        // Closed (and its lock dropped) only once both are in place, so no other run takes them for a killed run's.
        close(jsonFD)
        jsonFD = -1
        let dir = csvPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try FileIO.fsyncDirectory(dir.isEmpty ? "." : dir)
    }
}

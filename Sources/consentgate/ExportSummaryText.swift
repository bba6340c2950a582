import Diagnostics
import DriveExport
import Foundation

/// The end-of-run summary of `consentgate export`: a table in German or English, or JSON.
enum ExportSummaryText {
    /// The table; `fieldLabel` names a field as the partners' spreadsheet heads it (the dry run's column lists say
    /// `Familienname (name.family)`, so the operator reads what the partner will see).
    static func table(_ s: ExportSummary, language: Language, fieldLabel: (String) -> String? = { _ in nil }) -> String {
        let de = language == .de
        var out = ""
        if s.dryRun { out += de ? "Probelauf: nichts geschrieben.\n" : "Dry run: nothing written.\n" }
        for line in s.recoveredLines(in: language) { out += (de ? "Abgebrochener Lauf nachgeholt: " : "Interrupted run handled: ") + line + "\n" }
        out += (de ? "Lauf " : "Run ") + s.runID + "\n"
        out += (de ? "Gelesen:        " : "Read:           ") + "\(s.rowsRead)\n"
        out += (de ? "Quarantäne:     " : "Quarantined:    ") + "\(s.quarantined)"
        if let r = s.quarantineReport { out += " (\(r))" }
        out += "\n"
        let head = de ? ["Partner", "Datensätze", "Löschhinweise", "Ordner"] : ["Partner", "Records", "Erasure notices", "Folder"]
        var rows = [head]
        for p in s.partners {
            rows.append([p.partner, "\(p.records)", "\(p.notices)", p.path ?? s.unpublishedFolderCell(partner: p.partner, in: language)])
        }
        let widths = (0..<head.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for (i, r) in rows.enumerated() {
            out += r.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            if i == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        if let kid = s.signerKid { out += (de ? "Signiert mit Schlüssel " : "Signed with key ") + kid + "\n" }
        if let line = s.emptyListLine(in: language) { out += line + "\n" }
        if let line = s.encodingLine(in: language) { out += line + "\n" }
        for line in s.withdrawalLines(in: language) { out += line + "\n" }
        for line in s.undeliverableLines(in: language) { out += line + "\n" }
        if let line = s.removedReportsLine(in: language) { out += line + "\n" }
        if let line = s.earlierReportsLine(in: language) { out += line + "\n" }
        if s.dryRun {
            for p in s.partners where p.records > 0 {
                let columns = p.columns.map { id in fieldLabel(id).map { "\($0) (\(id))" } ?? id }
                out += (de ? "Spalten für " : "Columns for ") + p.partner + ": " + columns.joined(separator: ", ") + "\n"
            }
        }
        return out
    }

    /// The summary as one line of JSON with sorted keys, ending in a newline (`--json`): run id, dry run, rows read
    /// and quarantined, input SHA-256, recovered runs, and per partner its folder, purpose, records, erasure notices,
    /// columns and published path. Members for what is rare (a quarantine report, undeliverable erasure notices, rows
    /// not in UTF-8, …) appear only when there is something to report.
    static func json(_ s: ExportSummary) -> String {
        let partners: [[String: Any]] = s.partners.map { p in
            var o: [String: Any] = ["partner": p.partner, "folder": p.folder, "purpose": p.purpose, "records": p.records,
                                    "erasure-notices": p.notices, "columns": p.columns]
            if let path = p.path { o["path"] = path }
            return o
        }
        var o: [String: Any] = ["run-id": s.runID, "dry-run": s.dryRun, "read": s.rowsRead, "quarantined": s.quarantined,
                                "partners": partners, "input-sha256": s.inputSHA256, "recovered": s.recovered]
        if let r = s.quarantineReport { o["quarantine-report"] = r }
        if !s.undeliverableNotices.isEmpty { o["undeliverable-erasure-notices"] = s.undeliverableNotices }
        if s.notUTF8Rows > 0 { o["not-utf8-rows"] = s.notUTF8Rows }
        if s.earlierQuarantineReports > 0 { o["earlier-quarantine-reports"] = s.earlierQuarantineReports }
        if s.removedQuarantineReports > 0 { o["removed-quarantine-reports"] = s.removedQuarantineReports }
        if let kid = s.signerKid { o["signer-kid"] = kid }
        if s.withdrawalsDuringRun > 0 { o["withdrawals-during-run"] = s.withdrawalsDuringRun }
        if !s.deferredPartners.isEmpty { o["deferred-partners"] = s.deferredPartners }
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The progress line on a terminal (standard error, rewritten in place).
final class ExportProgressLine: Sendable {
    /// The language of the pass names.
    let language: Language
    /// A progress line in `language`; `export` makes one only when standard error is a terminal and without `--json`.
    init(language: Language) { self.language = language }

    /// Rewrites the line: a 30-character bar of the input's bytes read, the pass (households, export, or the audit
    /// log of one partner) and its count of rows or disclosures.
    func show(_ p: DriveExport.ExportProgress) {
        let percent = p.totalBytes > 0 ? min(100, p.bytesRead * 100 / p.totalBytes) : 0
        let width = 30, filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let de = language == .de
        let pass = switch p.pass {
        case 1: de ? "Haushalte" : "households"
        case 3: (de ? "Protokoll " : "audit log ") + (p.partner ?? "")
        default: de ? "Export" : "export"
        }
        let rows = p.pass == 3 ? (de ? "Weitergaben" : "disclosures") : (de ? "Zeilen" : "rows")
        // Cleared to the line's end: a shorter line (the next partner's) leaves nothing of the previous one.
        StandardError.write("\r[\(bar)] \(percent)% \(pass): \(p.rows) \(rows)\u{1B}[K")
    }

    /// Empties the line, so that what is printed next (the summary, an error) starts on a clean line.
    func clear() { StandardError.write("\r\u{1B}[K") }
}

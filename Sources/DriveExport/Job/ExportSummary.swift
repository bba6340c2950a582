#if canImport(Glibc)
import Glibc
#endif
import Diagnostics
import Foundation
import Gate

/// Progress of a run, reported every few thousand rows.
public struct ExportProgress: Sendable {
    /// 1: household pass, 2: export pass, 3: a partner's disclosures being logged (`rows` of `totalBytes` entries).
    public var pass: Int
    /// Rows read (passes 1, 2), or disclosures logged (pass 3).
    public var rows: Int
    /// Bytes of the list read (passes 1, 2), or disclosures logged (pass 3).
    public var bytesRead: Int
    /// The list's size in bytes (passes 1, 2), or the partner's disclosures to log (pass 3).
    public var totalBytes: Int
    /// The partner whose disclosures are being logged (pass 3).
    public var partner: String? = nil
}

/// What a run did for one partner.
public struct PartnerOutcome: Sendable, Equatable {
    /// The partner id.
    public var partner: String
    /// The partner's folder name on the shared drive.
    public var folder: String
    /// The purpose id of the partner's export profile.
    public var purpose: String
    /// Records written (or, in a dry run, that would be written; 0 for a part deferred to the next run: `ExportSummary.deferred`).
    public var records: Int
    /// Erasure notices written (or due).
    public var notices: Int
    /// The columns with at least one released cell, in output order.
    public var columns: [String]
    /// The published folder, if one was written.
    public var path: String?
}

/// The result of a run: counts for the summary table and the JSON output.
public struct ExportSummary: Sendable, Equatable {
    /// The run's id (its start time and a random suffix): names the published folders and the audit entries.
    public var runID: String
    /// Whether it was a dry run (nothing written, counts only).
    public var dryRun: Bool
    /// Data rows read (valid + quarantined; blank rows are not counted).
    public var rowsRead: Int
    /// Rows sent to the quarantine report instead of any partner.
    public var quarantined: Int
    /// The quarantine report (CSV), when rows were quarantined and it was written.
    public var quarantineReport: String?
    /// One outcome per partner of the run, in profile order.
    public var partners: [PartnerOutcome]
    /// Partner runs of an earlier, interrupted run that this run finished or dropped.
    public var recoveredRuns: [RecoveredRun]
    /// `recoveredRuns` as English lines (`<run-id>/<partner>: …`), as the JSON output gives them.
    public var recovered: [String] { recoveredRuns.map { $0.line(in: .en) } }
    /// The input's SHA-256 (hex).
    public var inputSHA256: String
    /// Wall-clock seconds per phase, in order (`pass 1`, `recovery`, `pass 2`, `log+publish <partner>`):
    /// for benchmarks and `--json`; not part of the summary table.
    public var phases: [PhaseTime] = []
    /// What the WAL checkpoints beside the run did (none for a dry run): for benchmarks and tests.
    public var checkpoints: BackgroundCheckpoints.Counts? = nil
    /// Erasure notices owed (Art. 19 GDPR) to partners the policy no longer knows, by partner: no folder to write
    /// them to, so they stay due (and `audit verify` counts them as due) until the partner is back in the policy's
    /// catalog; the summary names them so that someone tells the partner another way.
    public var undeliverableNotices: [String: Int] = [:]
    /// Rows quarantined for bytes that are not UTF-8 (`invalid-utf8`); see `encodingLine(in:)`.
    public var notUTF8Rows = 0
    /// Quarantine reports of earlier runs still in the report folder (`QuarantineReportFiles`); see
    /// `earlierReportsLine(in:)`.
    public var earlierQuarantineReports = 0
    /// Runs whose quarantine reports this run removed as older than `quarantineRetentionDays`; see
    /// `removedReportsLine(in:)`.
    public var removedQuarantineReports = 0
    /// The retention period the run was given (`ExportOptions.quarantineRetentionDays`), if any.
    public var quarantineRetentionDays: Int? = nil
    /// The report folder those lie in.
    public var quarantineDirectory: String? = nil
    /// The kid of the export-signer key that signed this run's manifests (nil: nothing was published). Said in the
    /// summary so that an administrator sees which key signs, e.g. an older key taking over after a newer one was
    /// revoked (found in a key review: the summary never named it).
    public var signerKid: String? = nil
    /// Consents that records of this run relied on and that were withdrawn while the run decided: pass 2 decided again,
    /// from the time it saw them (a new run id), so that no withdrawn consent released data (docs/export-job.md).
    public var withdrawalsDuringRun = 0
    /// Partners' parts of the run that were not delivered: a consent their records relied on was withdrawn while the
    /// partners before them were logged (or while pass 2 decided for the last time). Nothing of them was logged; the next
    /// run decides those records afresh. Their `partners` rows count nothing as exported. See `withdrawalLines(in:)`.
    public var deferred: [DeferredPart] = []

    /// The partners of `deferred`.
    public var deferredPartners: [String] { deferred.map(\.partner) }
}

/// A partner's part of a run that was held back for the next run (`ExportSummary.deferred`): what it would have held.
public struct DeferredPart: Sendable, Equatable {
    /// The partner id.
    public var partner: String
    /// Records held back.
    public var records: Int
    /// Erasure notices held back (they stay due).
    public var notices: Int

    /// A part of `partner` with `records` and `notices` held back.
    public init(partner: String, records: Int, notices: Int) { self.partner = partner; self.records = records; self.notices = notices }
}

extension ExportSummary {
    /// `recoveredRuns` as lines in `language` (`<run-id>/<partner>: …`), for the summary table.
    public func recoveredLines(in language: Language) -> [String] { recoveredRuns.map { $0.line(in: language) } }

    /// Whether rows were read and every one of them was quarantined: the run completed (notices went out, the run
    /// was logged) but the list gave nothing, so the command exits 3 (invalid input), and an unattended run's
    /// monitoring sees a failure rather than a good run with "(nothing new)".
    public var everyRowQuarantined: Bool { rowsRead > 0 && quarantined == rowsRead }

    /// A warning in `language` when the list gave nothing to export because no row could be read (every row
    /// quarantined: exit 3, see `everyRowQuarantined`) or there was none (only the header: exit 0, as a week without
    /// new registrations is possible), so that the table's "(nothing new)" does not read as "all is well" in an
    /// unattended run's log. Nil otherwise.
    public func emptyListLine(in language: Language) -> String? {
        let de = language == .de
        if rowsRead == 0 {
            return de ? "Achtung: die Liste enthält keine Datenzeilen (nur die Kopfzeile); nichts exportiert"
                      : "Attention: the list has no data rows (only the header); nothing exported"
        }
        guard everyRowQuarantined else { return nil }
        let report = quarantineReport.map { de ? ", siehe \($0)" : ", see \($0)" } ?? ""
        return de ? "Achtung: alle \(rowsRead) gelesenen Zeilen sind in Quarantäne\(report); nichts exportiert. Ist es die richtige Liste, mit den richtigen Spalten?"
                  : "Attention: all \(rowsRead) rows read are quarantined\(report); nothing exported. Is it the right list, with the right columns?"
    }

    /// A warning in `language` when rows were quarantined because their bytes are not UTF-8: a list saved by Excel as
    /// "CSV (Trennzeichen-getrennt)" is Windows-1252, and when its header is plain ASCII (a mapping file for other
    /// headings) the header check cannot tell, so every row with an umlaut, ß or Cyrillic letter is quarantined while the
    /// plain-ASCII ones go out. The operator learns that from the table, not only from the case manager's report. Nil
    /// when there were none.
    public func encodingLine(in language: Language) -> String? {
        guard notUTF8Rows > 0 else { return nil }
        return language == .de
            ? "Achtung: \(notUTF8Rows) Zeile(n) nicht in UTF-8 kodiert (in Quarantäne). Wurde die Liste in Excel als „CSV (Trennzeichen-getrennt)“ gespeichert (Windows-1252)? Bitte als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern und erneut exportieren"
            : "Attention: \(notUTF8Rows) row(s) not encoded in UTF-8 (quarantined). Was the list saved in Excel as \"CSV (Comma delimited)\" (Windows-1252)? Save it as \"CSV UTF-8 (Comma delimited)\" and export again"
    }

    /// A note in `language` when quarantine reports of earlier runs lie in the report folder: each names case ids and
    /// why their rows were held back, and nothing deletes them (the case manager may not have read them yet), so
    /// the operator is reminded that they are personal data to delete once dealt with (GDPR Art. 5(1)(e)). Nil when
    /// there are none.
    public func earlierReportsLine(in language: Language) -> String? {
        guard earlierQuarantineReports > 0, let folder = quarantineDirectory else { return nil }
        return language == .de
            ? "Hinweis: in \(folder) liegen \(earlierQuarantineReports) Quarantänebericht(e) früherer Läufe; sie nennen Fall-IDs: nach der Bearbeitung löschen"
            : "Note: \(folder) holds \(earlierQuarantineReports) quarantine report(s) of earlier runs; they name case ids: delete them once dealt with"
    }

    /// A note in `language` when this run removed earlier runs' quarantine reports past the retention period, so the
    /// operator (and a case manager who looks for an old report) learns where it went. Nil when none was removed.
    public func removedReportsLine(in language: Language) -> String? {
        guard removedQuarantineReports > 0, let days = quarantineRetentionDays, let folder = quarantineDirectory else { return nil }
        return language == .de
            ? "Hinweis: \(removedQuarantineReports) Quarantänebericht(e) aus \(folder) entfernt, deren Lauf mehr als \(days) Tag(e) zurückliegt"
            : "Note: removed \(removedQuarantineReports) quarantine report(s) from \(folder) whose run started more than \(days) day(s) ago"
    }

    /// What withdrawals recorded during the run changed, as lines in `language`: that the records were decided again
    /// (so the operator sees why the run took longer, and under which id it published), and each partner whose part waits
    /// for the next run. Empty when no withdrawal came in between.
    public func withdrawalLines(in language: Language) -> [String] {
        let de = language == .de
        var out: [String] = []
        if withdrawalsDuringRun > 0 {
            out.append(de ? "Hinweis: \(withdrawalsDuringRun) Einwilligung(en), auf die sich Datensätze dieses Laufs stützten, wurde(n) während des Laufs widerrufen; die Datensätze wurden neu entschieden (Lauf \(runID))"
                          : "Note: \(withdrawalsDuringRun) consent(s) that records of this run relied on were withdrawn during the run; the records were decided again (run \(runID))")
        }
        for part in deferred {
            out.append(de ? "Achtung: \(part.partner) in diesem Lauf nicht beliefert (\(part.records) Datensätze, \(part.notices) Löschhinweise zurückgestellt): eine Einwilligung, auf die sich Datensätze stützten, wurde während des Laufs widerrufen; nichts davon wurde protokolliert, der nächste Lauf entscheidet sie neu"
                          : "Attention: \(part.partner) not delivered in this run (\(part.records) records, \(part.notices) erasure notices held back): a consent that its records relied on was withdrawn during the run; nothing of it was logged, the next run decides them afresh")
        }
        return out
    }

    /// The summary table's folder cell for `partner` when no folder was published: a dry run, a part deferred to the
    /// next run (`deferredPartners`), or nothing new to send.
    public func unpublishedFolderCell(partner: String, in language: Language) -> String {
        let de = language == .de
        if dryRun { return de ? "(Probelauf)" : "(dry run)" }
        if deferredPartners.contains(partner) { return de ? "(zurückgestellt)" : "(deferred)" }
        return de ? "(nichts Neues)" : "(nothing new)"
    }

    /// `undeliverableNotices` as warnings in `language`, one per partner by id, for the summary table.
    public func undeliverableLines(in language: Language) -> [String] {
        undeliverableNotices.sorted { $0.key < $1.key }.map { partner, count in
            language == .de
                ? "Achtung: \(count) Löschhinweis(e) an \(partner) fällig, aber der Partner steht nicht mehr in der Richtlinie "
                    + "(kein Ordner bekannt): nicht geschrieben, bleiben fällig; den Partner auf anderem Weg benachrichtigen (Art. 19 DSGVO)"
                : "Attention: \(count) erasure notice(s) due to \(partner), but the partner is no longer in the policy "
                    + "(no folder known): not written, they stay due; tell the partner another way (GDPR Art. 19)"
        }
    }
}

/// What a run's recovery did with one partner run an earlier, interrupted run left pending (`ExportRecovery`).
public struct RecoveredRun: Sendable, Equatable {
    /// What happened to it.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Not logged: its staged rows are dropped, the records go out again.
        case dropped
        /// Partly logged, but its staging folder is gone: dropped, the records go out again.
        case partlyLoggedStagingMissing
        /// Partly logged: the rest of its audit entries were appended (then published or committed, a second line).
        case restLogged
        /// Logged and published: the ledger is committed.
        case committed
        /// Logged, not published: the folder was signed, published and the ledger committed.
        case publishedAndCommitted
        /// Logged, but the staged files are gone (nothing was delivered): dropped, the records go out again.
        case loggedStagingMissing

        /// The outcome in German and English.
        public var text: LocalizedText {
            switch self {
            case .dropped: LocalizedText(de: "verworfen (nicht protokolliert; wird erneut exportiert)",
                                         en: "dropped (not logged; exported again)")
            case .partlyLoggedStagingMissing:
                LocalizedText(de: "teilweise protokolliert, aber der Zwischenordner fehlt; wird erneut exportiert",
                              en: "partly logged but staging folder missing; exported again")
            case .restLogged: LocalizedText(de: "teilweise protokolliert; die übrigen Protokolleinträge wurden nachgetragen",
                                            en: "partly logged; rest of the audit entries appended")
            case .committed: LocalizedText(de: "abgeschlossen (in der Datenbank als übermittelt vermerkt)", en: "committed")
            case .publishedAndCommitted: LocalizedText(de: "veröffentlicht und abgeschlossen",
                                                       en: "published and committed")
            case .loggedStagingMissing: LocalizedText(de: "protokolliert, aber der Zwischenordner fehlt; wird erneut exportiert",
                                                      en: "logged but staging folder missing; exported again")
            }
        }
    }

    /// The interrupted run's id.
    public var runID: String
    /// The partner of that run.
    public var partner: String
    /// What this run did with it.
    public var outcome: Outcome

    /// A handled partner run.
    public init(runID: String, partner: String, outcome: Outcome) {
        self.runID = runID; self.partner = partner; self.outcome = outcome
    }

    /// `<run-id>/<partner>: <outcome>` in `language`.
    public func line(in language: Language) -> String { "\(runID)/\(partner): \(outcome.text[language])" }
}

/// The wall-clock time of one phase of a run.
public struct PhaseTime: Sendable, Equatable {
    /// The phase (`pass 1`, `recovery`, `pass 2`, `log+publish <partner>`, `ledger commit`).
    public var name: String
    /// Wall-clock seconds the phase took.
    public var seconds: Double
    /// CPU seconds (user + system, all threads of the process) spent in the phase.
    public var cpuSeconds: Double = 0

    /// CPU seconds the process has used so far.
    static func processCPU() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }
}

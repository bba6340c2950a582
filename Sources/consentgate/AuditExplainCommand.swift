import ArgumentParser
import AuditLog
import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// `consentgate audit explain --index N`: re-evaluate a logged decision with the archived bundle and the
/// consent state as of its time, and say whether today's evaluator gives the same answer. Records an
/// `audit-read` entry before it prints anything.
struct AuditExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain",
        abstract: HelpText.text("Re-evaluate a logged decision with the policy of its time and today's.",
                                de: "Eine protokollierte Entscheidung mit der damaligen und der heutigen Richtlinie erneut auswerten."))

    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`. Only asked for when opening the installation appends (the trust store changed since the
    /// last open: its `key-event` entries); the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Option(parsing: .unconditional, help: HelpText.help("The audit index of a decision entry.",
                                de: "Index eines Entscheidungseintrags im Audit-Protokoll."))
    var index: Int64
    @Flag(help: HelpText.help("Print as JSON.", de: "Als JSON ausgeben.")) var json = false

    /// The installation on its policy folder; while the default folder does not load (a half-finished edit), on the archived
    /// policy last in force, said on standard error: explaining a logged decision needs the policy of its time (from the
    /// archive) and compares with today's, and a DPO's review does not wait for the policy editor (before, exit 3).
    /// Returns the unpacked folder to remove, if one was used.
    private func openGate(language: Language) throws -> (Gate, URL?) {
        do {
            return (try installation.openGate(reading: "audit explain", passphraseFile: passphrase.passphraseFile), nil)
        } catch let failure as PolicyError where installation.policy == AuditReportLabels.defaultFolder {
            // Only the default folder: one named with --policy must load, as for `audit report`.
            let database = try ExistingDatabase.open(installation.configuration.databasePath, command: "audit explain")
            guard let (directory, version) = try ArchivedPolicyInForce.unpacked(from: database) else { throw failure }
            var archived = installation
            archived.policy = directory.path
            do {
                let gate = try archived.openGate(reading: "audit explain", passphraseFile: passphrase.passphraseFile)
                StandardError.write(AuditReportLabels.folderNote(installation.policy, problems: failure.diagnostics.count, language: language)
                    + (language == .de ? "; „heute“ ist hier die zuletzt geltende Richtlinie \(version) aus dem Archiv.\n"
                                       : "; \"today\" here is the policy last in force, \(version), from the archive.\n"))
                return (gate, directory)
            } catch {
                try? FileManager.default.removeItem(at: directory)
                throw failure
            }
        }
    }

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let (gate, unpacked) = try openGate(language: language)
            defer { if let unpacked { try? FileManager.default.removeItem(at: unpacked) } }
            let r = try gate.explainDecision(index: index)
            // A DPO's read of the log like `audit log`: the decision names a person, a partner and fields.
            try gate.auditLog.recordRead(command: "audit explain", filters: ["index": String(index)], results: 1,
                                         actor: installation.resolvedActor, signer: gate.auditSigner())
            if json {
                var members: [(String, OrderedJSON)] = [
                    ("index", .int(Int(r.index))), ("policy-digest", r.loggedPolicyDigest.map { .string($0) } ?? .null),
                    ("reproduces", .bool(r.reproduces)), ("same-today", .bool(r.sameToday)),
                    ("differences-archived", .array(r.differencesArchived.map { .string($0) })),
                    ("differences-today", .array(r.differencesCurrent.map { .string($0) })),
                    ("age-now-recorded", r.ageNowRecorded.map { .int($0) } ?? .null),
                    // Withdrawals recorded after the decision that count from before it: its fields on them had no basis.
                    ("withdrawn-since", .array(r.withdrawnSince.map { w in
                        var m: [(String, OrderedJSON)] = [("entry", .int(Int(w.entry))), ("consent", .string(w.consent))]
                        if !w.clauses.isEmpty { m.append(("clauses", .array(w.clauses.map { .string($0) }))) }
                        m += [("withdrawn-at", .string(w.withdrawnAt)), ("recorded-at", .string(w.recordedAt)),
                              ("fields", .array(w.fields.map { .string($0) }))]
                        return .object(m)
                    })),
                    // Fields a check for an earlier moment released on a consent withdrawn when it was made (before 2026-12-07).
                    ("released-on-withdrawn-consent", .array(r.releasedOnWithdrawnConsent.map { .string($0) })),
                    ("today", r.withCurrentPolicy.json()),
                ]
                if let a = r.withArchivedPolicy { members.append(("archived", a.json())) }
                print(OrderedJSON.object(members).serialized)
                // The same exit code as the table: a script reading `--json` learns of a decision the log's policy
                // no longer reproduces from the exit code too, not only from `"reproduces": false`.
                if !r.reproduces { throw ExitCode(ProblemCategory.integrity.exitCode) }
                return
            }
            let de = language == .de
            print(de ? "Entscheidung \(r.index): \(r.logged.subject) → \(r.logged.partner) (\(r.logged.purpose)) am \(r.logged.at)"
                     : "Decision \(r.index): \(r.logged.subject) → \(r.logged.partner) (\(r.logged.purpose)) at \(r.logged.at)")
            if r.withArchivedPolicy == nil {
                print(de ? "Archivierte Richtlinie \(r.loggedPolicyDigest ?? "?") nicht gefunden."
                         : "Archived policy \(r.loggedPolicyDigest ?? "?") not found.")
            } else {
                print(r.reproduces
                      ? (de ? "Mit der damaligen Richtlinie: gleiches Ergebnis." : "With the policy of the time: same result.")
                      : (de ? "Mit der damaligen Richtlinie: ABWEICHUNG bei \(r.differencesArchived.joined(separator: ", "))"
                            : "With the policy of the time: DIFFERS for \(r.differencesArchived.joined(separator: ", "))"))
            }
            if let now = r.ageNowRecorded {
                if let then = r.logged.attributes[DecisionRecord.ageAttribute]?.intValue {
                    print(de ? "Hinweis: Das gespeicherte Geburtsdatum der Person wurde seit der Entscheidung geändert (es ergibt für den Tag der Entscheidung das Alter \(now), die Entscheidung verwendete: \(then)); erneut erklärt wird mit dem Alter der Entscheidung."
                             : "Note: the person's recorded birth date has changed since the decision (it gives age \(now) on the decision day; the decision used: \(then)); explained again with the decision's age.")
                } else {
                    // The person was recorded (or given a birth date) only after the decision: nothing changed.
                    print(de ? "Hinweis: Das Geburtsdatum der Person wurde erst nach der Entscheidung erfasst (es ergibt für den Tag der Entscheidung das Alter \(now)); die Entscheidung kannte kein Alter, und so wird sie erneut erklärt."
                             : "Note: the person's birth date was recorded only after the decision (it gives age \(now) on the decision day); the decision knew no age, and so it is explained again.")
                }
            }
            print(r.sameToday
                  ? (de ? "Mit der heutigen Richtlinie: gleiches Ergebnis." : "With today's policy: same result.")
                  : (de ? "Mit der heutigen Richtlinie: anders bei \(r.differencesCurrent.joined(separator: ", "))"
                        : "With today's policy: different for \(r.differencesCurrent.joined(separator: ", "))"))
            for w in r.withdrawnSince { print(w.explainWords(language) { $0 }) }
            if !r.releasedOnWithdrawnConsent.isEmpty { print(r.releasedOnWithdrawnWords(language)) }
            // The explanation of the decision is the policy of its time: its rules and norms. Today's evaluation
            // follows where it differs (or is all there is, when that policy is not archived).
            if let archived = r.withArchivedPolicy {
                print(de ? "Mit der damaligen Richtlinie:" : "With the policy of the time:")
                print(archived.table(in: language, policy: gate.policy, consents: r.consents, citing: r.archivedPolicy), terminator: "")
            }
            if r.withArchivedPolicy == nil || !r.sameToday {
                print(de ? "Mit der heutigen Richtlinie:" : "With today's policy:")
                print(r.withCurrentPolicy.table(in: language, policy: gate.policy, consents: r.consents), terminator: "")
            }
            if !r.reproduces { throw ExitCode(ProblemCategory.integrity.exitCode) }
        }
    }
}

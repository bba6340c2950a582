import ArgumentParser
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// `consentgate consent …`: record, withdraw, inspect, verify and move signed consent declarations.
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Signed consent declarations / Unterschriebene Einwilligungserklärungen",
        subcommands: [ConsentGrantCommand.self, ConsentWithdrawCommand.self, ConsentShowCommand.self,
                      ConsentListCommand.self, ConsentVerifyCommand.self, ConsentExportCommand.self,
                      ConsentImportCommand.self, ConsentFormCommand.self])
}

/// `consent grant`: sign and store the declaration a person signed on paper.
struct ConsentGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant",
        abstract: "Record a signed consent; prints its id / Einwilligung erfassen")

    @OptionGroup var installation: InstallationOptions
    @Option(help: "Case id of the person.") var subject: String
    @Option(help: "Consent template id.") var template: String = "kim-beratung"
    @Option(help: "Template version (default: newest).") var templateVersion: Int?
    @Option(help: "Language of the declaration the person read (de, en, uk, ...).") var language: String = "de"
    @Option(help: "Comma-separated clause ids the person ticked.") var clauses: String
    @Option(help: "When the person signed, RFC 3339 (default now).") var grantedAt: String?
    @Option(help: "How long it holds, ISO 8601 (default: the template's max-validity), e.g. P1Y.") var validity: String?
    @Option(help: "Case manager id who collected it.") var collectedBy: String
    @Option(help: "Municipality of the case manager.") var municipality: String
    @Option(name: .customLong("guardian"), help: "A guardian who signed (repeatable).") var guardians: [String] = []
    @Option(help: "Birth date of the person (YYYY-MM-DD or DD.MM.YYYY).") var birthDate: String?
    @Flag(help: "The person arrived as an unaccompanied minor.") var unaccompaniedMinor = false
    @Option(help: "Scan of the signed paper form; its SHA-256 is recorded.") var evidence: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try await reportingErrors(language: installation.language) {
            let now = Date()
            let granted = try grantedAt.map { try parseTime($0, option: "--granted-at") } ?? now
            let duration = try validity.map { v -> ISODuration in
                guard let d = ISODuration(v) else {
                    throw UsageError(de: "--validity: \"\(v)\" ist keine ISO-8601-Dauer (z. B. P1Y)",
                                     en: "--validity: \"\(v)\" is not an ISO 8601 duration (e.g. P1Y)")
                }
                return d
            }
            let clauseIDs = clauses.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let subjectRecord = Subject(id: subject, birthDate: try birthDate.map { try parseDay($0, option: "--birth-date") },
                                        municipality: municipality, unaccompaniedMinor: unaccompaniedMinor ? true : nil,
                                        guardians: guardians)
            let evidenceDigest = try evidence.map { try ConsentDeclaration.evidenceDigest(ofFileAt: $0) }
            let gate = try installation.openGate(municipality: municipality)
            let (stored, index) = try gate.grantConsent(GrantRequest(
                subject: subjectRecord, templateID: template, templateVersion: templateVersion, language: language,
                clauses: clauseIDs, grantedAt: granted, validity: duration,
                collectedBy: CaseManagerReference(caseManager: collectedBy, municipality: municipality),
                guardians: guardians.map { Guardian(name: $0) }, evidence: evidenceDigest),
                actor: Actor(id: installation.resolvedActor, municipality: municipality), now: now)
            if json {
                print("{\"id\":\"\(stored.id)\",\"audit\":{\"index\":\(index)},\"expires-at\":\"\(RFC3339Text(stored.expiresAt))\"}")
            } else {
                print(stored.id)
            }
        }
    }
}

/// `consent withdraw ID [--at T]`: idempotent; a second withdrawal reports the first.
struct ConsentWithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw",
        abstract: "Withdraw a consent (GDPR Art. 7(3)) / Einwilligung widerrufen")

    @OptionGroup var installation: InstallationOptions
    @Argument(help: "The consent id.") var id: String
    @Option(help: "When the person withdrew, RFC 3339 (default now).") var at: String?
    @Option(help: "Case manager id who recorded the withdrawal (default: --actor).") var recordedBy: String?
    @Option(help: "Municipality of the case manager (default: the person's recorded municipality).") var municipality: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let when = try at.map { try parseTime($0, option: "--at") }
            let gate = try installation.openGate(municipality: municipality)
            guard let record = try gate.consents.record(id: id) else { throw ConsentError.unknownConsent(id: id) }
            guard let place = try municipality ?? gate.subject(id: record.subject)?.municipality else {
                throw UsageError(de: "--municipality angeben: für diese Person ist keine Kommune gespeichert",
                                 en: "pass --municipality: no municipality is recorded for this person")
            }
            let (outcome, index) = try gate.withdrawConsent(
                id: id, at: when,
                recordedBy: CaseManagerReference(caseManager: recordedBy ?? installation.resolvedActor, municipality: place),
                actor: Actor(id: installation.resolvedActor, municipality: place))
            let w = outcome.withdrawal
            let first: Bool
            if case .recorded = outcome { first = true } else { first = false }
            if json {
                print("{\"consent\":\"\(w.consentID)\",\"withdrawn-at\":\"\(RFC3339Text(w.withdrawnAt))\",\"already-withdrawn\":\(!first)\(index.map { ",\"audit\":{\"index\":\($0)}" } ?? "")}")
            } else if first {
                print(language == .de ? "Widerrufen: \(w.consentID) am \(RFC3339Text(w.withdrawnAt))"
                                      : "Withdrawn: \(w.consentID) at \(RFC3339Text(w.withdrawnAt))")
            } else {
                print(language == .de ? "Bereits widerrufen: \(w.consentID) am \(RFC3339Text(w.withdrawnAt))"
                                      : "Already withdrawn: \(w.consentID) at \(RFC3339Text(w.withdrawnAt))")
            }
        }
    }
}

import Signing

/// RFC 3339 text of a date (UTC).
func RFC3339Text(_ date: Date) -> String { RFC3339.format(date) }

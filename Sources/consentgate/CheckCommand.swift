import ArgumentParser
import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// `consentgate check`: may these fields of this person go to that partner, for this purpose, now?
/// Reads the person's consents from the store, records the decision in the audit log, prints it.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Decide per field whether it may pass / Pro Feld entscheiden, ob es weitergegeben werden darf")

    @OptionGroup var installation: InstallationOptions
    @Option(help: "Case id of the person.") var subject: String
    @Option(help: "Partner id, e.g. jobcenter.") var partner: String
    @Option(help: "Purpose id, e.g. job-placement.") var purpose: String
    @Option(name: .customLong("field"), help: "A field id (repeatable).") var field: [String] = []
    @Option(help: "Comma-separated field ids.") var fields: String?
    @Option(help: "Decision time, RFC 3339 (default now).") var at: String?
    @Option(help: "Birth date of a person not yet recorded (YYYY-MM-DD).") var birthDate: String?
    @Option(help: "Municipality of a person not yet recorded.") var municipality: String?
    @Flag(help: "The person arrived as an unaccompanied minor.") var unaccompaniedMinor = false
    @Option(help: "Referral id to record with the decision.") var referral: String?
    @Flag(help: "Exit 1 when any requested field is denied.") var failOnDeny = false
    @Flag(help: "Print the decision as JSON (CONTRACTS §4).") var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let requested = field + (fields?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
            guard !requested.isEmpty else {
                throw UsageError(de: "keine Felder angegeben (--field oder --fields)", en: "no fields given (--field or --fields)")
            }
            let stated: Subject? = (birthDate != nil || municipality != nil || unaccompaniedMinor)
                ? Subject(id: subject, birthDate: try birthDate.map { try parseDay($0, option: "--birth-date") },
                          municipality: municipality, unaccompaniedMinor: unaccompaniedMinor ? true : nil)
                : nil
            let gate = try installation.openGate()
            let result = try gate.check(
                CheckRequest(subject: subject, statedAttributes: stated, partner: partner, purpose: purpose,
                             fields: requested, at: try at.map { try parseTime($0, option: "--at") }, referral: referral),
                actor: Actor(id: installation.resolvedActor))
            if json {
                print(result.json.text)
            } else {
                print(result.decision.table(in: language, policy: gate.policy), terminator: "")
                print(language == .de ? "Protokolleintrag \(result.auditIndex)" : "Audit entry \(result.auditIndex)")
            }
            if failOnDeny && !result.decision.allPermitted { throw ExitCode(ProblemCategory.denied.exitCode) }
        }
    }
}

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
        abstract: HelpText.text("Decide per field whether it may be passed on.",
                                de: "Pro Feld entscheiden, ob es weitergegeben werden darf."))

    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Option(help: HelpText.help("Case id of the person.", de: "Fall-ID der Person.")) var subject: String
    @Option(help: HelpText.help("Partner id, e.g. jobcenter.", de: "Partner-ID, z. B. jobcenter.")) var partner: String
    @Option(help: HelpText.help("Purpose id, e.g. job-placement.",
                                de: "Zweck-ID, z. B. job-placement."))
    var purpose: String
    @Option(name: .customLong("field"), help: HelpText.help("A field id (repeatable).",
                                                            de: "Eine Feld-ID (mehrfach angebbar)."))
    var field: [String] = []
    @Option(help: HelpText.help("Comma-separated field ids.",
                                de: "Feld-IDs, durch Kommas getrennt."))
    var fields: String?
    @Option(help: HelpText.help("Decision time, RFC 3339 (default now).",
                                de: "Entscheidungszeitpunkt, RFC 3339 (Standard: jetzt)."))
    var at: String?
    @Option(help: HelpText.help("Birth date of a person not yet recorded (YYYY-MM-DD or DD.MM.YYYY).",
                                de: "Geburtsdatum einer noch nicht erfassten Person (JJJJ-MM-TT oder TT.MM.JJJJ)."))
    var birthDate: String?
    @Option(help: HelpText.help("Municipality of a person not yet recorded.",
                                de: "Kommune einer noch nicht erfassten Person."))
    var municipality: String?
    @Flag(help: HelpText.help("The person arrived as an unaccompanied minor.",
                              de: "Die Person ist als unbegleitete Minderjährige eingereist."))
    var unaccompaniedMinor = false
    @Option(name: .customLong("attribute"),
            help: HelpText.help("A value for a policy attribute that the record does not give, for this decision only, as id=value (repeatable), e.g. child-endangerment=true; bool true/false, int, date YYYY-MM-DD, or text, per the attribute's type.",
                                de: "Ein Wert für ein Merkmal der Richtlinie, das die Erfassung nicht liefert, nur für diese Entscheidung, als Merkmal=Wert (mehrfach angebbar), z. B. child-endangerment=true; bool true/false, int, Datum JJJJ-MM-TT oder Text, je nach Typ des Merkmals.",
                                valueName: "id=value"))
    var attribute: [String] = []
    @Option(help: HelpText.help("Referral id to record with the decision.",
                                de: "Vermittlungs-ID, die mit der Entscheidung protokolliert wird."))
    var referral: String?
    @Flag(help: HelpText.help("Exit 1 when any requested field is denied.",
                              de: "Mit Exit-Code 1 enden, wenn ein angefragtes Feld verweigert wird."))
    var failOnDeny = false
    @Flag(help: HelpText.help("Print the decision as JSON (CONTRACTS §4).",
                              de: "Entscheidung als JSON ausgeben (CONTRACTS §4)."))
    var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            // Every entry counts: `a,,b` or a trailing comma is a mistake to name, not an entry to drop unseen.
            let listed = try commaSeparatedEntries(fields, option: "--fields")
            if field.contains("") { throw UsageError(de: "--field: leere Feld-ID", en: "--field: empty field id") }
            let requested = field + listed
            guard !requested.isEmpty else {
                throw UsageError(de: "keine Felder angegeben (--field oder --fields)", en: "no fields given (--field or --fields)")
            }
            // The gate refuses a field named twice too; refused here, the installation is not even opened.
            try DecisionRequestError.check(fields: requested)
            try CheckRequestError.requireCaseID(subject)
            let statedOptions = try StatedAttributeOption.parse(attribute)
            let stated: Subject? = (birthDate != nil || municipality != nil || unaccompaniedMinor)
                ? Subject(id: subject, birthDate: try birthDate.map { try parseDay($0, option: "--birth-date") },
                          municipality: municipality, unaccompaniedMinor: unaccompaniedMinor ? true : nil)
                : nil
            let gate = try installation.openGate(appending: true, passphraseFile: passphrase.passphraseFile)
            try CheckRequestError.requireKnown(partner: partner, purpose: purpose, in: gate.policy)
            let statedValues = try StatedAttributeOption.values(statedOptions, policy: gate.policy)
            let request = CheckRequest(subject: subject, statedAttributes: stated, partner: partner, purpose: purpose,
                                       fields: requested, at: try at.map { try parseTime($0, option: "--at") }, referral: referral,
                                       statedValues: statedValues)
            let result = try namingMunicipalityOption { try gate.check(request, actor: Actor(id: installation.resolvedActor)) }
            if json {
                print(result.json.text)
            } else {
                print(result.decision.table(in: language, policy: gate.policy, consents: result.consents), terminator: "")
                // What the request stated beyond the record decided the rules as much as the record did (`--json` and
                // the log have it under `attributes.stated`).
                if !statedValues.isEmpty {
                    let pairs = statedValues.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                    print((language == .de ? "Für diese Entscheidung angegeben: " : "Stated for this decision: ") + pairs)
                }
                for r in try gate.invalidConsentReasons(in: result.decision, statedBirthDate: stated?.birthDate) {
                    print((language == .de ? "Einwilligung \(r.id) ungültig: " : "Consent \(r.id) invalid: ")
                          + r.failures.map { $0.message(in: language) }.joined(separator: "; "))
                }
                print(language == .de ? "Protokolleintrag \(result.auditIndex)" : "Audit entry \(result.auditIndex)")
            }
            if failOnDeny && !result.decision.allPermitted { throw ExitCode(ProblemCategory.denied.exitCode) }
        }
    }
}

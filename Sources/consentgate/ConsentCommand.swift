import ArgumentParser
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import PolicyEngine
import Signing
import StrictJSON

/// `consentgate consent …`: record, withdraw, inspect, verify and move signed consent declarations.
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: HelpText.text("Record, withdraw, show, verify and move signed consent declarations.",
                                de: "Unterschriebene Einwilligungserklärungen erfassen, widerrufen, anzeigen, prüfen und übertragen."),
        subcommands: [ConsentGrantCommand.self, ConsentWithdrawCommand.self, ConsentShowCommand.self,
                      ConsentListCommand.self, ConsentVerifyCommand.self, ConsentExportCommand.self,
                      ConsentImportCommand.self, ConsentFormCommand.self, ConsentFormLanguageCommand.self,
                      ConsentRecordNoticeCommand.self])
}

/// `consent grant`: sign and store the declaration a person signed on paper.
struct ConsentGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant",
        abstract: HelpText.text("Record a signed consent; prints its id.",
                                de: "Unterschriebene Einwilligung erfassen; gibt ihre ID aus."))

    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Option(help: HelpText.help("Case id of the person.", de: "Fall-ID der Person.")) var subject: String
    @Option(help: HelpText.help("Consent template id.",
                                de: "ID der Einwilligungsvorlage."))
    var template: String = "kim-beratung"
    @Option(help: HelpText.help("Template version printed on the signed paper (default: the current one). An earlier version is accepted only when the policy gives it a recordable-until and --granted-at falls on or before that day in Europe/Berlin; otherwise it is refused.",
                                de: "Version der Vorlage, die auf dem unterschriebenen Papier steht (Standard: die aktuelle). Eine frühere Version wird nur angenommen, wenn die Richtlinie ihr ein recordable-until gibt und --granted-at in Europe/Berlin auf oder vor diesen Tag fällt; sonst wird sie abgelehnt."))
    var templateVersion: Int?
    @Option(help: HelpText.help("Language of the declaration the person read (de, en, uk, ...).",
                                de: "Sprache der Erklärung, die die Person gelesen hat (de, en, uk, ...)."))
    var language: String = "de"
    @Option(help: HelpText.help("Comma-separated clause ids the person ticked.",
                                de: "IDs der Klauseln, die die Person angekreuzt hat, durch Kommas getrennt."))
    var clauses: String
    @Option(help: HelpText.help("When the person signed, RFC 3339 (default now).",
                                de: "Zeitpunkt der Unterschrift, RFC 3339 (Standard: jetzt)."))
    var grantedAt: String?
    @Option(help: HelpText.help("How long it holds, ISO 8601 (default: the template's max-validity), e.g. P1Y.",
                                de: "Geltungsdauer, ISO 8601 (Standard: max-validity der Vorlage), z. B. P1Y."))
    var validity: String?
    @Option(help: HelpText.help("Case manager id who collected it.",
                                de: "Kennung der Person im Fallmanagement, die die Erklärung entgegengenommen hat."))
    var collectedBy: String
    @Option(help: HelpText.help("Municipality of the case manager.",
                                de: "Kommune des Fallmanagements."))
    var municipality: String
    @Option(name: .customLong("guardian"), help: HelpText.help("A guardian who signed (repeatable).",
                                                               de: "Eine sorgeberechtigte Person, die unterschrieben hat (mehrfach angebbar)."))
    var guardians: [String] = []
    @Option(help: HelpText.help("Birth date of the person (YYYY-MM-DD or DD.MM.YYYY).",
                                de: "Geburtsdatum der Person (JJJJ-MM-TT oder TT.MM.JJJJ)."))
    var birthDate: String?
    @Flag(help: HelpText.help("The person arrived as an unaccompanied minor.",
                              de: "Die Person ist als unbegleitete Minderjährige eingereist."))
    var unaccompaniedMinor = false
    @Option(help: HelpText.help("Scan of the signed paper form; its SHA-256 is recorded.",
                                de: "Scan des unterschriebenen Papierformulars; gespeichert wird seine SHA-256-Prüfsumme."))
    var evidence: String?
    @Flag(help: HelpText.help("Print the result as JSON.", de: "Ergebnis als JSON ausgeben.")) var json = false

    func run() async throws {
        try await reportingErrors(language: installation.language) {
            let now = Date()
            let granted = try grantedAt.map { try parseTime($0, option: "--granted-at", wholeSeconds: true) } ?? now
            let duration = try validity.map { v -> ISODuration in
                guard let d = ISODuration(v) else {
                    if ISODuration.hasTimePart(v) {
                        throw UsageError(de: "--validity: \"\(v)\" hat einen Zeitteil (T…); eine Erklärung gilt Jahre, Monate, Wochen oder Tage (z. B. P1Y, P6M, P30D)",
                                         en: "--validity: \"\(v)\" has a time part (T…); a declaration holds for years, months, weeks or days (e.g. P1Y, P6M, P30D)")
                    }
                    throw UsageError(de: "--validity: \"\(v)\" ist keine ISO-8601-Dauer (z. B. P1Y)",
                                     en: "--validity: \"\(v)\" is not an ISO 8601 duration (e.g. P1Y)")
                }
                return d
            }
            // As `check --fields`: an empty entry (`a,,b`, a trailing comma) is refused, not dropped unseen.
            let clauseIDs = try commaSeparatedEntries(clauses, option: "--clauses")
            // Without --granted-at the signature is now: a later birth date is "in the future", not "after --granted-at".
            let subjectRecord = Subject(id: subject, birthDate: try birthDate.map { try ConsentBirthDate.parse($0, signedAt: grantedAt == nil ? nil : granted, now: now) },
                                        municipality: municipality, unaccompaniedMinor: unaccompaniedMinor ? true : nil,
                                        guardians: guardians)
            let evidenceDigest = try evidence.map { try ConsentDeclaration.evidenceDigest(ofFileAt: $0) }
            let gate = try installation.openGate(municipality: municipality, appending: true, passphraseFile: passphrase.passphraseFile)
            let (stored, index) = try namingGrantedAt(grantedAt, gate: gate) { try namingGuardianOption { try namingMunicipalityOption { try gate.grantConsent(GrantRequest(
                subject: subjectRecord, templateID: template, templateVersion: templateVersion, language: language,
                clauses: clauseIDs, grantedAt: granted, validity: duration,
                collectedBy: CaseManagerReference(caseManager: collectedBy, municipality: municipality),
                guardians: guardians.map { Guardian(name: $0) }, evidence: evidenceDigest),
                actor: Actor(id: installation.resolvedActor, municipality: municipality), now: now) } } }
            // The entry notes a birth date this grant changed; so does the user's screen.
            let change = try gate.birthDateChange(loggedAt: index)
            if let change {
                StandardError.write(installation.language == .de
                    ? "Hinweis: das für \(subject) gespeicherte Geburtsdatum wurde ersetzt (Alter bei der Unterschrift: bisher \(change.ageBefore), jetzt \(change.ageAfter)); das Audit-Protokoll vermerkt es im Eintrag \(index)\n"
                    : "note: the birth date recorded for \(subject) was replaced (age at signing: before \(change.ageBefore), now \(change.ageAfter)); the audit log notes it in entry \(index)\n")
            }
            if json {
                let changed = change.map { ",\"birth-date-changed\":{\"age-before\":\($0.ageBefore),\"age-after\":\($0.ageAfter)}" } ?? ""
                print("{\"id\":\"\(stored.id)\",\"audit\":{\"index\":\(index)},\"expires-at\":\"\(RFC3339Text(stored.expiresAt))\"\(changed)}")
            } else {
                print(stored.id)
            }
        }
    }
}

/// `consent withdraw ID [--at T] [--clause C]…`: the whole consent (idempotent; a second withdrawal reports the one
/// that ended it), or with `--clause` only those lines (clauses), each withdrawal with its own time.
struct ConsentWithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw",
        abstract: HelpText.text("Withdraw a consent (GDPR Art. 7(3)).",
                                de: "Einwilligung widerrufen (Art. 7 Abs. 3 DSGVO)."))

    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Argument(help: HelpText.help("The consent id.", de: "ID der Einwilligung.")) var id: String
    @Option(help: HelpText.help("When the person withdrew, RFC 3339 (default now).",
                                de: "Zeitpunkt des Widerrufs, RFC 3339 (Standard: jetzt)."))
    var at: String?
    @Option(help: HelpText.help("Case manager id who recorded the withdrawal (default: --actor).",
                                de: "Kennung der Person im Fallmanagement, die den Widerruf erfasst hat (Standard: --actor)."))
    var recordedBy: String?
    @Option(help: HelpText.help("Municipality of the case manager (default: the person's recorded municipality).",
                                de: "Kommune des Fallmanagements (Standard: die für die Person gespeicherte Kommune)."))
    var municipality: String?
    @Option(name: .customLong("clause"),
            help: HelpText.help("Withdraw only this line (clause id) of the consent; repeat for several. Without it, the whole consent.",
                                de: "Nur diese Zeile (Klausel-ID) der Einwilligung widerrufen; mehrfach angeben für mehrere. Ohne: die ganze Einwilligung."))
    var clauses: [String] = []
    @Flag(help: HelpText.help("Print the result as JSON.", de: "Ergebnis als JSON ausgeben.")) var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let when = try at.map { try parseTime($0, option: "--at", wholeSeconds: true) }
            let named: [String]? = clauses.isEmpty ? nil : clauses
            let gate = try installation.openGate(municipality: municipality, appending: true, changing: "consent withdraw",
                                                passphraseFile: passphrase.passphraseFile)
            guard let record = try gate.consents.record(id: id) else { throw ConsentError.unknownConsent(id: id) }
            guard let place = try municipality ?? gate.subject(id: record.subject)?.municipality else {
                throw UsageError(de: "--municipality angeben: für diese Person ist keine Kommune gespeichert",
                                 en: "pass --municipality: no municipality is recorded for this person")
            }
            let (outcome, index) = try namingMunicipalityOption { try gate.withdrawConsent(
                id: id, at: when, clauses: named,
                recordedBy: CaseManagerReference(caseManager: recordedBy ?? installation.resolvedActor, municipality: place),
                actor: Actor(id: installation.resolvedActor, municipality: place)) }
            let w = outcome.withdrawal
            let first: Bool
            if case .recorded = outcome { first = true } else { first = false }
            // Releases on the consent logged after the withdrawal's time (a letter typed in late, `--at`): said, not hidden.
            // (Without `--at` the withdrawal is now, cut to the second: a release earlier in that second is no such case.)
            // After a withdrawal of single lines, only releases under those lines.
            let late = first && when != nil
                ? try gate.releases(onConsent: w.consentID, subject: record.subject, loggedFrom: w.withdrawnAt, clauses: w.clauses) : []
            if let warning = ReleasesAfterWithdrawalWarning.text(late, withdrawnAt: RFC3339Text(w.withdrawnAt), clauses: w.clauses, language: language) {
                StandardError.write(warning)
            }
            // Whom the case manager tells: partners that got data on it by referral (the export run tells its own).
            let recipients = first ? try gate.referralRecipients(ofWithdrawalOf: w.consentID, subject: record.subject, clauses: w.clauses) : []
            if json {
                let after = late.map { "{\"index\":\($0.index),\"time\":\"\($0.time)\",\"partner\":\"\($0.partner)\"}" }.joined(separator: ",")
                let lines = w.clauses.map { ",\"clauses\":" + JSONValue.strings($0).canonicalText } ?? ""
                print("{\"consent\":\"\(w.consentID)\",\"withdrawn-at\":\"\(RFC3339Text(w.withdrawnAt))\"\(lines),\"already-withdrawn\":\(!first)\(index.map { ",\"audit\":{\"index\":\($0)}" } ?? ""),\"released-after-withdrawal\":[\(after)],\"referral-recipients\":\(JSONValue.array(recipients.map(\.json)).canonicalText)}")
            } else if first, let lines = w.clauses {
                let list = lines.joined(separator: ", ")
                print(language == .de ? "Widerrufen: Zeilen (Klauseln) \(list) von \(w.consentID) am \(RFC3339Text(w.withdrawnAt))"
                                      : "Withdrawn: lines (clauses) \(list) of \(w.consentID) at \(RFC3339Text(w.withdrawnAt))")
            } else if first {
                print(language == .de ? "Widerrufen: \(w.consentID) am \(RFC3339Text(w.withdrawnAt))"
                                      : "Withdrawn: \(w.consentID) at \(RFC3339Text(w.withdrawnAt))")
            } else {
                print(language == .de ? "Bereits widerrufen: \(w.consentID) am \(RFC3339Text(w.withdrawnAt))"
                                      : "Already withdrawn: \(w.consentID) at \(RFC3339Text(w.withdrawnAt))")
            }
            if !json, let notice = ReferralRecipientsNotice.text(recipients, lines: w.clauses, consent: w.consentID, language: language) { print(notice) }
        }
    }
}

/// RFC 3339 text of a date (UTC).
func RFC3339Text(_ date: Date) -> String { RFC3339.format(date) }

/// Runs a grant given `--granted-at` (`given`); no consent-signer key valid at that time, while one is valid now, is
/// said as a problem of `--granted-at` (invalid input, exit 3), as the API names its field, instead of "no usable key for
/// role consent-signer" (exit 4), which read as a key or integrity failure (found in a review of dates). With no key
/// usable now either (expired, revoked, none), the keys are the problem and their error stays.
func namingGrantedAt<T>(_ given: String?, gate: Gate, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let SigningError.noUsableKey(role, reasons)
        where role == .consentSigner && given != nil && gate.hasUsableSigningKey(for: .consentSigner) {
        throw GrantedAtWithoutKeyError(grantedAt: given ?? "", reasons: reasons)
    }
}

/// Runs a grant, a guardian name the gate refuses as a placeholder (`GateError.guardianNameWithoutLetter`, named
/// `guardians[i].name` as in the signed payload) named as the option the user typed, `--guardian`.
func namingGuardianOption<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let GateError.guardianNameWithoutLetter(_, name) {
        throw GateError.guardianNameWithoutLetter(field: "--guardian", name: name)
    }
}

/// `--granted-at` names a time at which no consent-signer key of the trust store was valid (exit 3).
struct GrantedAtWithoutKeyError: UserFacingError, Equatable {
    /// The time as given.
    let grantedAt: String
    /// Why each consent-signer key was refused (`SigningError.noUsableKey`).
    let reasons: [LocalizedText]

    /// Invalid input (exit 3): the date, not the keys, is what to check first.
    var category: ProblemCategory { .invalidInput }

    /// The option, the time and the keys' reasons in `language`.
    func message(in language: Language) -> String {
        let why = reasons.map { $0[language] }.joined(separator: "; ")
        return language == .de
            ? "--granted-at: zu diesem Zeitpunkt (\(grantedAt)) war kein Schlüssel zum Signieren von Einwilligungen gültig\(why.isEmpty ? "" : " (\(why))"); bitte das Datum der Unterschrift prüfen. Stimmt es (eine Erklärung von vor der Einrichtung dieses Schlüssels), deckt es ein Schlüssel mit früherem not-before: consentgate keys generate --role consent-signer --not-before … (docs/keys.md)"
            : "--granted-at: no key for signing consents was valid at that time (\(grantedAt))\(why.isEmpty ? "" : " (\(why))"); check the date the declaration was signed. If it is right (a declaration from before this key was set up), a key with an earlier not-before covers it: consentgate keys generate --role consent-signer --not-before … (docs/keys.md)"
    }
}

import ArgumentParser
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import PolicyEngine
import Signing
import StrictJSON

/// `consent show ID`: the record, its verification and state.
struct ConsentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: HelpText.text("Show one consent.",
                                                                                                 de: "Eine Einwilligung anzeigen."))
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`. Only asked for when opening the installation appends (the trust store changed since the
    /// last open: its `key-event` entries); the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Argument(help: HelpText.help("The consent id.", de: "ID der Einwilligung.")) var id: String
    @Option(help: HelpText.help("State as of this time, RFC 3339 (default now).",
                                de: "Stand zu diesem Zeitpunkt, RFC 3339 (Standard: jetzt)."))
    var at: String?
    @Flag(help: HelpText.help("Print as JSON.", de: "Als JSON ausgeben.")) var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            // As `consent list --at`: the state at another moment (it could only be read for now).
            let moment = try at.map { try parseTime($0, option: "--at") }
            let gate = try installation.openGate(reading: "consent show", passphraseFile: passphrase.passphraseFile)
            let birth = try gate.consents.record(id: id).flatMap { try gate.subject(id: $0.subject)?.birthDate }
            let now = Date()
            let status = try gate.consents.show(id: id, now: now, subjectBirthDate: birth)
            print(ConsentText.render([status], json: json, language: language, at: moment ?? now, guardians: true))
        }
    }
}

/// `consent list --subject S`: every consent of a person with its state.
struct ConsentListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: HelpText.text("List a person's consents.",
                                                                                                 de: "Die Einwilligungen einer Person auflisten."))
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`. Only asked for when opening the installation appends (the trust store changed since the
    /// last open: its `key-event` entries); the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Option(help: HelpText.help("Case id.", de: "Fall-ID.")) var subject: String
    @Option(help: HelpText.help("State as of this time, RFC 3339 (default now).",
                                de: "Stand zu diesem Zeitpunkt, RFC 3339 (Standard: jetzt)."))
    var at: String?
    @Flag(help: HelpText.help("Print as JSON.", de: "Als JSON ausgeben.")) var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            // A name typed for a case id is refused (exit 3), not answered "no consents" (found in a black-box review).
            try CheckRequestError.requireCaseID(subject)
            let gate = try installation.openGate(reading: "consent list", passphraseFile: passphrase.passphraseFile)
            let birth = try gate.subject(id: subject)?.birthDate
            let now = Date()
            let list = try gate.consents.list(subject: subject, now: now, subjectBirthDate: birth)
            print(ConsentText.render(list, json: json, language: language, at: try at.map { try parseTime($0, option: "--at") } ?? now))
        }
    }
}

/// `consent verify FILE`: verify a consent or withdrawal JWS from anywhere (exit 4 when it fails).
struct ConsentVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify",
        abstract: HelpText.text("Verify a consent or withdrawal JWS file.",
                                de: "JWS-Datei einer Einwilligung oder eines Widerrufs prüfen."))
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`. Only asked for when opening the installation appends (the trust store changed since the
    /// last open: its `key-event` entries); the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Argument(help: HelpText.help("The JWS file.", de: "Die JWS-Datei.")) var file: String
    @Option(help: HelpText.help("Birth date of the person (YYYY-MM-DD or DD.MM.YYYY) for the guardian rule, if not recorded here (nothing is stored).",
                                de: "Geburtsdatum der Person (JJJJ-MM-TT oder TT.MM.JJJJ) für die Regel zu Sorgeberechtigten, falls hier nicht erfasst (es wird nichts gespeichert)."))
    var birthDate: String?
    @Flag(help: HelpText.help("Print as JSON.", de: "Als JSON ausgeben.")) var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            do { try check(language: language) } catch {
                if json { print(VerifyFailureJSON.text(error, result: "valid", language: language)) }
                throw error
            }
        }
    }

    /// The check and its answer; errors go to `run`, which prints them (and with `--json` a failed result too).
    private func check(language: Language) throws {
        do {
            let birth = try birthDate.map { try ConsentBirthDate.parse($0) }
            // Checked against what the installation holds (the person's birth date, the consent a withdrawal names).
            // Where no database exists yet (before the first import, or a mistyped --db) nothing is created: the check
            // uses no records, and the output says so.
            let databasePath = installation.configuration.databasePath
            let gate = FileManager.default.fileExists(atPath: databasePath) ? try installation.openGate(passphraseFile: passphrase.passphraseFile) : nil
            let verifier = try gate?.consents.verifier ?? Gate.consentVerifier(installation.configuration)
            let noDatabase = gate == nil ? (language == .de
                ? " (keine Datenbank unter \(databasePath): ohne erfasste Daten geprüft)"
                : " (no database at \(databasePath): checked without recorded data)") : ""
            let bytes = try ConsentExport.readDocument(atPath: file)
            let now = Date()
            switch try DocumentFileError.naming(file, { try ConsentExport.kind(of: bytes) }) {
            case .consent:
                // The guardian rule as `consent import` and every check apply it: with the person's recorded birth
                // date (or `--birth-date`); without one, a consent that may need a guardian counts only once it is known.
                let subjectID = try? SignedConsent(bytes: bytes).content.subject
                let known = try birth ?? subjectID.flatMap { try gate?.subject(id: $0)?.birthDate }
                let doc = try DocumentFileError.naming(file) { try verifier.verifyConsent(bytes, now: now, subjectBirthDate: known).get() }
                // The rest of what `consent import` checks (municipality, guardian names, another document under this id),
                // in a transaction that is rolled back: verify says "valid" only for what import would take.
                if let gate {
                    _ = try DocumentFileError.naming(file) {
                        try gate.importConsentDocument(bytes, birthDate: birth, actor: Actor(id: installation.resolvedActor), now: now, dryRun: true)
                    }
                }
                let needsBirthDate = verifier.status(consent: bytes, now: now, subjectBirthDate: known).needsBirthDate
                // The signature can hold while the installation records the consent (or lines of it) as withdrawn.
                let withdrawn = RecordedWithdrawals(try gate?.consents.record(id: doc.content.idText))
                // "valid" speaks of the document; a consent whose time has run out releases nothing all the same, and says so
                // (it read "gültig" alone: a wording review).
                let expired = now >= doc.content.expiresAt
                if json {
                    var out: [String: JSONValue] = ["kind": .string("consent"), "id": .string(doc.content.idText), "valid": .bool(true),
                                                    "needs-birth-date": .bool(needsBirthDate), "database": .bool(gate != nil),
                                                    "expired": .bool(expired)]
                    out.merge(withdrawn?.json ?? [:]) { a, _ in a }
                    print(JSONValue.object(out).canonicalText)
                } else {
                    let note = needsBirthDate ? " (\(ConsentState.needsBirthDate.words[language]))" : ""
                    let end = RFC3339.format(doc.content.expiresAt)
                    let ran = !expired || withdrawn?.whole != nil ? "" : language == .de ? " – aber abgelaufen am \(end): sie gibt nichts mehr frei"
                                                              : " – but expired at \(end): it releases nothing any more"
                    print((language == .de ? "gültig: Einwilligung \(doc.content.idText)" : "valid: consent \(doc.content.idText)") + note
                          + (withdrawn?.words(language) ?? "") + ran + noDatabase)
                }
            case .withdrawal:
                // Held to the consent it withdraws when this installation records it, as `consent import` holds it: the
                // same person, not dated before the grant.
                let named = try? SignedWithdrawal(bytes: bytes).content.consentIDText
                let row = try named.flatMap { try gate?.consents.record(id: $0) }
                let recorded = row.flatMap { try? SignedConsent(bytes: $0.jws).content }
                // As `consent show` will read it once recorded: a key revoked before now counts only for what was recorded
                // before the revocation, which a file being checked was not.
                // The same document on record here keeps the time it was recorded.
                let onRecord = row?.withdrawals.first { $0.jws == bytes }?.recordedAt
                let doc = try DocumentFileError.naming(file) {
                    try verifier.verifyRecordedWithdrawal(bytes, of: recorded, now: now, recordedAt: onRecord).get()
                }
                // The rules of a withdrawal made here (a second whole withdrawal, lines after it, the municipality), as
                // `consent import` holds it, rolled back; only when the consent is recorded (else import refuses it as such).
                if let gate, row != nil {
                    _ = try DocumentFileError.naming(file) {
                        try gate.importConsentDocument(bytes, actor: Actor(id: installation.resolvedActor), now: now, dryRun: true)
                    }
                }
                let id = doc.content.consentIDText
                if json {
                    var out: [String: JSONValue] = ["kind": .string("withdrawal"), "consent": .string(id), "valid": .bool(true),
                                                    "consent-recorded": .bool(row != nil), "database": .bool(gate != nil)]
                    // A withdrawal of single lines names them (absent: the whole consent).
                    if let lines = doc.content.clauses { out["clauses"] = .strings(lines) }
                    print(JSONValue.object(out).canonicalText)
                } else {
                    let note = row != nil ? "" : (language == .de
                        ? " (die Einwilligung ist in dieser Installation nicht erfasst; zuerst sie übernehmen, dann den Widerruf)"
                        : " (the consent is not recorded in this installation; import it first, then the withdrawal)")
                    let lines = doc.content.clauses.map { l in
                        language == .de ? " (Zeilen \(l.joined(separator: ", ")))" : " (lines \(l.joined(separator: ", ")))" } ?? ""
                    print((language == .de ? "gültig: Widerruf von \(id)" : "valid: withdrawal of \(id)") + lines + note + noDatabase)
                }
            }
        }
    }
}

/// `consent export ID --out DIR`: the signed JWS files, to move a record to another installation.
struct ConsentExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: HelpText.text("Write a consent's JWS files, e.g. to move it to another installation.",
                                                                                                   de: "Die JWS-Dateien einer Einwilligung schreiben, z. B. für die Übernahme in eine andere Installation."))
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`. Only asked for when opening the installation appends (the trust store changed since the
    /// last open: its `key-event` entries); the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Argument(help: HelpText.help("The consent id.", de: "ID der Einwilligung.")) var id: String
    @Option(help: HelpText.help("Target folder (created if missing); the files written all or none, an existing one replaced only with --force.",
                                de: "Zielordner (wird bei Bedarf angelegt); die Dateien werden alle oder keine geschrieben, eine vorhandene nur mit --force ersetzt."))
    var out: String = "."
    @Flag(help: HelpText.help("Replace existing files of this consent in the target folder.",
                              de: "Vorhandene Dateien dieser Einwilligung im Zielordner ersetzen."))
    var force = false
    @Flag(help: HelpText.help("Print as JSON: {\"consent\": id, \"files\": [paths]}.",
                              de: "Als JSON ausgeben: {\"consent\": ID, \"files\": [Pfade]}."))
    var json = false

    func run() async throws {
        try await reportingErrors(language: installation.language) {
            try OutputFile.requireFolder(out, option: "--out")
            let gate = try installation.openGate(reading: "consent export", passphraseFile: passphrase.passphraseFile)
            let export = try gate.consents.export(id: id)
            // Every file checked before the first is written: a refusal leaves the folder as it was.
            for name in [export.consentFileName] + export.withdrawalFileNames {
                try OutputFile.refuseExisting((out as NSString).appendingPathComponent(name), force: force, option: "--out")
            }
            let paths = try export.write(toDirectory: out, replacing: force)
            if json {
                print(JSONValue.object(["consent": .string(id), "files": .array(paths.map { .string($0) })]).canonicalText)
            } else {
                for path in paths { print(path) }
            }
        }
    }
}

/// `consent import FILE`: verify, then store a consent or withdrawal JWS (idempotent).
struct ConsentImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: HelpText.text("Verify and import a consent or withdrawal JWS file.",
                                                                                                   de: "JWS-Datei einer Einwilligung oder eines Widerrufs prüfen und übernehmen."))
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Argument(help: HelpText.help("The JWS file.", de: "Die JWS-Datei.")) var file: String
    @Option(help: HelpText.help("Birth date of the person (YYYY-MM-DD or DD.MM.YYYY): checks the guardian rule and is stored with the person.",
                                de: "Geburtsdatum der Person (JJJJ-MM-TT oder TT.MM.JJJJ): prüft die Regel zu Sorgeberechtigten und wird bei der Person gespeichert."))
    var birthDate: String?
    @Flag(help: HelpText.help("Print as JSON: {\"kind\": consent|withdrawal, \"id\": consent id, \"imported\": false when already present}.",
                              de: "Als JSON ausgeben: {\"kind\": consent|withdrawal, \"id\": ID der Einwilligung, \"imported\": false, wenn schon vorhanden}."))
    var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let birth = try birthDate.map { try ConsentBirthDate.parse($0) }
            let gate = try installation.openGate(appending: true, passphraseFile: passphrase.passphraseFile)
            let bytes = try ConsentExport.readDocument(atPath: file)
            let outcome = try DocumentFileError.naming(file) {
                try gate.importConsentDocument(bytes, birthDate: birth, actor: Actor(id: installation.resolvedActor))
            }
            if json {
                let (kind, id, imported) = switch outcome {
                case let .imported(kind, id): (kind.rawValue, id, true)
                case let .alreadyPresent(kind, id): (kind.rawValue, id, false)
                }
                print(JSONValue.object(["kind": .string(kind), "id": .string(id), "imported": .bool(imported)]).canonicalText)
                return
            }
            switch outcome {
            case let .imported(kind, id):
                print((language == .de ? "übernommen: " : "imported: ") + "\(ConsentText.kindWord(kind.rawValue, language)) \(id)")
            case let .alreadyPresent(kind, id):
                print((language == .de ? "bereits vorhanden: " : "already present: ") + "\(ConsentText.kindWord(kind.rawValue, language)) \(id)")
            }
        }
    }
}

/// `consent form --template T --language L`: the printable declaration as HTML.
struct ConsentFormCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "form", abstract: HelpText.text("Printable consent declaration (HTML).",
                                                                                                 de: "Druckbare Einwilligungserklärung (HTML)."))
    @Option(help: HelpText.help("Policy bundle folder.",
                                de: "Ordner des Richtlinienpakets."))
    var policy: String = "policies/kim-rhein-sieg"
    @Option(help: HelpText.help("Template id.", de: "ID der Vorlage.")) var template: String = "kim-beratung"
    @Option(help: HelpText.help("Language of the declaration (de, en, uk, ...).",
                                de: "Sprache der Erklärung (de, en, uk, ...)."))
    var language: String = "de"
    @OptionGroup var output: DocumentOutputOptions

    func run() async throws {
        let messages = Language.fromEnvironment(ProcessInfo.processInfo.environment)
        try await reportingErrors(language: messages) {
            try output.refuseExisting()
            let compiled = try CompiledPolicy.load(directory: URL(fileURLWithPath: policy))
            guard let t = compiled.bundle.templates.filter({ $0.id == template }).max(by: { $0.version < $1.version }) else {
                throw GateError.unknownTemplate(template, version: nil)
            }
            // A retired template (`recordable-until` on its current version, the day passed in Berlin) is not given out
            // to be signed any more; the consents signed on it stay valid (a copy of one prints on the web page).
            if let until = t.recordableUntil, t.isRetired(at: Date()) {
                throw GateError.retiredTemplateNotOffered(t.id, version: t.version, recordableUntil: UTCDay.format(until),
                                                          offered: compiled.bundle.templates.filter { !$0.isRetired(at: Date()) }.map(\.id))
            }
            let form = ConsentForm(template: t, language: language, bundle: compiled.bundle)
            let html = try form.html()
            try output.write(html)
        }
    }
}

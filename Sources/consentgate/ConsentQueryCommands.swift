import ArgumentParser
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import PolicyEngine
import Signing

/// `consent show ID`: the record, its verification and state.
struct ConsentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one consent / Einwilligung anzeigen")
    @OptionGroup var installation: InstallationOptions
    @Argument(help: "The consent id.") var id: String
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let gate = try installation.openGate()
            let birth = try gate.consents.record(id: id).flatMap { try gate.subject(id: $0.subject)?.birthDate }
            let status = try gate.consents.show(id: id, subjectBirthDate: birth)
            print(ConsentText.render([status], json: json, language: language))
        }
    }
}

/// `consent list --subject S`: every consent of a person with its state.
struct ConsentListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a person's consents / Einwilligungen einer Person")
    @OptionGroup var installation: InstallationOptions
    @Option(help: "Case id.") var subject: String
    @Option(help: "State as of this time, RFC 3339 (default now).") var at: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let gate = try installation.openGate()
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
        abstract: "Verify a consent or withdrawal JWS file / JWS-Datei prüfen")
    @OptionGroup var installation: InstallationOptions
    @Argument(help: "The JWS file.") var file: String
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let gate = try installation.openGate()
            let bytes = try ConsentExport.readDocument(atPath: file)
            let now = Date()
            switch try ConsentExport.kind(of: bytes) {
            case .consent:
                let doc = try gate.consents.verifier.verifyConsent(bytes, now: now).get()
                print(json ? "{\"kind\":\"consent\",\"id\":\"\(doc.content.idText)\",\"valid\":true}"
                           : (language == .de ? "gültig: Einwilligung \(doc.content.idText)" : "valid: consent \(doc.content.idText)"))
            case .withdrawal:
                let doc = try gate.consents.verifier.verifyWithdrawal(bytes, now: now).get()
                print(json ? "{\"kind\":\"withdrawal\",\"consent\":\"\(doc.content.consentIDText)\",\"valid\":true}"
                           : (language == .de ? "gültig: Widerruf von \(doc.content.consentIDText)" : "valid: withdrawal of \(doc.content.consentIDText)"))
            }
        }
    }
}

/// `consent export ID --out DIR`: the signed JWS files, to move a record to another installation.
struct ConsentExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a consent's JWS files / JWS-Dateien schreiben")
    @OptionGroup var installation: InstallationOptions
    @Argument(help: "The consent id.") var id: String
    @Option(help: "Target folder.") var out: String = "."

    func run() async throws {
        try await reportingErrors(language: installation.language) {
            let gate = try installation.openGate()
            for path in try gate.consents.export(id: id).write(toDirectory: out) { print(path) }
        }
    }
}

/// `consent import FILE`: verify, then store a consent or withdrawal JWS (idempotent).
struct ConsentImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import a verified JWS file / JWS-Datei übernehmen")
    @OptionGroup var installation: InstallationOptions
    @Argument(help: "The JWS file.") var file: String
    @Option(help: "Birth date of the person (YYYY-MM-DD or DD.MM.YYYY): checks the guardian rule and is stored with the person.")
    var birthDate: String?

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let birth = try birthDate.map { try parseDay($0, option: "--birth-date") }
            let gate = try installation.openGate()
            let bytes = try ConsentExport.readDocument(atPath: file)
            switch try gate.importConsentDocument(bytes, birthDate: birth, actor: Actor(id: installation.resolvedActor)) {
            case let .imported(kind, id): print(language == .de ? "übernommen: \(kind.rawValue) \(id)" : "imported: \(kind.rawValue) \(id)")
            case let .alreadyPresent(kind, id): print(language == .de ? "bereits vorhanden: \(kind.rawValue) \(id)" : "already present: \(kind.rawValue) \(id)")
            }
        }
    }
}

/// `consent form --template T --language L`: the printable declaration as HTML.
struct ConsentFormCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "form", abstract: "Printable declaration (HTML) / Druckbare Erklärung")
    @Option(help: "Policy bundle folder.") var policy: String = "policies/kim-rhein-sieg"
    @Option(help: "Template id.") var template: String = "kim-beratung"
    @Option(help: "Language of the declaration (de, en, uk, ...).") var language: String = "de"
    @Option(help: "Write to this file instead of standard output.") var out: String?

    func run() async throws {
        let messages = Language.fromEnvironment(ProcessInfo.processInfo.environment)
        try await reportingErrors(language: messages) {
            let compiled = try CompiledPolicy.load(directory: URL(fileURLWithPath: policy))
            guard let t = compiled.bundle.templates.filter({ $0.id == template }).max(by: { $0.version < $1.version }) else {
                throw GateError.unknownTemplate(template, version: nil)
            }
            let lang: Language = language == "de" ? .de : .en
            let form = ConsentForm(
                template: t, language: language,
                partnerNames: Dictionary(uniqueKeysWithValues: compiled.bundle.partners.map { ($0.id, $0.name[lang]) }),
                purposeNames: Dictionary(uniqueKeysWithValues: compiled.bundle.purposes.map { ($0.id, $0.label[lang]) }),
                categoryNames: Dictionary(uniqueKeysWithValues: compiled.bundle.categories.map { ($0.id, $0.label[lang]) }))
            let html = try form.html()
            if let out {
                try AtomicFile.write(Array(html.utf8), to: out, mode: 0o644)
            } else {
                print(html, terminator: "")
            }
        }
    }
}

/// Human and JSON renderings of consent states.
enum ConsentText {
    static func render(_ list: [ConsentStatus], json: Bool, language: Language, at time: Date = Date()) -> String {
        if json {
            return "[" + list.map { $0.summary(at: time, language: language).canonicalText }
                .joined(separator: ",") + "]"
        }
        if list.isEmpty { return language == .de ? "keine Einwilligungen" : "no consents" }
        return list.map { s in
            let f = s.fact
            let state = s.state(at: time).rawValue
            let hint = s.state(at: time) == .needsBirthDate ? "\n    ! " + ConsentState.needsBirthDate.words[language]
                + (language == .de ? " – z. B. mit „consent import --birth-date“ oder dem nächsten Export der Liste erfassen"
                                  : " – record it, e.g. with `consent import --birth-date` or the next export of the list") : ""
            var line = "\(s.id)  \(state)  \(f.templateID) v\(f.templateVersion)  [\(f.clauses.joined(separator: ","))]  \(RFC3339.format(f.grantedAt)) → \(RFC3339.format(f.expiresAt))"
            if let w = f.withdrawnAt { line += language == .de ? "  widerrufen \(RFC3339.format(w))" : "  withdrawn \(RFC3339.format(w))" }
            for failure in s.failures { line += "\n    ! " + failure.message(in: language) }
            return line + hint
        }.joined(separator: "\n")
    }
}

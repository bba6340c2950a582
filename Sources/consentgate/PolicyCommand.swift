import ArgumentParser
import Diagnostics
import Foundation
import PolicyEngine

/// `consentgate policy`: validate a bundle, run its test cases, show its release matrix, and compare two bundles.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: HelpText.text("Check, test, explain and compare policy bundles.",
                                de: "Richtlinienpakete prüfen, testen, erläutern und vergleichen."),
        subcommands: [PolicyCheckCommand.self, PolicyTestCommand.self, PolicyExplainCommand.self, PolicyDiffCommand.self])
}

/// A bundle's problems, with which of two bundles it is (`Altes Paket (path): …`).
struct NamedBundleError: UserFacingError {
    let role: LocalizedText
    let path: String
    let error: PolicyError
    var category: ProblemCategory { error.category }
    func message(in language: Language) -> String { "\(role[language]) (\(path)): \(error.message(in: language))" }
}

/// Shared helpers of the policy subcommands.
enum PolicyCLI {
    /// The language of the policy subcommands' messages and tables: `CONSENTGATE_LANG`, then `LANG` (they have no
    /// `--lang`).
    static var language: Language { Language.fromEnvironment(ProcessInfo.processInfo.environment) }

    /// Loads and compiles a bundle, or prints every problem to stderr and exits with code 3.
    /// `role` names the bundle in the message when a command reads two (`policy diff`'s old and new: both hold a
    /// `rules.yaml`, and a review found "rules.yaml:114:5 …" without saying which).
    static func load(_ path: String, role: LocalizedText? = nil) throws -> CompiledPolicy {
        // An empty path is a usage error (exit 2): it read the current folder ("`policy.yaml` is missing in /home/…").
        if path.isEmpty {
            let empty = UsageError(de: (role.map { "\($0.de): " } ?? "") + "Der Ordner des Richtlinienpakets ist leer angegeben",
                                   en: (role.map { "\($0.en): " } ?? "") + "the bundle folder is given empty")
            StandardError.write(ErrorFormatter.format(empty, language: language) + "\n")
            throw ExitCode(ErrorFormatter.exitCode(for: empty))
        }
        do {
            return try CompiledPolicy.load(directory: URL(fileURLWithPath: path))
        } catch {
            let named: any Error = if let role { NamedBundleError(role: role, path: path, error: error) } else { error }
            StandardError.write(ErrorFormatter.format(named, language: language) + "\n")
            throw ExitCode(ErrorFormatter.exitCode(for: error))
        }
    }

    /// Writes `text` to standard output as it is (no newline added, unlike `print`).
    static func write(_ text: String) { StandardOutput.write(text) }

    /// Runs `body`, printing a ConsentGate error through the one formatter and exiting with its category's code.
    static func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let error as any UserFacingError {
            StandardError.write(ErrorFormatter.format(error, language: language) + "\n")
            throw ExitCode(ErrorFormatter.exitCode(for: error))
        }
    }
}

/// `consentgate policy check <bundle>`.
struct PolicyCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check",
        abstract: HelpText.text("Validate a policy bundle; errors with file:line:column (exit 3).",
                                de: "Richtlinienpaket prüfen; Fehler mit Datei:Zeile:Spalte (Exit-Code 3)."))
    @Argument(help: HelpText.help("The bundle folder, e.g. policies/kim-rhein-sieg",
                                  de: "Ordner des Richtlinienpakets, z. B. policies/kim-rhein-sieg"))
    var bundle: String
    @Flag(help: HelpText.help("Print the summary as JSON", de: "Zusammenfassung als JSON ausgeben")) var json = false

    func run() throws {
        let p = try PolicyCLI.load(bundle)
        let b = p.bundle
        let notices = ExportColumnNotice.all(in: p)
        if json {
            let v: OrderedJSON = .object([("id", .string(b.id)), ("version", .string(b.version)), ("digest", .string(p.digest)),
                ("categories", .int(b.categories.count)), ("fields", .int(b.fields.count)), ("partners", .int(b.partners.count)),
                ("purposes", .int(b.purposes.count)), ("rules", .int(b.rules.count)), ("templates", .int(b.templates.count)),
                ("exports", .int(b.exports.count)), ("tests", .int(b.tests.count)),
                ("notices", .array(notices.map { .object([("profile", .string($0.profile)), ("field", .string($0.field)),
                                                          ("message", .string($0.message(in: PolicyCLI.language)))]) }))])
            PolicyCLI.write(v.serialized + "\n")
            return
        }
        let counts = "\(b.fields.count) fields, \(b.partners.count) partners, \(b.purposes.count) purposes, \(b.rules.count) rules, \(b.templates.count) templates, \(b.exports.count) exports, \(b.tests.count) tests"
        let countsDE = "\(b.fields.count) Felder, \(b.partners.count) Partner, \(b.purposes.count) Zwecke, \(b.rules.count) Regeln, \(b.templates.count) Vorlagen, \(b.exports.count) Exportprofile, \(b.tests.count) Testfälle"
        PolicyCLI.write(PolicyCLI.language == .de ? "OK \(b.id) \(b.version) (\(countsDE)) \(p.digest)\n"
                                                  : "OK \(b.id) \(b.version) (\(counts)) \(p.digest)\n")
        for n in notices { PolicyCLI.write(n.message(in: PolicyCLI.language) + "\n") }
    }
}

/// `consentgate policy test <bundle>`.
struct PolicyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test",
        abstract: HelpText.text("Run the bundle's tests/*.yaml cases; exit 1 if any fails.",
                                de: "Testfälle des Pakets (tests/*.yaml) ausführen; Exit-Code 1, wenn einer fehlschlägt."))
    @Argument(help: HelpText.help("The bundle folder", de: "Ordner des Richtlinienpakets")) var bundle: String
    @Flag(help: HelpText.help("Print the results as JSON", de: "Ergebnisse als JSON ausgeben")) var json = false

    func run() throws {
        let p = try PolicyCLI.load(bundle)
        let results = PolicyTestRunner.run(p)
        let failed = results.filter { !$0.passed }
        let de = PolicyCLI.language == .de
        if json {
            let failures: [OrderedJSON] = failed.map { r in
                let fields: [OrderedJSON] = r.failures.map { f in
                    .object([("field", .string(f.field)), ("differences", .array(f.differences.map { .string($0[de ? .de : .en]) }))])
                }
                return .object([("case", .string(r.name)), ("location", .string(r.location?.description ?? "")), ("fields", .array(fields))])
            }
            let v: OrderedJSON = .object([("passed", .int(results.count - failed.count)), ("failed", .int(failed.count)),
                                        ("failures", .array(failures))])
            PolicyCLI.write(v.serialized + "\n")
        } else {
            for r in failed {
                PolicyCLI.write((de ? "FEHLGESCHLAGEN" : "FAILED") + " \(r.location.map { "\($0): " } ?? "")\(r.name)\n")
                for f in r.failures {
                    PolicyCLI.write("  \(f.field): \(f.differences.map { $0[PolicyCLI.language] }.joined(separator: "; "))\n")
                }
            }
            PolicyCLI.write(de ? "\(results.count - failed.count) von \(results.count) Testfällen bestanden\n"
                               : "\(results.count - failed.count) of \(results.count) test cases passed\n")
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

/// `consentgate policy explain <bundle> [--partner P] [--purpose U] [--format table|markdown|csv|json]`.
struct PolicyExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain",
        abstract: HelpText.text("Show the release matrix per partner and purpose.",
                                de: "Freigabematrix je Partner und Zweck anzeigen."))
    /// The forms of the release matrix (`ReleaseMatrix`): an aligned text table, a Markdown table, CSV (RFC 4180,
    /// one line per partner, purpose, rule and field), or versioned JSON for programs; `--json` is `--format json`.
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, markdown, csv, json }
    @Argument(help: HelpText.help("The bundle folder", de: "Ordner des Richtlinienpakets")) var bundle: String
    @Option(help: HelpText.help("Only this partner", de: "Nur dieser Partner")) var partner: String?
    @Option(help: HelpText.help("Only this purpose", de: "Nur dieser Zweck")) var purpose: String?
    @Option(help: HelpText.help("table, markdown, csv or json",
                                de: "table, markdown, csv oder json"))
    var format: Format?
    @Flag(help: HelpText.help("Same as --format json", de: "Wie --format json")) var json = false

    func run() throws {
        // `--json` is `--format json`: with another format the two contradict each other, as for `audit report`.
        if json, let format, format != .json {
            try PolicyCLI.reporting {
                throw UsageError(de: "--format \(format.rawValue) und --json widersprechen sich (--json heißt --format json); eines davon weglassen",
                                 en: "--format \(format.rawValue) and --json contradict each other (--json means --format json); leave one out")
            }
        }
        let p = try PolicyCLI.load(bundle)
        // As `check` refuses them (CONTRACTS §8): an id the policy does not know is invalid input (exit 3), with the known ids.
        try PolicyCLI.reporting { try CheckRequestError.requireKnown(partner: partner, purpose: purpose, in: p) }
        let matrix = ReleaseMatrix(p, partner: partner, purpose: purpose)
        switch json ? .json : format ?? .table {
        case .table: PolicyCLI.write(matrix.table(in: PolicyCLI.language))
        case .markdown: PolicyCLI.write(matrix.markdown(in: PolicyCLI.language))
        case .csv: PolicyCLI.write(matrix.csv())
        case .json: PolicyCLI.write(matrix.json().serialized + "\n")
        }
    }
}

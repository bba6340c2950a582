import Foundation
import Testing

/// `--help` of the real binary shows our own texts (abstracts, discussions, option help) in one language, chosen
/// from the environment like messages: `CONSENTGATE_LANG`, then `LANG`, then German (`HelpText`).
@Suite struct HelpLanguageCLITests {
    /// One help screen and a text of ours on it, in both languages.
    struct Case: Sendable, CustomTestStringConvertible {
        let command: [String]
        let german: String
        let english: String
        var testDescription: String { command.isEmpty ? "consentgate" : command.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(command: [], german: "Einwilligungs- und Datenweitergabe-Prüfung", english: "Consent and data-sharing policy engine"),
        Case(command: ["export"], german: "Ordner für den Quarantänebericht", english: "Folder for the quarantine report"),
        Case(command: ["audit"], german: "Das manipulationssichere Audit-Protokoll prüfen",
             english: "Verify, prove and query the tamper-evident audit log"),
        Case(command: ["audit", "verify"], german: "Merkle-Baum neu berechnen", english: "Recompute the Merkle tree"),
        Case(command: ["audit", "report"], german: "Auskunft nach Art. 15 Abs. 1 lit. c DSGVO",
             english: "The GDPR Art. 15(1)(c) report"),
        Case(command: ["consent", "grant"], german: "Fall-ID der Person", english: "Case id of the person"),
        Case(command: ["check"], german: "Entscheidungszeitpunkt, RFC 3339", english: "Decision time, RFC 3339"),
        Case(command: ["serve"], german: "Weboberfläche und API starten", english: "Run the web service and API"),
        Case(command: ["users", "add"], german: "Konto anlegen; zeigt das API-Token einmalig an",
             english: "Create an account; prints its API token once"),
        Case(command: ["keys"], german: "Exit-Codes: 0 in Ordnung", english: "Exit codes: 0 ok"),
        Case(command: ["keys", "generate"], german: "Schlüsselpaar erzeugen und in den Trust-Store eintragen",
             english: "Generate a key pair and add it to the trust store"),
        Case(command: ["policy", "check"], german: "Ordner des Richtlinienpakets", english: "The bundle folder"),
    ]

    /// Every (sub)command a user can see, for the whole-screen checks.
    static let allCommands: [[String]] = [
        [], ["check"], ["export"], ["serve"],
        ["keys"], ["keys", "generate"], ["keys", "list"], ["keys", "show"], ["keys", "sign"], ["keys", "verify"],
        ["policy"], ["policy", "check"], ["policy", "test"], ["policy", "explain"], ["policy", "diff"],
        ["consent"], ["consent", "grant"], ["consent", "withdraw"], ["consent", "show"], ["consent", "list"],
        ["consent", "verify"], ["consent", "export"], ["consent", "import"], ["consent", "form"], ["consent", "form-language"], ["consent", "record-notice"],
        ["audit"], ["audit", "verify"], ["audit", "checkpoint"], ["audit", "prove"], ["audit", "consistency"],
        ["audit", "log"], ["audit", "report"], ["audit", "stats"], ["audit", "key"], ["audit", "explain"],
        ["users"], ["users", "add"], ["users", "list"], ["users", "disable"], ["users", "token"], ["users", "password"],
        ["backup"], ["restore"],
    ]

    /// `allCommands` is every command the help lists (read from each group's SUBCOMMANDS section), so a new command
    /// cannot miss the whole-screen checks below.
    @Test func allCommandsIsTheWholeCommandTree() throws {
        func listed(_ group: [String]) throws -> [[String]] {
            let r = try CLIRunner.run(group + ["--help"], environment: ["CONSENTGATE_LANG": "en"])
            guard let after = r.stdout.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { return [] }
            // The section ends at its first empty line (the "See 'consentgate help …'" hint follows). Each subcommand's
            // line starts with two spaces and its name; wrapped abstracts are indented further.
            let section = after.components(separatedBy: "\n\n")[0]
            let names = section.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
                .compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(group.count < 3 && !names.isEmpty, "\(group): \(r)")
            guard group.count < 3 else { return [] }
            return try names.flatMap { name in [group + [name]] + (try listed(group + [name])) }
        }
        let tree = try listed([])
        #expect(tree.count > 30)
        #expect(Set(tree + [[]]) == Set(Self.allCommands))
    }

    /// The help screen of `command` with `CONSENTGATE_LANG=language`, whitespace runs collapsed to one space so
    /// that a text wrapped across lines still matches.
    static func help(_ command: [String], language: String, extra: [String] = []) throws -> String {
        let r = try CLIRunner.run(command + ["--help"] + extra, environment: ["CONSENTGATE_LANG": language])
        #expect(r.exitCode == 0, "\(r)")
        return r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test(arguments: cases)
    func germanHelpWithCONSENTGATE_LANGde(_ c: Case) throws {
        let text = try Self.help(c.command, language: "de")
        #expect(text.contains(c.german), "\(text)")
        #expect(!text.contains(c.english), "\(text)")
    }

    @Test(arguments: cases)
    func englishHelpWithCONSENTGATE_LANGen(_ c: Case) throws {
        let text = try Self.help(c.command, language: "en")
        #expect(text.contains(c.english), "\(text)")
        #expect(!text.contains(c.german), "\(text)")
    }

    /// German is the default: any `CONSENTGATE_LANG` not starting with `en` gives German help.
    @Test func germanIsTheDefault() throws {
        let text = try Self.help(["export"], language: "fr")
        #expect(text.contains("Registrierungsliste in die Laufwerksordner der Partner exportieren"), "\(text)")
    }

    /// `--lang` decides the help's language too, over the environment (before 2026-12-06 it could not: ArgumentParser
    /// prints help before a command reads its options, so `HelpText` now looks for it in the arguments); its own help
    /// says so. The last `--lang` wins, as for the parser; `--lang=en` counts too.
    @Test func langOptionChangesHelpAndSaysSo() throws {
        let english = try Self.help(["check"], language: "de", extra: ["--lang", "en"])
        #expect(english.contains("Decision time, RFC 3339"), "\(english)")
        #expect(english.contains("Also of this help"), "\(english)")
        let german = try Self.help(["check"], language: "en", extra: ["--lang=DE"])
        #expect(german.contains("Entscheidungszeitpunkt, RFC 3339"), "\(german)")
        #expect(german.contains("Gilt auch für diese Hilfe"), "\(german)")
        let last = try Self.help(["check"], language: "de", extra: ["--lang", "de", "--lang", "en"])
        #expect(last.contains("Decision time, RFC 3339"), "\(last)")
    }

    /// A refusal while the options are parsed (a validation error) follows `--lang` as well.
    @Test func parseTimeRefusalsFollowLang() throws {
        let r = try CLIRunner.run(["audit", "log", "--demo", "--limit", "-5", "--lang", "en"], environment: ["CONSENTGATE_LANG": "de"])
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("--limit takes a whole number of entries from 1 up, not -5"), "\(r)")
        let d = try CLIRunner.run(["audit", "log", "--demo", "--lang", "de", "--limit", "-5"], environment: ["CONSENTGATE_LANG": "en"])
        #expect(d.stderr.contains("--limit erwartet eine ganze Zahl von Einträgen ab 1, nicht -5"), "\(d)")
    }

    /// No English text is left on a German help screen: neither ours nor ArgumentParser's own words
    /// (`USAGE:`, `Show help information.`, `(default: …)`, given German words by `ParserWords`).
    @Test(arguments: allCommands)
    func germanHelpHasNoEnglishLeft(_ command: [String]) throws {
        var text = try Self.help(command, language: "de")
        // `default:` also inside `(values: …; default: …)`, which an option with a list of values gets.
        for heading in ["OVERVIEW:", "USAGE:", "OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:", "default:", "(values:", "See '"] {
            #expect(!text.contains(heading), "\(heading) in the German help of \(command): \(text)")
        }
        // Option names, value names (`--from <from>`) and quoted commands (`'consentgate help …'`) are not words.
        for pattern in [#"'consentgate[^']*'"#, #"--[\w-]+"#, #"<[^>]*>"#] {
            text = text.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        let english = #"\b(the|of|or|and|to|with|from|this|that|when|each|per|Print|Only|Show|List|Write|information)\b"#
        let found = text.range(of: english, options: .regularExpression).map { String(text[$0]) }
        #expect(found == nil, "English word \(found ?? "") in the German help of \(command): \(text)")
    }

    /// An option's help states its default once: ArgumentParser appends `(default: …)` itself, so a help text
    /// that also names the default shows it twice (`(Standard: Loopback). (Standard: 127.0.0.1)`).
    @Test(arguments: allCommands)
    func noOptionGivesItsDefaultTwice(_ command: [String]) throws {
        for (language, word) in [("de", "Standard"), ("en", "default")] {
            let r = try CLIRunner.run(command + ["--help"], environment: ["CONSENTGATE_LANG": language])
            // One paragraph per option: an option line starts with spaces and `-`; its help runs until the next one.
            let options = r.stdout.components(separatedBy: "\n  -").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            for option in options.dropFirst() {
                let mentions = option.components(separatedBy: "(\(word)").count - 1 + option.components(separatedBy: "by default").count - 1
                #expect(mentions <= 1, "\(command) [\(language)]: the default twice in `\(option)`")
            }
        }
    }

    /// English help keeps the library's words as they are.
    @Test func englishHelpKeepsTheLibrarysWords() throws {
        let text = try Self.help(["export"], language: "en")
        #expect(text.contains("USAGE: consentgate export [<options>]") && text.contains("OPTIONS:") && text.contains("(default: keys/trust.yaml)"),
                "\(text)")
    }

    /// The parser's usage errors (exit 2) in the help language.
    @Test(arguments: [
        (["export", "--drive", "x"], "Fehler: Erforderliche Angabe fehlt: '--input <input>'",
         "Error: Missing expected argument '--input <input>'"),
        (["export", "--input", "a", "--drive", "b", "--lang", "xx"],
         "Fehler: Der Wert 'xx' ist für '--lang <lang>' ungültig. Erlaubt ist eines von: 'de' und 'en'.",
         "Error: The value 'xx' is invalid for '--lang <lang>'. Please provide one of 'de' and 'en'."),
        (["frobnicate"], "Fehler: Unerwartete Angabe 'frobnicate'", "Error: Unexpected argument 'frobnicate'"),
        (["policy", "validate", "x"], "Fehler: 2 unerwartete Angaben: 'validate', 'x'", "Error: 2 unexpected arguments: 'validate', 'x'"),
        (["export", "--input", "a", "--drive", "b", "--full=yes"],
         "Fehler: Die Option '--full' nimmt keinen Wert an, angegeben war aber 'yes'.",
         "Error: The option '--full' does not take any value, but 'yes' was specified."),
        (["audit", "log", "--knd", "decision"], "Fehler: Unbekannte Option '--knd'. Meinten Sie '--kind'?",
         "Error: Unknown option '--knd'. Did you mean '--kind'?"),
        (["policy", "explain", "policies/kim-rhein-sieg", "--format", "xml"],
         "Fehler: Der Wert 'xml' ist für '--format <format>' ungültig. Erlaubt ist eines von: 'table', 'markdown', 'csv' oder 'json'.",
         "Error: The value 'xml' is invalid for '--format <format>'. Please provide one of 'table', 'markdown', 'csv' or 'json'."),
    ])
    func usageErrorsInTheHelpLanguage(_ c: (args: [String], german: String, english: String)) throws {
        let de = try CLIRunner.run(c.args, environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 2, "\(de)")
        #expect(de.stderr.hasPrefix(c.german), "\(de.stderr)")
        #expect(de.stderr.contains("Mehr dazu: 'consentgate") && !de.stderr.contains("See '"), "\(de.stderr)")
        let en = try CLIRunner.run(c.args, environment: ["CONSENTGATE_LANG": "en"])
        #expect(en.exitCode == 2, "\(en)")
        #expect(en.stderr.hasPrefix(c.english), "\(en.stderr)")
    }
}

extension HelpLanguageCLITests {
    /// The top-level help no longer promises `--lang` for every command (found in a domain review: `policy explain --lang
    /// en` and `help check --lang en` were refused although it said "--lang … comes first, for this help too"); it says
    /// which commands have none, and a command's own `--lang` works for its help.
    @Test func theTopLevelHelpSaysWhichCommandsHaveLang() throws {
        let english = try Self.help([], language: "en")
        // consent form and form-language have none either (a wording review: the help named only keys and policy).
        #expect(english.contains("the keys and policy commands and consent form and form-language"), "\(english)")
        #expect(english.contains("have none, CONSENTGATE_LANG applies"), "\(english)")
        let form = try CLIRunner.run(["consent", "form", "--lang", "en"], environment: ["CONSENTGATE_LANG": "en"], workingDirectory: CLIRunner.packageRoot)
        #expect(form.exitCode == 2, "as the help now says: \(form)")
        let policy = try CLIRunner.run(["policy", "explain", "policies/kim-rhein-sieg", "--lang", "en"], environment: ["CONSENTGATE_LANG": "en"],
                                       workingDirectory: CLIRunner.packageRoot)
        #expect(policy.exitCode == 2, "as the help now says: \(policy)")
    }

    /// The English help of `export --mapping` names the English header line the parser takes (it gave only the German
    /// "Spalte;Feld": a wording review).
    @Test func theMappingHelpNamesTheEnglishHeaderToo() throws {
        let english = try Self.help(["export"], language: "en")
        #expect(english.contains("Header mapping file (header line column;field, or Spalte;Feld)."), "\(english)")
    }
}

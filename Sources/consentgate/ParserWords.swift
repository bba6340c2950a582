import Diagnostics
import Foundation

/// ArgumentParser's own words on help screens and in its usage errors (`USAGE:`, `OPTIONS:`, `Show help
/// information.`, `(default: …)`, `Error: Missing expected argument …`) in the help language. The library
/// writes them in English only; German help screens and usage errors are given German framing here, so a
/// case manager's screen is German throughout. Each phrase the library uses is listed with its German
/// words; anything not listed passes through unchanged.
enum ParserWords {
    /// `(pattern, replacement)` in order; patterns are regular expressions over the whole text.
    static let german: [(String, String)] = [
        (#"(?m)^OVERVIEW:"#, "ÜBERSICHT:"),
        (#"(?m)^USAGE:"#, "AUFRUF:"),
        (#"(?m)^ARGUMENTS:"#, "ARGUMENTE:"),
        (#"(?m)^OPTIONS:"#, "OPTIONEN:"),
        (#"(?m)^SUBCOMMANDS:"#, "UNTERBEFEHLE:"),
        (#"Show help information\."#, "Hilfe anzeigen."),
        (#"\(default:"#, "(Standard:"),
        (#";(\s+)default:"#, ";$1Standard:"),   // `(values: a, b; default: a)` of an option with a list of values
        (#"\(values:"#, "(Werte:"),
        (#"<options>"#, "<Optionen>"),
        (#"See '([^']*) <subcommand>' for detailed help\."#, "Ausführliche Hilfe: '$1 <Unterbefehl>'."),
        (#"<subcommand>"#, "<Unterbefehl>"),
        (#"See '([^']*)' for more information\."#, "Mehr dazu: '$1'."),
        (#"(?m)^Error: "#, "Fehler: "),
        (#"(?m)^Help: "#, "Hilfe: "),
        (#"(?m)^Usage: "#, "Aufruf: "),
        (#"Missing expected argument '([^']*)'"#, "Erforderliche Angabe fehlt: '$1'"),
        (#"Missing value for '([^']*)'"#, "Wert fehlt für '$1'"),
        (#"Unknown option '([^']*)'"#, "Unbekannte Option '$1'"),
        (#"Unexpected argument '([^']*)'"#, "Unerwartete Angabe '$1'"),
        (#"Unexpected arguments: "#, "Unerwartete Angaben: "),
        (#"(\d+) unexpected arguments: "#, "$1 unerwartete Angaben: "),
        (#"The option '([^']*)' does not take any value, but '([^']*)' was specified\."#,
         "Die Option '$1' nimmt keinen Wert an, angegeben war aber '$2'."),
        (#"Invalid option: "#, "Ungültige Option: "),
        (#"Missing required subcommand\."#, "Unterbefehl fehlt."),
        (#"Missing one of: "#, "Es fehlt eines von: "),
        (#"The value '([^']*)' is invalid\."#, "Der Wert '$1' ist ungültig."),
        (#"Please provide one of the following:"#, "Erlaubt ist eines von:"),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "Der Wert '$1' ist für '$2' ungültig"),
        (#"Please provide one of "#, "Erlaubt ist eines von: "),
        (#"'([^']*)' and '([^']*)'"#, "'$1' und '$2'"),
        (#"'([^']*)' or '([^']*)'"#, "'$1' oder '$2'"),
        (#"Did you mean '([^']*)'\?"#, "Meinten Sie '$1'?"),
    ]

    /// `text` with the library's words in `language` (English text is returned as it is).
    static func localized(_ text: String, in language: Language) -> String {
        guard language == .de else { return text }
        var out = text
        for (pattern, replacement) in german {
            out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return out
    }
}

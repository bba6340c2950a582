import ArgumentParser
import Diagnostics
import Foundation

/// The command line's own help texts – command abstracts and discussions, the help of every option, flag and
/// argument – in one language, German or English, chosen exactly as messages are chosen: `--lang`, then
/// `CONSENTGATE_LANG`, then `LANG`, then German. This keeps the project rule "everything a user reads exists in German
/// and English" for `--help` too, without printing both languages side by side.
///
/// ArgumentParser builds and prints `--help` (and its own usage errors and the commands' validation errors) while
/// parsing, before any command reads its options, so `--lang` is looked for in the arguments themselves
/// (`languageArgument`). Before 2026-12-06 it was not, and `--lang en --help` printed German help, `--lang en
/// --limit -5` a German refusal. ArgumentParser's own words (`USAGE:`, `OPTIONS:`, `Show help information.`,
/// `(default: …)`, its usage errors) come from the library in English; `ParserWords` gives them German words.
enum HelpText {
    /// The help language, resolved once per process from the environment: ArgumentParser reads the help of
    /// each command and option while it builds its help screen, and one answer for the whole run keeps every
    /// text of that screen in the same language.
    static let language: Language = languageArgument(CommandLine.arguments)
        ?? Language.fromEnvironment(ProcessInfo.processInfo.environment)

    /// The language a `--lang de|en` (or `--lang=de|en`, any case) among `arguments` asks for, the last one winning as
    /// ArgumentParser takes the last; nil without one, or for another value (the parser refuses that by name). Nothing
    /// after `--` counts: that is an argument, not an option.
    static func languageArgument(_ arguments: [String]) -> Language? {
        var found: Language?
        var i = 1
        while i < arguments.count, arguments[i] != "--" {
            let a = arguments[i]
            if a == "--lang", i + 1 < arguments.count {
                found = Language(rawValue: arguments[i + 1].lowercased()) ?? found
                i += 1
            } else if a.hasPrefix("--lang=") {
                found = Language(rawValue: String(a.dropFirst("--lang=".count)).lowercased()) ?? found
            }
            i += 1
        }
        return found
    }

    /// `en` or `de`, whichever is the help language. For `abstract:` and `discussion:` of a
    /// `CommandConfiguration`, which take plain strings.
    static func text(_ en: String, de: String) -> String {
        language == .de ? de : en
    }

    /// The help of an `@Option`, `@Flag` or `@Argument` in the help language. `valueName` and `visibility`
    /// pass through to `ArgumentHelp` unchanged, so an option that needs them keeps them when translated.
    static func help(_ en: String, de: String, valueName: String? = nil,
                     visibility: ArgumentVisibility = .default) -> ArgumentHelp {
        ArgumentHelp(text(en, de: de), valueName: valueName, visibility: visibility)
    }
}

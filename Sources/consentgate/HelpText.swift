import ArgumentParser
import Diagnostics
import Foundation

/// The command line's own help texts – command abstracts and discussions, the help of every option, flag and
/// argument – in one language, German or English, chosen exactly as messages are chosen: `CONSENTGATE_LANG`,
/// then `LANG`, then German (`Language.fromEnvironment`). This keeps the project rule "everything a user reads
/// exists in German and English" for `--help` too, without printing both languages side by side.
///
/// `--lang` cannot change the help language: ArgumentParser builds and prints `--help` (and its own usage
/// errors) while parsing, before any command's code runs and so before `--lang` is read. For English help set
/// `CONSENTGATE_LANG=en`. ArgumentParser's own words (`USAGE:`, `OPTIONS:`, `Show help information.`,
/// `(default: …)`, its usage errors) come from the library in English; `ParserWords` gives them German words.
enum HelpText {
    /// The help language, resolved once per process from the environment: ArgumentParser reads the help of
    /// each command and option while it builds its help screen, and one answer for the whole run keeps every
    /// text of that screen in the same language.
    static let language: Language = Language.fromEnvironment(ProcessInfo.processInfo.environment)

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

import ArgumentParser
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// `consent form-language --from en --as ar`: the built-in wording of the printed declaration as a policy's
/// `form-languages` entry, with the words for every template's longest validity in the policy, for a county's
/// translator to translate and add to the policy folder.
struct ConsentFormLanguageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form-language",
        abstract: HelpText.text("The declaration's wording as policy YAML, to translate into another language.",
                                de: "Den Rahmentext der Erklärung als Richtlinien-YAML, zum Übersetzen in eine weitere Sprache."))
    @Option(help: HelpText.help("Policy bundle folder (its templates' validities are given words).",
                                de: "Ordner des Richtlinienpakets (die Gültigkeiten seiner Vorlagen erhalten Worte)."))
    var policy: String = "policies/kim-rhein-sieg"
    @Option(help: HelpText.help("Built-in language to start from (de, en, uk).", de: "Eingebaute Sprache als Ausgangstext (de, en, uk)."))
    var from: String = "en"
    @Option(name: .customLong("as"), help: HelpText.help("Language code of the translation (ar, fa, tr, ...); --from's code when not given.",
                                                          de: "Sprachcode der Übersetzung (ar, fa, tr, ...); ohne Angabe der von --from."))
    var code: String?
    @OptionGroup var output: DocumentOutputOptions

    func run() async throws {
        let messages = Language.fromEnvironment(ProcessInfo.processInfo.environment)
        try await reportingErrors(language: messages) {
            let target = code ?? from
            guard FormLanguage.isLanguageCode(target) else {
                throw ValidationError(messages == .de ? "--as: `\(target)` ist kein Sprachcode wie ar, fa oder ckb"
                                                      : "--as: `\(target)` is not a language code such as ar, fa or ckb")
            }
            try output.refuseExisting()
            let bundle = try CompiledPolicy.load(directory: URL(fileURLWithPath: policy)).bundle
            let durations = Set(bundle.templateVersions.map(\.maxValidity))
            guard var wording = ConsentForm.builtInWording(from, durations: Array(durations)) else {
                throw UsageError(de: "--from: `\(from)` hat keinen eingebauten Text (eingebaut: \(ConsentForm.supportedLanguages.joined(separator: ", ")))",
                                 en: "--from: `\(from)` has no built-in wording (built in: \(ConsentForm.supportedLanguages.joined(separator: ", ")))")
            }
            wording.code = target
            // The names in the language started from (the county's where it gives them), for the translator to translate.
            wording.names = ConsentForm.names(in: from, bundle: bundle)
            if target != from {
                // The name is the translator's to give; the direction is known for the languages written right to left,
                // and the loader insists on it (a starting point left `ltr` printed Arabic the wrong way: a review).
                wording.name = LocalizedText(de: target, en: target)
                wording.rightToLeft = FormLanguage.isWrittenRightToLeft(target)
            }
            let yaml = FormLanguageYAML.text(of: wording, translatedFrom: from)
            try output.write(yaml)
        }
    }
}

import ArgumentParser
import Diagnostics
import Foundation
import PolicyEngine

/// `consentgate policy diff <old bundle> <new bundle> [--json]`: what a policy change changes, field by field, for
/// each partner and purpose (`PolicyDiff`), the export profiles and the consent templates (with a warning first for a
/// template changed under its unchanged id and version), for the DPO's review before the new bundle is put in force.
struct PolicyDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff",
        abstract: HelpText.text("Compare two policy bundles: which fields each partner receives, for which purpose, on which basis.",
                                de: "Zwei Richtlinienpakete vergleichen: welche Felder jeder Partner zu welchem Zweck auf welcher Grundlage erhält."))
    @Argument(help: HelpText.help("The bundle in force (or before the change)", de: "Das geltende Paket (oder das vor der Änderung)"))
    var old: String
    @Argument(help: HelpText.help("The changed bundle", de: "Das geänderte Paket"))
    var new: String
    @Flag(help: HelpText.help("Print the changes as JSON", de: "Änderungen als JSON ausgeben")) var json = false
    @Flag(help: HelpText.help("Exit 1 when the new bundle releases a field more openly, widens an export profile, moves a partner's drive folder or reads an attribute that rules test otherwise (for a review script)",
                              de: "Mit Code 1 enden, wenn das neue Paket ein Feld offener freigibt, ein Exportprofil erweitert, den Laufwerksordner eines Partners verlegt oder ein Merkmal, das Regeln prüfen, anders liest (für ein Prüfskript)"))
    var failOnWider = false

    func run() throws {
        let diff = PolicyDiff(old: try PolicyCLI.load(old, role: LocalizedText(de: "Altes Paket", en: "Old bundle")),
                              new: try PolicyCLI.load(new, role: LocalizedText(de: "Neues Paket", en: "New bundle")))
        PolicyCLI.write(json ? diff.json().serialized + "\n" : diff.text(in: PolicyCLI.language))
        // As `check --fail-on-deny`: 1 is the answer a script waits for, not an error.
        if failOnWider, diff.sendsMore { throw ExitCode(1) }
    }
}

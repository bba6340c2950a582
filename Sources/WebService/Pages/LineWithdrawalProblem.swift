import ConsentRecords
import Diagnostics
import Foundation
import PolicyEngine

extension ConsentPages {
    /// The legend of the consent page's form to withdraw chosen lines: what a refusal names as its field.
    static let linesFieldLabel = LocalizedText(de: "Nur einzelne Zeilen widerrufen", en: "Withdraw single lines only")
    /// The label of the button that withdraws the whole consent, as a refusal refers to it.
    static let wholeWithdrawalLabel = LocalizedText(de: "Einwilligung widerrufen", en: "Withdraw consent")

    /// Why a withdrawal of chosen lines on the consent page was refused, in words for the page: opening with the form's
    /// field, naming a line by its wording (the template `template`) and a time in Berlin time; the store's own message
    /// for anything else. The store's messages are the API's: they opened with the raw consent id, and the one for
    /// nothing chosen advised to "name no clause" to withdraw the whole consent, which is what the page's user had just
    /// done (found in a review of the pages).
    static func linesProblem(_ refusal: ConsentError, template: ConsentTemplate?, language l: Language) -> String {
        let field = l == .de ? "„\(linesFieldLabel.de)“" : "“\(linesFieldLabel.en)”"
        func line(_ id: String) -> String {
            let text = clauseText(id, template: template, language: l)
            return l == .de ? "„\(text ?? id)“" : "“\(text ?? id)”"
        }
        let nothing = l == .de ? "nichts gespeichert" : "nothing stored"
        switch refusal {
        case .noClausesNamed:
            return l == .de
                ? "\(field): keine Zeile angekreuzt. Bitte mindestens eine Zeile ankreuzen; um die ganze Einwilligung zu widerrufen, die Schaltfläche „\(wholeWithdrawalLabel.de)“ verwenden."
                : "\(field): no line ticked. Please tick at least one line; to withdraw the whole consent, use the button “\(wholeWithdrawalLabel.en)”."
        case let .consentAlreadyWithdrawn(_, _, at):
            return l == .de
                ? "\(field): die ganze Einwilligung wurde inzwischen widerrufen (am \(BerlinTime.format(at, language: l))); es ist keine Zeile mehr zu widerrufen, \(nothing)."
                : "\(field): the whole consent has been withdrawn meanwhile (on \(BerlinTime.format(at, language: l))); no line is left to withdraw, \(nothing)."
        case let .clauseAlreadyWithdrawn(_, clause, at):
            return l == .de
                ? "\(field): die Zeile \(line(clause)) wurde inzwischen schon widerrufen (am \(BerlinTime.format(at, language: l))); \(nothing). Bitte die Auswahl prüfen."
                : "\(field): the line \(line(clause)) has already been withdrawn meanwhile (on \(BerlinTime.format(at, language: l))); \(nothing). Please check the choice."
        case let .clauseNotGranted(_, clause, _):
            return l == .de
                ? "\(field): die Zeile \(line(clause)) ist in dieser Einwilligung nicht erteilt; \(nothing)."
                : "\(field): the line \(line(clause)) is not granted in this consent; \(nothing)."
        default:
            return "\(field): \(refusal.message(in: l))"
        }
    }
}

import ArgumentParser
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import StrictJSON

/// `consent record-notice ID --partner P`: records that the case manager told partner P, which received data on the
/// withdrawn consent ID by referral, of the withdrawal (GDPR Art. 19): an `erasure-notice` entry with channel `referral`,
/// shown in the person's Art. 15 report and beside the partner in `consent withdraw`'s list and on the consent's page.
struct ConsentRecordNoticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-notice",
        abstract: HelpText.text("Record that a referral's recipient was told of a withdrawal (GDPR Art. 19).",
                                de: "Vermerken, dass eine Stelle aus einer Vermittlung über einen Widerruf benachrichtigt wurde (Art. 19 DSGVO)."))

    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase (the entry is signed into the log's next checkpoint).
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Argument(help: HelpText.help("The withdrawn consent's id.", de: "ID der widerrufenen Einwilligung.")) var id: String
    @Option(help: HelpText.help("The partner told (as `consent withdraw` listed it).",
                                de: "Die benachrichtigte Stelle (wie `consent withdraw` sie nannte)."))
    var partner: String
    @Option(help: HelpText.help("Municipality of the case manager (default: the person's recorded municipality).",
                                de: "Kommune des Fallmanagements (Standard: die für die Person gespeicherte Kommune)."))
    var municipality: String?
    @Option(help: HelpText.help("When the partner was told, RFC 3339 (default now).",
                                de: "Zeitpunkt der Benachrichtigung, RFC 3339 (Standard: jetzt)."))
    var at: String?
    @Flag(help: HelpText.help("Print the result as JSON.", de: "Ergebnis als JSON ausgeben.")) var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let told = try at.map { try parseTime($0, option: "--at", wholeSeconds: true) }
            let gate = try installation.openGate(municipality: municipality, appending: true, changing: "consent record-notice",
                                                 passphraseFile: passphrase.passphraseFile)
            guard let record = try gate.consents.record(id: id) else { throw ConsentError.unknownConsent(id: id) }
            let place = try municipality ?? gate.subject(id: record.subject)?.municipality
            let index = try gate.recordReferralNotice(consentID: id, partner: partner, told: told.map { .at($0) } ?? .now,
                                                      actor: Actor(id: installation.resolvedActor, municipality: place))
            if json {
                print(JSONValue.object(["consent": .string(id), "partner": .string(partner), "audit": .object(["index": .int(index)])]).canonicalText)
            } else {
                print(language == .de ? "Vermerkt: \(partner) über den Widerruf von \(id) benachrichtigt (Protokolleintrag \(index))"
                                      : "Recorded: \(partner) told of the withdrawal of \(id) (log entry \(index))")
            }
        }
    }
}

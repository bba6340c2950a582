import ArgumentParser
import Foundation
import Signing

/// `consentgate keys list`: every key in the trust store with its algorithm, roles, validity and state.
struct KeysListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: HelpText.text("List the keys of the trust store.",
                                                     de: "Schlüssel des Trust-Stores auflisten."))

    @OptionGroup var options: KeysTrustOptions

    @Option(name: .long, help: HelpText.help("Show the state at this RFC 3339 time (default: now).",
                                             de: "Zustand zu diesem Zeitpunkt (RFC 3339) anzeigen (Standard: jetzt)."))
    var at: String?

    func run() throws {
        try KeysRunner.run {
            let time = try KeysRunner.time(at, option: "at", fallback: Date())
            let store = try TrustStore.load(file: options.trust, demoMode: options.demo)
            if options.json {
                try KeysRunner.printJSON(["trust": options.trust, "at": RFC3339.format(time),
                                          "keys": store.entries.map { KeysDescription.json($0, at: time, store: store) }])
                return
            }
            if store.entries.isEmpty {
                KeysRunner.say("no keys in \(options.trust)", de: "keine Schlüssel in \(options.trust)")
            }
            for key in store.entries { print(KeysDescription.line(key, at: time)) }
            for key in store.entries { KeysDescription.warnIfWeak(key, store: store) }
        }
    }
}

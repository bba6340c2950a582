import ArgumentParser
import Foundation
import Signing

/// `consentgate keys show KID` (or `--kid KID`): one key's details, including its public key as JWK and PEM.
struct KeysShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: HelpText.text("Show one key (kid, algorithm, roles, validity).",
                                                     de: "Einen Schlüssel anzeigen (kid, Algorithmus, Rollen, Gültigkeit)."))

    @OptionGroup var options: KeysTrustOptions

    @Argument(help: HelpText.help("The key id (kid); one that starts with '-' after '--' or with --kid.",
                                  de: "Die Schlüssel-ID (kid); eine, die mit '-' beginnt, nach '--' oder mit --kid."))
    var positionalKid: String?

    /// Read unconditionally: a kid is base64url and starts with `-` for one key in 64, which the parser would
    /// otherwise take for an option.
    @Option(name: .customLong("kid"), parsing: .unconditional,
            help: HelpText.help("The key id (kid), also when it starts with '-'.", de: "Die Schlüssel-ID (kid), auch wenn sie mit '-' beginnt."))
    var optionKid: String?

    /// The kid asked for (exactly one of the argument and `--kid`; `validate` makes sure).
    var kid: String { optionKid ?? positionalKid ?? "" }

    /// Refuses (usage, exit 2) a kid given both as the argument and with `--kid`, or not at all.
    func validate() throws {
        if (optionKid == nil) == (positionalKid == nil) {
            throw ValidationError(HelpText.text("give the kid once: as the argument or with --kid",
                                                de: "den kid genau einmal angeben: als Argument oder mit --kid"))
        }
    }

    func run() throws {
        try KeysRunner.run {
            let store = try TrustStore.load(file: options.trust, demoMode: options.demo)
            guard let key = store.keys[kid] else { throw SigningError.unknownKey(kid: kid) }
            let now = Date()
            if options.json {
                try KeysRunner.printJSON(KeysDescription.detailJSON(key, at: now, store: store))
                return
            }
            let de = KeysRunner.language == .de
            let roles = KeyRole.allCases.filter { key.roles.contains($0) }.map(\.rawValue).joined(separator: ", ")
            // Every label in the output's language; values start in one column (English: as before, column 12).
            var rows: [(label: String, value: String)] = [
                ("kid:", key.kid),
                (de ? "Name:" : "name:", KeysDescription.shownName(key)),
                (de ? "Algorithmus:" : "algorithm:", key.algorithm.displayName),
                (de ? "Rollen:" : "roles:", roles),
                (de ? "Gültig ab:" : "not-before:", RFC3339.format(key.notBefore)),
                (de ? "Gültig bis:" : "not-after:", RFC3339.format(key.notAfter)),
            ]
            if let r = key.revokedAt { rows.append((de ? "Widerrufen am:" : "revoked-at:", RFC3339.format(r))) }
            rows.append((de ? "Zustand:" : "state:", KeysDescription.localizedState(key.state(at: now))))
            rows.append((de ? "Demo:" : "demo:",
                         key.demo ? (de ? "ja (nur mit --demo verwendbar)" : "yes (usable only with --demo)") : (de ? "nein" : "no")))
            rows.append((de ? "Öffentlicher Schlüssel:" : "public-key:", key.publicKeyFile))
            if let p = key.privateKeyFile { rows.append((de ? "Privater Schlüssel:" : "private-key:", p)) }
            if let protection = KeysDescription.protection(key, store: store) {
                rows.append((de ? "Verschlüsselt mit:" : "encryption:", de ? protection.summary.de : protection.summary.en))
            }
            let width = de ? rows.map(\.label.count).max() ?? 0 : 11
            let lines = rows.map { row in
                row.label.padding(toLength: max(row.label.count, width), withPad: " ", startingAt: 0) + " " + row.value
            }
            print(lines.joined(separator: "\n"))
            print(key.publicKey.pem, terminator: "")
            KeysDescription.warnIfWeak(key, store: store)
        }
    }
}

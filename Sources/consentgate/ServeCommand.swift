import ArgumentParser
import Diagnostics
import Foundation
import Gate
import WebService

/// `consentgate serve`: the web service and JSON API, on loopback unless told otherwise.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: HelpText.text("Run the web service and API.", de: "Weboberfläche und API starten."))

    @Option(help: HelpText.help("Address to listen on: loopback unless told otherwise.",
                                de: "Adresse, an der der Dienst lauscht: Loopback, wenn nichts anderes angegeben ist."))
    var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: HelpText.help("Port (0 picks a free one).", de: "Port (0 wählt einen freien Port).")) var port = 8080
    @Flag(help: HelpText.help("Clients reach the service over TLS (e.g. behind a TLS proxy): session cookies get Secure.",
                              de: "Clients erreichen den Dienst über TLS (z. B. hinter einem TLS-Proxy): Sitzungscookies erhalten das Attribut Secure."))
    var tls = false
    @Option(help: HelpText.help("Folder export requests may read registration lists from (enables /v1/exports).",
                                de: "Ordner, aus dem Exportaufträge Registrierungslisten lesen dürfen (aktiviert /v1/exports)."))
    var exportInputDir: String?
    @Option(help: HelpText.help("Folder holding the shared drive export runs write to (enables /v1/exports).",
                                de: "Ordner des Gruppenlaufwerks, in den Exportläufe schreiben (aktiviert /v1/exports)."))
    var exportDriveDir: String?
    @Option(name: .customLong("remove-quarantine-reports-after"), parsing: .unconditional,
            help: HelpText.help("Export runs started here remove quarantine reports of runs older than <days> days (default: keep them all).",
                                de: "Hier gestartete Exportläufe entfernen Quarantäneberichte von Läufen, die mehr als <tage> Tage zurückliegen (Standard: alle behalten).",
                                valueName: HelpText.text("days", de: "tage")))
    var quarantineRetentionDays: Int?
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions

    func validate() throws {
        if (exportInputDir == nil) != (exportDriveDir == nil) {
            throw ValidationError(HelpText.text("--export-input-dir and --export-drive-dir go together",
                                                de: "--export-input-dir und --export-drive-dir nur gemeinsam angeben"))
        }
        try ExportCommand.checkRetention(quarantineRetentionDays)
    }

    func run() async throws {
        // Errors in the language `--lang` chose, as the lines this command prints.
        try await reportingErrors(language: installation.language) {
            // Before anything is opened or created: a port in use or a wrong address is said in words (exit 2).
            try ServeListenCheck.check(host: host, port: port)
            let gate = try installation.openGate(appending: true, passphraseFile: passphrase.passphraseFile)
            // Every request that acts (a decision, a grant, a DPO's read) appends to the audit log. A service that cannot
            // open its audit-log key (no passphrase, a wrong one, an expired key) used to start anyway, answer /health
            // with ok and refuse every decision (422 "no passphrase"); it stops here instead, with the key's error and
            // exit code (no passphrase 2; a wrong one, an unreadable passphrase file, no audit-log key in the trust store
            // 3; a key that may not sign 4), as an export run does before it writes anything (ServeAuditKeyCLITests). A
            // failure later, while it runs (the key expired, a successor that cannot be opened), is answered 503
            // `audit-log-unavailable` per request (`Gate.auditSigner`, `WebError.auditSigningUnavailable`).
            _ = try gate.auditSigner()
            let db = gate.database
            let demo = installation.demo
            var config = WebServiceConfiguration(host: host, port: port, tls: tls, demo: demo,
                                                 exportInputDirectory: exportInputDir, exportDriveDirectory: exportDriveDir)
            config.quarantineRetentionDays = quarantineRetentionDays
            let environment = WebEnvironment(configuration: config, gate: gate)
            let de = installation.language == .de
            let demoLines: [String] = demo ? try ServeDemo.ensureAccounts(gate, actor: Actor(id: installation.resolvedActor),
                                                                          language: installation.language,
                                                                          installation: loginHintOptions(database: db.path))
                + [ServeDemo.ensureDataSet(gate, language: installation.language)] : []
            if !config.isLoopback {
                StandardError.write(de ? "Warnung: lauscht auf \(host), nicht nur lokal: aus dem Netz erreichbar\n"
                                       : "warning: listening on \(host), not loopback: reachable from the network\n")
            }
            let hostForURL = host.contains(":") ? "[\(host)]" : host
            try await WebApplication.run(environment: environment) { actualPort in
                var lines = ["ConsentGate: http://\(hostForURL):\(actualPort)/  (\(de ? "Datenbank" : "database"): \(db.path))"]
                if demoLines.isEmpty {
                    lines += ServeLoginHint.lines(installation: loginHintOptions(database: db.path), language: installation.language)
                } else {
                    lines.append(de ? "DEMO-Modus – Konten:" : "Demo mode – accounts:")
                    lines += demoLines.map { "  " + $0 }
                }
                // Flushed, so a script waiting for the URL sees it at once; lost (a full disk behind `>`), the demo tokens
                // printed only here would be too, so the service ends (exit 5) rather than run with no one knowing how to
                // log in; nothing has been asked of it yet.
                StandardOutput.write(lines.joined(separator: "\n") + "\n")
                ConsentGateCommand.exitIfOutputLost()
            }
            // Stopped (SIGTERM, Ctrl-C): what the write-ahead log holds goes into the database file, as a command's does
            // when it ends (`ExitCheckpoint`).
            db.checkpointIntoFile()
        }
    }
}

extension ServeCommand {
    /// The installation options `users add` needs to reach the installation being served: always the database as
    /// opened (`database`: the path from `--db`, `$CONSENTGATE_DB` or the default, so a shell elsewhere reaches the same
    /// file), the policy and trust store when not the defaults (`InstallationOptions`' own, repeated here: an unparsed
    /// `InstallationOptions()` cannot be read).
    func loginHintOptions(database: String) -> [(option: String, value: String)] {
        let absolute = database.hasPrefix("/") ? database : FileManager.default.currentDirectoryPath + "/" + database
        var options: [(option: String, value: String)] = [("--db", absolute)]
        if installation.policy != "policies/kim-rhein-sieg" { options.append(("--policy", installation.policy)) }
        if installation.trust != "keys/trust.yaml" { options.append(("--trust", installation.trust)) }
        return options
    }
}

/// The demo accounts created by `serve --demo` (demo mode only; never on real data).
enum ServeDemo {
    static let password = "demo-passwort-2026"
    static let accounts: [(String, AccountRole, String?)] = [
        ("demo-fallmanagement", .caseworker, DemoDataSet.caseWorkerMunicipality), ("demo-dsb", .dpo, nil),
        ("demo-export", .exporter, nil), ("demo-admin", .admin, nil),
    ]

    /// Puts the demo data set into the installation unless it is there; returns the line saying so.
    static func ensureDataSet(_ gate: Gate, language: Language) throws -> String {
        let granted = try gate.seedDemoDataSet()
        let siegburg = DemoDataSet.people.filter { $0.municipality == DemoDataSet.caseWorkerMunicipality }.map(\.id)
        let de = language == .de
        return (granted > 0 ? (de ? "Demodaten angelegt: " : "demo data set created: ") : (de ? "Demodaten: " : "demo data set: "))
            + "\(DemoDataSet.people.count) \(de ? "Personen" : "people"), \(DemoDataSet.caseWorkerMunicipality): \(siegburg.first ?? "") … \(siegburg.last ?? "")"
    }

    /// Creates the missing demo accounts (each logged as an `account-event`); returns one line per account (name,
    /// role, password).
    /// `installation` are the options that name this installation to another command (`--db`, and `--policy`/`--trust`
    /// where not the default), for the line that says how to get a new token.
    static func ensureAccounts(_ gate: Gate, actor: Actor, language: Language,
                               installation: [(option: String, value: String)] = []) throws -> [String] {
        // The accounts and the data set are made for the shipped bundle: another bundle is named before anything is created.
        let gaps = DemoDataSet.gaps(in: gate.policy.bundle)
        guard gaps.isEmpty else { throw DemoDataSetMismatch(bundle: gate.policy.bundle.id, gaps: gaps) }
        let pw = language == .de ? "Passwort" : "password"
        var lines: [String] = []
        for (name, role, municipality) in accounts {
            // The case worker's municipality is what decides which people the account sees (a review: README named it,
            // the list did not).
            let who = "\(name) (\(role.rawValue)\(municipality.map { ", \($0)" } ?? ""))"
            if try gate.accounts.account(named: name) == nil {
                let created = try gate.addAccount(name: name, role: role, municipality: municipality, password: password, actor: actor)
                lines.append("\(who) \(pw): \(password)  API-Token: \(created.token)")
            } else {
                // The demo keys sign only with --demo; the options name this installation (found in a review: the hint
                // as first printed exited 4 on a demo installation, and 5 for another --db).
                let command = "consentgate users token \(name) --demo" + installation.map { " \($0.option) \(ServeLoginHint.shellQuoted($0.value))" }.joined()
                let again = language == .de ? "bereits ausgegeben; ein neues: \(command)" : "already issued; a new one: \(command)"
                lines.append("\(who) \(pw): \(password)  (API-Token: \(again))")
            }
        }
        return lines
    }
}

import ArgumentParser
import Diagnostics
import Foundation
import Gate

/// `consentgate users add|list|disable|token|password`: the accounts of the web service and API.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: HelpText.text("Manage the accounts of the web service and API.",
                                de: "Konten für Weboberfläche und API verwalten."),
        subcommands: [UsersAdd.self, UsersList.self, UsersDisable.self, UsersToken.self, UsersPasswordCommand.self]
    )
}

/// The `--db` option of the commands that need only the database, no policy or keys (`users list`, `backup`).
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: HelpText.help("SQLite database (default: $CONSENTGATE_DB, else consentgate.sqlite in $CONSENTGATE_DATA or ./data).",
                                             de: "SQLite-Datenbank (Standard: $CONSENTGATE_DB, sonst consentgate.sqlite in $CONSENTGATE_DATA oder ./data)."))
    var db: String?

    /// The database, which must exist (`users list` only reads it: `ExistingDatabase`).
    func open(command: String) throws -> AppDatabase { try ExistingDatabase.open(db ?? AppDatabase.defaultPath(), command: command) }
}

/// Runs `body`, printing a ConsentGate error in `language` (the command's `--lang`, else the environment's) and exiting
/// with its code (§8).
func withCLIErrors(language: Language = Language.fromEnvironment(ProcessInfo.processInfo.environment),
                   _ body: () async throws -> Void) async throws {
    do { try await body() } catch let e as any UserFacingError {
        StandardError.write(ErrorFormatter.format(e, language: language) + "\n")
        throw ExitCode(e.category.exitCode)
    }
}

/// `consentgate users add --name N --role R [--municipality M] [--password-file F | --password-env VAR] [--json]`
/// (with the installation options: the change is written to the audit log, which needs the `audit-log` key).
struct UsersAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: HelpText.text("Create an account; prints its API token once.",
                                de: "Konto anlegen; zeigt das API-Token einmalig an."))

    @Option(help: HelpText.help("Account name (letters, digits, ., -, _).",
                                de: "Kontoname (Buchstaben, Ziffern, ., -, _)."))
    var name: String
    @Option(help: HelpText.help("Role: caseworker | dpo | exporter | admin",
                                de: "Rolle: caseworker | dpo | exporter | admin"))
    var role: String
    @Option(help: HelpText.help("Municipality (required for caseworker, not allowed otherwise).",
                                de: "Kommune (Pflicht bei caseworker, sonst nicht zulässig)."))
    var municipality: String?
    @Option(help: HelpText.help("File whose first line is the page-login password ('-' reads standard input).",
                                de: "Datei, deren erste Zeile das Passwort für die Anmeldung an der Weboberfläche ist ('-' liest die Standardeingabe)."))
    var passwordFile: String?
    @Option(help: HelpText.help("Name of an environment variable holding the page-login password.",
                                de: "Name einer Umgebungsvariablen mit dem Passwort für die Anmeldung an der Weboberfläche."))
    var passwordEnv: String?
    @Flag(help: HelpText.help("Print JSON.", de: "JSON ausgeben.")) var json = false
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions

    /// Before anything opens: `--role` must be a role's name, and at most one of `--password-file` and
    /// `--password-env` (none: an account for the API only).
    func validate() throws {
        guard AccountRole(rawValue: role) != nil else {
            let roles = AccountRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError(HelpText.text("--role must be one of \(roles)", de: "--role muss eine dieser Rollen sein: \(roles)"))
        }
        if passwordFile != nil && passwordEnv != nil {
            throw ValidationError(HelpText.text("use --password-file or --password-env, not both",
                                                de: "--password-file oder --password-env angeben, nicht beides"))
        }
    }

    func run() async throws {
        let de = installation.language == .de
        try await reportingErrors(language: installation.language) {
            let password = try UsersPassword.read(file: passwordFile, environmentVariable: passwordEnv)
            // Through the installation: the account and its `account-event` audit entry are one transaction.
            let gate = try installation.openGate(appending: true, passphraseFile: passphrase.passphraseFile)
            let created = try gate.addAccount(name: name, role: AccountRole(rawValue: role)!, municipality: municipality,
                                              password: password, actor: Actor(id: installation.resolvedActor))
            if json {
                print(try UsersOutput.json(["account": UsersOutput.dictionary(created.account), "token": created.token]))
            } else {
                let a = created.account
                print(de ? "Konto \(a.name) angelegt: Rolle \(a.role.rawValue)\(a.municipality.map { ", Kommune \($0)" } ?? "")"
                         : "account \(a.name) created: role \(a.role.rawValue)\(a.municipality.map { ", municipality \($0)" } ?? "")")
                print(de ? "API-Token (nur jetzt sichtbar): \(created.token)" : "API-Token (shown only now): \(created.token)")
                if password == nil {
                    print(de ? "Kein Passwort gesetzt: nur API-Zugang" : "no password set: API access only")
                }
            }
            do throws(StandardOutputError) { try StandardOutput.flush() } catch {
                throw error.with(consequence: LocalizedText(
                    de: "das Konto \(name) ist angelegt, sein API-Token aber nirgends angekommen; mit „consentgate users token \(name)“ ein neues ausstellen",
                    en: "the account \(name) was created, but its API token reached no one; issue a new one with 'consentgate users token \(name)'"))
            }
        }
    }
}

/// `consentgate users list [--json]`
struct UsersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list",
        abstract: HelpText.text("List the accounts.", de: "Konten auflisten."))
    @Flag(help: HelpText.help("Print JSON.", de: "JSON ausgeben.")) var json = false
    @OptionGroup var database: DatabaseOption
    @Option(name: .long, help: InstallationOptions.langHelp)
    var lang: Language?

    func run() async throws {
        try await withCLIErrors(language: lang ?? Language.fromEnvironment(ProcessInfo.processInfo.environment)) {
            let accounts = try AccountStore(database: try database.open(command: "users list")).list()
            if json {
                print(try UsersOutput.json(accounts.map(UsersOutput.dictionary)))
                return
            }
            print(UsersOutput.table(accounts))
        }
    }
}

/// `consentgate users disable NAME`
struct UsersDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable",
        abstract: HelpText.text("Disable an account: token and password stop working.",
                                de: "Konto sperren: Token und Passwort gelten nicht mehr."))
    @Argument(help: HelpText.help("Account name.", de: "Kontoname.")) var name: String
    @Flag(help: HelpText.help("Print JSON.", de: "JSON ausgeben.")) var json = false
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions

    func run() async throws {
        try await reportingErrors(language: installation.language) {
            // Through the installation: the change and its `account-event` audit entry are one transaction.
            try installation.openGate(appending: true, changing: "users disable", passphraseFile: passphrase.passphraseFile).disableAccount(name: name, actor: Actor(id: installation.resolvedActor))
            if json {
                print(try UsersOutput.json(["name": name, "disabled": true]))
                return
            }
            print(installation.language == .de ? "Konto \(name) gesperrt" : "account \(name) disabled")
        }
    }
}

/// `consentgate users token NAME [--json]`: a new API token for an account (the old one stops working at once),
/// printed once; logged as an `account-event` (`credentials-changed`).
struct UsersToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token",
        abstract: HelpText.text("Issue a new API token for an account; the old one stops working. Prints it once.",
                                de: "Neues API-Token für ein Konto ausgeben; das alte gilt nicht mehr. Zeigt es einmalig an."))
    @Argument(help: HelpText.help("Account name.", de: "Kontoname.")) var name: String
    @Flag(help: HelpText.help("Print JSON.", de: "JSON ausgeben.")) var json = false
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions

    func run() async throws {
        try await reportingErrors(language: installation.language) {
            let token = try installation.openGate(appending: true, changing: "users token", passphraseFile: passphrase.passphraseFile).changeAccountCredentials(
                name: name, newToken: true, password: .keep, actor: Actor(id: installation.resolvedActor)) ?? ""
            if json {
                print(try UsersOutput.json(["name": name, "token": token]))
            } else {
                let de = installation.language == .de
                print(de ? "Neues API-Token für \(name) (nur jetzt sichtbar; das alte gilt nicht mehr): \(token)"
                         : "new API token for \(name) (shown only now; the old one no longer works): \(token)")
            }
            do throws(StandardOutputError) { try StandardOutput.flush() } catch {
                throw error.with(consequence: LocalizedText(
                    de: "das alte API-Token von \(name) gilt nicht mehr, das neue ist nirgends angekommen; mit „consentgate users token \(name)“ erneut ausstellen",
                    en: "the old API token of \(name) no longer works and the new one reached no one; issue another with 'consentgate users token \(name)'"))
            }
        }
    }
}

/// `consentgate users password NAME (--password-file F | --password-env VAR | --remove) [--json]`: sets or removes
/// an account's page-login password (an API-created account's first one, or a forgotten one); the account's page
/// sessions end at their next request. Logged as an `account-event` (`credentials-changed`).
struct UsersPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "password",
        abstract: HelpText.text("Set (or remove) an account's page-login password; its page sessions end.",
                                de: "Passwort für die Anmeldung an der Weboberfläche setzen (oder entfernen); laufende Sitzungen des Kontos enden."))
    @Argument(help: HelpText.help("Account name.", de: "Kontoname.")) var name: String
    @Option(help: HelpText.help("File whose first line is the new password ('-' reads standard input).",
                                de: "Datei, deren erste Zeile das neue Passwort ist ('-' liest die Standardeingabe)."))
    var passwordFile: String?
    @Option(help: HelpText.help("Name of an environment variable holding the new password.",
                                de: "Name einer Umgebungsvariablen mit dem neuen Passwort."))
    var passwordEnv: String?
    @Flag(help: HelpText.help("Remove the password: API access only, no page login.",
                              de: "Passwort entfernen: nur API-Zugang, keine Anmeldung an der Weboberfläche."))
    var remove = false
    @Flag(help: HelpText.help("Print JSON.", de: "JSON ausgeben.")) var json = false
    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase: `--passphrase-file` (e.g. a credential the service manager provides), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions

    /// Exactly one of `--password-file`, `--password-env` and `--remove`.
    func validate() throws {
        guard [passwordFile != nil, passwordEnv != nil, remove].filter({ $0 }).count == 1 else {
            throw ValidationError(HelpText.text("give exactly one of --password-file, --password-env, --remove",
                                                de: "genau eines von --password-file, --password-env, --remove angeben"))
        }
    }

    func run() async throws {
        try await reportingErrors(language: installation.language) {
            let change: PasswordChange = try remove ? .remove
                : .set(UsersPassword.read(file: passwordFile, environmentVariable: passwordEnv) ?? "")
            _ = try installation.openGate(appending: true, changing: "users password", passphraseFile: passphrase.passphraseFile).changeAccountCredentials(name: name, newToken: false, password: change,
                                                                     actor: Actor(id: installation.resolvedActor))
            if json {
                print(try UsersOutput.json(["name": name, "password": !remove]))
                return
            }
            let de = installation.language == .de
            if remove {
                print(de ? "Passwort von \(name) entfernt: nur API-Zugang" : "password of \(name) removed: API access only")
            } else {
                print(de ? "Neues Passwort für \(name) gesetzt; laufende Sitzungen des Kontos enden"
                         : "new password set for \(name); the account's page sessions end")
            }
        }
    }
}

import Diagnostics

/// The words of the page frame, in German and English.
enum PageText {
    static let appName = LocalizedText(de: "Datenweitergabe im Integrationsmanagement",
                                       en: "Data sharing in integration case management")
    static let skipToContent = LocalizedText(de: "Zum Inhalt springen", en: "Skip to content")
    static let mainNavigation = LocalizedText(de: "Hauptnavigation", en: "Main navigation")
    static let languageNavigation = LocalizedText(de: "Sprache", en: "Language")
    static let start = LocalizedText(de: "Start", en: "Start")
    static let signedInAs = LocalizedText(de: "Angemeldet als", en: "Signed in as")
    static let logout = LocalizedText(de: "Abmelden", en: "Log out")
    static let login = LocalizedText(de: "Anmelden", en: "Log in")
    static let loginTitle = LocalizedText(de: "Anmeldung", en: "Log in")
    static let accountName = LocalizedText(de: "Kontoname", en: "Account name")
    static let password = LocalizedText(de: "Passwort", en: "Password")
    static let loginFailed = LocalizedText(de: "Anmeldung fehlgeschlagen: Kontoname oder Passwort falsch, oder das Konto ist gesperrt.",
                                           en: "Login failed: wrong account name or password, or the account is disabled.")
    static let loggedOut = LocalizedText(de: "Sie sind abgemeldet.", en: "You are logged out.")
    static let timesNote = LocalizedText(de: "Alle Zeiten in Ortszeit (Europe/Berlin).", en: "All times in local time (Europe/Berlin).")
    static let municipality = LocalizedText(de: "Kommune", en: "Municipality")
    static let role = LocalizedText(de: "Rolle", en: "Role")
    static let sessionSince = LocalizedText(de: "Angemeldet seit", en: "Signed in since")
    static let welcome = LocalizedText(de: "Willkommen", en: "Welcome")
    static let errorTitle = LocalizedText(de: "Fehler", en: "Error")
    static let backToStart = LocalizedText(de: "Zur Startseite", en: "Back to the start page")
    static let goToLogin = LocalizedText(de: "Zur Anmeldung", en: "Go to login")
    static let yourTasks = LocalizedText(de: "Ihre Aufgaben", en: "Your tasks")

    /// What each role does here, shown on its start page.
    static func tasks(for role: String) -> [LocalizedText] {
        switch role {
        case "caseworker": return [
            LocalizedText(de: "Vor einer Weitergabe prüfen, welche Daten an welche Stelle gehen dürfen.",
                          en: "Check before a referral which data may go to which partner."),
            LocalizedText(de: "Unterschriebene Einwilligungen erfassen und Widerrufe eintragen (nur für Personen Ihrer Kommune).",
                          en: "Record signed consents and withdrawals (for people of your municipality only)."),
        ]
        case "dpo": return [
            LocalizedText(de: "Das Prüfprotokoll einsehen und seine Unversehrtheit prüfen.", en: "Review the audit log and verify its integrity."),
            LocalizedText(de: "Auskünfte nach Art. 15 DSGVO erstellen und Statistiken ansehen.", en: "Produce GDPR Art. 15 reports and view statistics."),
        ]
        case "exporter": return [
            LocalizedText(de: "Einen Export für das Gruppenlaufwerk zuerst als Probelauf ansehen (wie viele Datensätze an welche Stelle gehen), dann starten und seinen Stand verfolgen.",
                          en: "Preview a shared-drive export as a dry run (how many records go to which partner), then start it and follow its status."),
        ]
        default: return [
            LocalizedText(de: "Konten anlegen, ihnen ein neues API-Token ausstellen und sie sperren (Passwörter: Befehl consentgate users password).",
                          en: "Add accounts, issue them a new API token and disable them (passwords: command consentgate users password)."),
            LocalizedText(de: "Die Schlüssel einsehen, denen der Dienst vertraut (gepflegt werden sie mit dem Befehl consentgate keys).",
                          en: "Review the keys the service trusts (they are managed with the command consentgate keys)."),
        ]
        }
    }
}

import Diagnostics
import Foundation
import Gate
import Hummingbird

/// The accounts page (`/accounts`): what happened just now (a token to copy, once; an account disabled; a refusal), the
/// table of accounts with a "new API token" and a "disable" button per active account, and the form to add one.
enum AccountListPage {
    /// What the page says above the table.
    enum Notice: Sendable {
        /// Nothing happened.
        case none
        /// The API token of the account `name`, just created (`created`) or replaced: shown on this one page only.
        case token(name: String, token: String, created: Bool)
        /// Account `name` was disabled.
        case disabled(String)
        /// A button's action was refused, in these words.
        case refused(LocalizedText)
    }

    /// The labels and hints of the add form (also the words of its problems).
    static let nameLabel = LocalizedText(de: "Kontoname", en: "Account name")
    static let roleLabel = LocalizedText(de: "Rolle", en: "Role")
    static let municipalityLabel = LocalizedText(de: "Kommune", en: "Municipality")
    static let nameHint = LocalizedText(de: "1 bis 64 Zeichen: Buchstaben, Ziffern, Punkt, Bindestrich, Unterstrich.",
                                        en: "1 to 64 characters: letters, digits, dot, hyphen, underscore.")
    static let municipalityHint = LocalizedText(de: "Pflicht für die Rolle Fallmanagement (die Kommune, für die das Konto handelt); bei jeder anderen Rolle nichts auswählen.",
                                                en: "Required for the role case worker (the municipality the account acts for); leave it empty for every other role.")
    /// Passwords are set on the server's command line only, as in the API.
    static let passwordsNote = LocalizedText(
        de: "Passwörter werden hier nicht gesetzt: Ein hier angelegtes Konto hat zunächst nur sein API-Token. Ein Passwort für die Anmeldung an diesen Seiten setzt die Administration auf dem Server mit dem Befehl consentgate users password NAME --password-file DATEI.",
        en: "Passwords are not set here: an account added here has only its API token at first. An administrator sets a password for logging in to these pages on the server with the command consentgate users password NAME --password-file FILE.")
    /// The row buttons, and what the last active administrator's row says instead of "disable".
    static let newTokenButton = LocalizedText(de: "Neues API-Token", en: "New API token")
    static let disableButton = LocalizedText(de: "Sperren …", en: "Disable …")
    static let lastAdmin = LocalizedText(
        de: "Letztes aktives Administrationskonto: kann nicht gesperrt werden, sonst könnte niemand mehr Konten verwalten (zuerst ein weiteres Konto mit der Rolle Administration anlegen).",
        en: "Last active administrator: cannot be disabled, or nobody could manage accounts any more (first add another account with the role administrator).")

    /// The page as the answer to `page` (200 unless `problems` or `status` say otherwise). `form` and `problems`: the add
    /// form as sent and what is wrong with it.
    static func response(_ page: PageRequest, gate: Gate, notice: Notice = .none, form: FormData = FormData(),
                         problems: FormProblems = FormProblems(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let accounts = try await BlockingWork.run { try gate.accounts.list() }
        let l = page.language
        let session = page.session!
        let csrf = CSRFField(session: session).html
        let activeAdmins = accounts.filter { $0.role == .admin && $0.isActive }
        let rows = accounts.map { a -> HTML in
            let municipality: HTML = a.municipality.map { "\($0)" } ?? "<span class=\"muted\">\(l == .de ? "keine" : "none")</span>"
            let disabled: HTML = a.disabledAt.map { "\(l == .de ? "gesperrt seit" : "disabled since") \(BerlinTime.element($0, language: l))" }
                ?? "\(l == .de ? "nein (aktiv)" : "no (active)")"
            var actions: [HTML] = []
            if a.isActive {
                let named: HTML = "<span class=\"visually-hidden\"> \(l == .de ? "für" : "for") \(a.name)</span>"
                actions.append("""
                <form method="post" action="/accounts/token">\(csrf)<input type="hidden" name="name" value="\(a.name)"><button type="submit">\(newTokenButton[l])\(named)</button></form>
                """)
                if a.role == .admin && activeAdmins.count == 1 {
                    actions.append("<p class=\"last-admin\">\(lastAdmin[l])</p>")
                } else {
                    actions.append("""
                    <form method="post" action="/accounts/disable">\(csrf)<input type="hidden" name="name" value="\(a.name)"><button type="submit">\(disableButton[l])<span class="visually-hidden"> \(a.name)</span></button></form>
                    """)
                }
            } else {
                actions.append("<span class=\"muted\">\(l == .de ? "keine (gesperrt)" : "none (disabled)")</span>")
            }
            return """
            <tr data-account="\(a.name)"><th scope="row">\(a.name)</th><td data-role="\(a.role.rawValue)">\(a.role.label[l])</td><td>\(municipality)</td><td>\(BerlinTime.element(a.createdAt, language: l))</td><td>\(disabled)</td><td class="no-print">\(actions)</td></tr>
            """
        }
        let content: HTML = """
        \(noticeHTML(notice, admin: page.account!, language: l))
        \(problems.summary(language: l))
        <p id="passwords-note">\(passwordsNote[l])</p>
        <table id="accounts"><caption>\(accounts.count) \(l == .de ? "Konten, nach Namen" : "accounts, by name")</caption>
        <thead><tr><th scope="col">\(nameLabel[l])</th><th scope="col">\(roleLabel[l])</th><th scope="col">\(municipalityLabel[l])</th><th scope="col">\(l == .de ? "Angelegt" : "Created")</th><th scope="col">\(l == .de ? "Gesperrt" : "Disabled")</th><th scope="col" class="no-print">\(l == .de ? "Aktionen" : "Actions")</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        \(addForm(form: form, problems: problems, municipalities: gate.policy.bundle.municipalities, csrf: csrf, language: l))
        <p class="no-print"><a href="/keys">\(KeyListPage.title[l])</a></p>
        """
        // Framed as /accounts also when answering a POST: the language switch then leads to the list (a GET of a form's
        // path is a 405), never carrying anything of the answer (the token is in no URL).
        let layout = Layout(language: l, account: page.account, session: page.session, path: "/accounts")
        return PageResponse.html(layout.render(title: AccountPages.title, content: content), status: problems.isEmpty ? status : problems.status)
    }

    /// The box above the table.
    static func noticeHTML(_ notice: Notice, admin: Account, language l: Language) -> HTML {
        switch notice {
        case .none: return .empty
        case let .token(name, token, created):
            let heading = created
                ? LocalizedText(de: "Konto \(name) angelegt: sein API-Token", en: "Account \(name) added: its API token")
                : LocalizedText(de: "Neues API-Token für \(name)", en: "New API token for \(name)")
            let replaced: HTML = created ? .empty
                : "<p>\(l == .de ? "Das bisherige Token dieses Kontos gilt ab sofort nicht mehr, ebenso seine Sitzungen auf diesen Seiten." : "The account's previous token no longer works, nor do its sessions on these pages.")</p>"
            let own: HTML = !created && name == admin.name
                ? "<p>\(l == .de ? "Das ist Ihr eigenes Konto: Ihre Sitzung endet damit; melden Sie sich danach erneut an." : "This is your own account: your session ends with this; log in again afterwards.")</p>"
                : .empty
            return """
            <section class="notice no-print" id="new-token" role="status" tabindex="-1" autofocus aria-labelledby="new-token-title">
            <h2 id="new-token-title">\(heading[l])</h2>
            <p><strong>\(l == .de ? "Das Token wird nur dieses eine Mal angezeigt, auf keiner anderen Seite und nicht noch einmal." : "The token is shown this once only, on no other page and never again.")</strong> \(l == .de ? "Kopieren Sie es jetzt und geben Sie es auf sicherem Weg weiter. Geht es verloren, stellen Sie hier ein neues aus." : "Copy it now and pass it on securely. If it is lost, issue a new one here.")</p>
            \(replaced)\(own)
            <label for="new-token-value">\(l == .de ? "API-Token von" : "API token of") \(name)</label>
            <input type="text" id="new-token-value" readonly value="\(token)" size="56" spellcheck="false" autocomplete="off">
            </section>
            """
        case let .disabled(name):
            return """
            <div class="notice" id="account-disabled" role="status"><p>\(l == .de ? "Konto \(name) ist gesperrt: sein API-Token, sein Passwort und seine Sitzungen gelten nicht mehr." : "Account \(name) is disabled: its API token, its password and its sessions no longer work.")</p></div>
            """
        case let .refused(message):
            return """
            <div class="alert" id="account-refused" role="alert" tabindex="-1" autofocus><p>\(message[l])</p></div>
            """
        }
    }

    /// The form to add an account: name, role, municipality (a choice of the policy's municipalities; a text field when
    /// the policy lists none, as any name is taken then).
    static func addForm(form: FormData, problems: FormProblems, municipalities: [String], csrf: HTML, language l: Language) -> HTML {
        let chosenRole = form["role"] ?? ""
        let roles = AccountRole.allCases.map { r -> HTML in
            "<option value=\"\(r.rawValue)\"\(chosenRole == r.rawValue ? HTML(raw: " selected") : .empty)>\(r.label[l])</option>"
        }
        let chosen = form["municipality"] ?? ""
        let municipalityControl: HTML
        if municipalities.isEmpty {
            municipalityControl = "<input type=\"text\" id=\"municipality\" name=\"municipality\" value=\"\(chosen)\"\(problems.attributes("municipality", hints: ["municipality-hint"]))>"
        } else {
            let options = municipalities.map { m -> HTML in
                "<option value=\"\(m)\"\(chosen == m ? HTML(raw: " selected") : .empty)>\(m)</option>"
            }
            municipalityControl = """
            <select id="municipality" name="municipality"\(problems.attributes("municipality", hints: ["municipality-hint"]))><option value="">\(l == .de ? "keine" : "none")</option>\(options)</select>
            """
        }
        return """
        <section class="no-print" aria-labelledby="add-title">
        <h2 id="add-title">\(l == .de ? "Konto anlegen" : "Add an account")</h2>
        <form method="post" action="/accounts" id="add-account">
        \(csrf)
        <label for="name">\(nameLabel[l])</label>
        <p class="muted" id="name-hint">\(nameHint[l])</p>
        \(problems.message("name", language: l))
        <input type="text" id="name" name="name" value="\(form["name"] ?? "")" required maxlength="64" autocomplete="off" spellcheck="false"\(problems.attributes("name", hints: ["name-hint"]))>
        <label for="role">\(roleLabel[l])</label>
        \(problems.message("role", language: l))
        <select id="role" name="role" required\(problems.attributes("role"))><option value="">\(l == .de ? "bitte wählen" : "please choose")</option>\(roles)</select>
        <label for="municipality">\(municipalityLabel[l])</label>
        <p class="muted" id="municipality-hint">\(municipalityHint[l])</p>
        \(problems.message("municipality", language: l))
        \(municipalityControl)
        <div><button type="submit">\(l == .de ? "Konto anlegen" : "Add account")</button></div>
        </form>
        </section>
        """
    }
}

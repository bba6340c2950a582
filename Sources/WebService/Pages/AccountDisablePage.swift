import Diagnostics
import Foundation
import Gate
import Hummingbird

/// The confirmation asked before an account is disabled (the answer to the list's "disable" button): what disabling
/// does, a button that sends the form again with `confirm=yes`, and a way back that changes nothing. A page, not a
/// script dialog: the pages run no JavaScript, and a keyboard or screen-reader user gets the same question.
enum AccountDisablePage {
    /// The page title: the question.
    static let title = LocalizedText(de: "Konto sperren?", en: "Disable the account?")

    /// The confirmation page for `account`.
    static func response(_ page: PageRequest, account: Account) -> Response {
        let l = page.language
        let municipality: HTML = account.municipality.map { ", \(PageText.municipality[l]) \($0)" } ?? .empty
        let content: HTML = """
        <p id="disable-question">\(l == .de ? "Soll das Konto" : "Disable the account") <strong>\(account.name)</strong> (\(account.role.label[l])\(municipality))\(l == .de ? " gesperrt werden?" : "?")</p>
        <p id="disable-consequences">\(l == .de
            ? "Sein API-Token, sein Passwort und alle seine Sitzungen auf diesen Seiten hören sofort auf zu gelten. Ein gesperrtes Konto lässt sich nicht wieder entsperren: Wer es wieder braucht, bekommt ein neues Konto. Die Sperrung wird mit Ihrem Namen im Prüfprotokoll vermerkt."
            : "Its API token, its password and all its sessions on these pages stop working at once. A disabled account cannot be enabled again: whoever needs it again gets a new account. Disabling is recorded in the audit log under your name.")</p>
        <form method="post" action="/accounts/disable" id="disable-form" aria-describedby="disable-question disable-consequences">
        \(CSRFField(session: page.session!).html)
        <input type="hidden" name="name" value="\(account.name)">
        <input type="hidden" name="confirm" value="\(AccountPages.confirmValue)">
        <button type="submit">\(l == .de ? "Ja, Konto \(account.name) sperren" : "Yes, disable account \(account.name)")</button>
        </form>
        <p><a href="/accounts" id="disable-cancel">\(l == .de ? "Abbrechen: nichts sperren, zurück zu den Konten" : "Cancel: disable nothing, back to the accounts")</a></p>
        """
        let layout = Layout(language: l, account: page.account, session: page.session, path: "/accounts")
        return PageResponse.html(layout.render(title: title, content: content))
    }
}

import Diagnostics
import Hummingbird

/// The HTML page for an error, with the error's status. A 401 offers the login page.
enum ErrorPage {
    /// `afterForm`: the request sent a form (a POST), which was not carried out; a login leads back to the form's page.
    static func response(_ error: WebError, context: AppRequestContext, path: String, query: String? = nil,
                         returnTo: LoginReturnPath? = nil, afterForm: Bool = false) -> Response {
        let l = context.language
        let next: HTML = error.status == .unauthorized
            ? "<p><a class=\"button\" href=\"\(returnTo?.loginURL ?? "/login")\">\(PageText.goToLogin[l])</a></p>"
            : "<p><a href=\"/\">\(PageText.backToStart[l])</a></p>"
        // A page asked for without a session: words for a person, not the API's (`Authorization: Bearer …`).
        let message = error.status == .unauthorized && error.code == WebError.unauthenticated.code
            ? (returnTo == nil ? loginFirstNoWayBack : afterForm ? loginFirstFormNotSent : loginFirst)[l] : error.message[l]
        let content: HTML = """
        <div class="alert" role="alert"><p><strong>\(error.status.code) \(statusWords(error.status)[l])</strong></p><p>\(message)</p></div>
        \(next)
        """
        let layout = Layout(language: l, account: context.account, session: context.session, path: path, query: query)
        return PageResponse.html(layout.render(title: PageText.errorTitle, content: content), status: error.status)
    }

    /// The 401 page's words (found in a review of the pages, 2026-12-06: they spoke of API tokens to case managers).
    static let loginFirst = LocalizedText(de: "Diese Seite zeigt sich erst nach der Anmeldung. Bitte melden Sie sich an; danach geht es zu dieser Seite zurück.",
                                          en: "This page shows only after you log in. Please log in; you will then come back to this page.")

    /// The 401 page's words after a form was sent without a session (it had ended): the form was not carried out.
    static let loginFirstFormNotSent = LocalizedText(de: "Ihre Sitzung ist abgelaufen; das Formular wurde nicht ausgeführt. Bitte melden Sie sich an; danach geht es zur Seite des Formulars zurück, dort bitte erneut absenden.",
                                                     en: "Your session has ended; the form was not carried out. Please log in; you will then come back to the form's page, please send it again there.")

    /// The 401 page's words where the login cannot lead back (the page was a POST, or not one to return to).
    static let loginFirstNoWayBack = LocalizedText(de: "Diese Seite zeigt sich erst nach der Anmeldung. Bitte melden Sie sich an; war Ihre Sitzung abgelaufen, danach die Seite erneut aufrufen.",
                                                   en: "This page shows only after you log in. Please log in; if your session had ended, open the page again afterwards.")

    /// The status in the page's language (found in a review: German pages said "403 Forbidden", "404 Not Found").
    static func statusWords(_ status: HTTPResponse.Status) -> LocalizedText {
        let de: String
        switch status.code {
        case 400: de = "Ungültige Anfrage"
        case 401: de = "Anmeldung erforderlich"
        case 403: de = "Nicht erlaubt"
        case 404: de = "Nicht gefunden"
        case 405: de = "Methode nicht erlaubt"
        case 409: de = "Konflikt"
        case 413: de = "Anfrage zu groß"
        case 415: de = "Format nicht unterstützt"
        case 422: de = "Nicht verarbeitbar"
        case 429: de = "Zu viele Anfragen"
        case 500: de = "Interner Fehler"
        case 503: de = "Dienst vorübergehend nicht verfügbar"
        default: de = status.reasonPhrase
        }
        return LocalizedText(de: de, en: status.reasonPhrase)
    }
}

/// Building HTML and plain responses.
enum PageResponse {
    /// An HTML document response.
    static func html(_ document: HTML, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(string: document.markup)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .contentLength: String(buffer.readableBytes)],
                        body: .init(byteBuffer: buffer))
    }

    /// A 303 redirect (after a POST, so reloading does not resubmit).
    static func seeOther(_ location: String) -> Response { .redirect(to: location, type: .normal) }
}

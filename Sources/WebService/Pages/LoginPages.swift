import Diagnostics
import Foundation
import Gate
import Hummingbird
import Logging

/// `GET /login` (the form), `POST /login` (check the password, start a session), `POST /logout`.
enum LoginPages {
    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        r.page(.get, "/login", access: .open) { request, page in
            // The page asked for before the login (`next`, see `LoginReturnPath`), where a login leads: taken only from a
            // link of this service's own pages or a typed address, so another site's link cannot make a login open (and
            // log) a page of its choosing, such as a person's Art. 15 report (a review).
            let site = request.headers[.init("Sec-Fetch-Site")!]
            let returnTo = site == "cross-site" || site == "same-site" ? nil
                : request.uri.queryParameters["next"].flatMap { LoginReturnPath(target: String($0)) }
            if page.account != nil { return PageResponse.seeOther(returnTo?.target ?? "/") }
            let (session, newCookie) = try await anonymousSession(page.session, env: env)
            let notice: LocalizedText? = request.uri.queryParameters["loggedout"] != nil ? PageText.loggedOut : nil
            var response = render(page, session: session, failed: false, notice: notice, status: .ok, returnTo: returnTo)
            if let newCookie { response.setCookie(sessionCookie(newCookie, env: env)) }
            return response
        }
        r.page(.post, "/login", access: .open) { request, page in
            let name = page.form["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
            let password = page.form["password"] ?? ""
            let accounts = env.accounts
            // Entries of a form sent after its session ended, carried by this login form (`sessionEnded`): a failed
            // attempt carries them again, a login hands them to the new session and leads back to the form.
            let kept = KeptEntries(loginForm: page.form)
            let keptNote = kept.map { _ in sessionEndedKept }
            let returnTo = page.form["next"].flatMap { LoginReturnPath(target: $0) }
            // A name outside the account-name rule can belong to no account: it is refused before the
            // throttle and the look-up (so `victim` with anything appended is no fresh throttle bucket).
            guard Account.isValidName(name) else {
                return render(page, session: page.session!, failed: true, notice: nil, status: .unauthorized, name: name,
                              kept: kept, keptNote: keptNote, returnTo: returnTo)
            }
            // The attempt is counted before the password is checked (and forgotten on success): against this browser's
            // device cookie when it holds one for the name, else against the name's untrusted clients (`LoginThrottle`).
            let device = request.cookies[LoginThrottle.deviceCookie]?.value
            let (bucket, wait) = try await env.loginThrottle.reserve(name: name, device: device)
            if let wait {
                let minutes = max(1, Int((wait / 60).rounded(.up)))
                var refusal = WebError(.tooManyRequests, code: "too-many-attempts",
                                       de: "Zu viele fehlgeschlagene Anmeldungen für dieses Konto. Bitte in \(minutes == 1 ? "einer Minute" : "\(minutes) Minuten") erneut versuchen.",
                                       en: "Too many failed logins for this account. Please try again in \(minutes == 1 ? "a minute" : "\(minutes) minutes").")
                // When to try again, for programs too (RFC 9110 §10.2.3).
                refusal.retryAfterSeconds = max(1, Int(wait.rounded(.up)))
                throw refusal
            }
            // scrypt takes ~0.3 s of CPU: off the concurrency pool that serves every request, one check at a time. A hash
            // weaker than the standard is replaced there too (one more scrypt, once per account: `PasswordRehash`).
            let rehash = env.passwordRehash
            let found = try await PasswordWork.run { try accounts.logIn(name: name, password: password, rehash: rehash) }
            guard let found else {
                return render(page, session: page.session!, failed: true, notice: nil, status: .unauthorized, name: name,
                              kept: kept, keptNote: keptNote, returnTo: returnTo)
            }
            let (account, stamp) = (found.account, found.stamp)
            if case let .failed(error) = found.rehash { logRehashFailure(error, account: account.name, logger: page.context.logger) }
            // A fresh device cookie, stored in the database. Should that write fail, the login goes ahead without one
            // (the session lives in memory; a cookie presented stays valid) and the operator learns of it.
            var deviceToken: String?
            do { deviceToken = try await env.loginThrottle.succeeded(name: name, bucket: bucket) } catch {
                logDeviceCookieFailure(error, account: account.name, logger: page.context.logger)
            }
            // A new session id at login: an id planted before login is worthless afterwards.
            if let old = page.session { await env.sessions.remove(id: old.id) }
            // Only a case worker can use the forms the entries belong to; anyone else starts at the start page.
            let handedOver = account.role == .caseworker ? kept : nil
            let session = try await env.sessions.create(accountName: account.name, credentialsStamp: stamp, keptEntries: handedOver)
            // Back to the form's page (a fixed path per form, never one from the request), which shows the entries once.
            // A page asked for before the login comes next (a path of this service only: `LoginReturnPath`).
            var response = PageResponse.seeOther(handedOver?.target.formPath ?? returnTo?.target ?? "/")
            response.setCookie(sessionCookie(session.id, env: env))
            if let deviceToken { response.setCookie(deviceCookie(deviceToken, env: env)) }
            return response
        }
        r.page(.post, "/logout", access: .anyRole) { _, page in
            if let s = page.session { await env.sessions.remove(id: s.id) }
            var response = PageResponse.seeOther("/login?loggedout=1")
            response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                      secure: env.configuration.tls, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// A rehash that failed does not fail the login (`PasswordRehashOutcome.failed`), but the operator should learn of
    /// it: a warning with the account name and what failed (a `UserFacingError`'s English message, else the error's
    /// type), never the password, a hash or a token.
    static func logRehashFailure(_ error: any Error, account: String, logger: Logger) {
        let detail = (error as? any UserFacingError)?.message(in: .en) ?? String(reflecting: type(of: error))
        logger.warning("password hash not raised to the standard parameters; the login went ahead with the stored hash",
                       metadata: ["account": "\(account)", "error": "\(detail)"])
    }

    /// A device cookie that could not be stored does not fail the login, but the operator should learn of it (the
    /// browser stays an untrusted client for the throttle): a warning with the account name and what failed (a
    /// `UserFacingError`'s English message, else the error's type), never a token.
    static func logDeviceCookieFailure(_ error: any Error, account: String, logger: Logger) {
        let detail = (error as? any UserFacingError)?.message(in: .en) ?? String(reflecting: type(of: error))
        logger.warning("device cookie not stored; the login went ahead without a new one",
                       metadata: ["account": "\(account)", "error": "\(detail)"])
    }

    /// The session cookie: HttpOnly, SameSite=Strict, Secure when served over TLS, no expiry (ends
    /// with the browser; the server ends it after idle time or lifetime anyway).
    static func sessionCookie(_ id: String, env: WebEnvironment) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: id, path: "/", secure: env.configuration.tls,
               httpOnly: true, sameSite: .strict)
    }

    /// The device cookie (`LoginThrottle`): sent only to `/login`, HttpOnly, SameSite=Strict, Secure when served over
    /// TLS, kept by the browser as long as the service honours it.
    static func deviceCookie(_ token: String, env: WebEnvironment) -> Cookie {
        Cookie(name: LoginThrottle.deviceCookie, value: token, maxAge: Int(LoginThrottle.deviceLifetime), path: "/login",
               secure: env.configuration.tls, httpOnly: true, sameSite: .strict)
    }

    /// The login form. `kept`: entries of a form sent after its session ended, carried as hidden fields, with
    /// `keptNote` saying what happened to them; the note takes the keyboard focus on load (unless a failed login's
    /// message is there, then the name field does), so a screen reader reads it first.
    static func render(_ page: PageRequest, session: WebSession, failed: Bool, notice: LocalizedText?,
                       status: HTTPResponse.Status, name: String = "", kept: KeptEntries? = nil, keptNote: LocalizedText? = nil,
                       returnTo: LoginReturnPath? = nil) -> Response {
        let l = page.language
        let alert: HTML = failed ? "<div class=\"alert\" role=\"alert\" id=\"login-error\"><p>\(PageText.loginFailed[l])</p></div>" : .empty
        let info: HTML = notice.map { "<div class=\"notice\" role=\"status\"><p>\($0[l])</p></div>" } ?? .empty
        let focusNote = keptNote != nil && !failed
        let keptInfo: HTML = keptNote.map {
            "<div class=\"notice\" id=\"kept-note\" role=\"status\" tabindex=\"-1\"\(focusNote ? HTML(raw: " autofocus") : .empty)><p>\($0[l])</p></div>"
        } ?? .empty
        let described: HTML = failed ? " aria-describedby=\"login-error\" aria-invalid=\"true\"" : .empty
        let content: HTML = """
        \(keptInfo)\(info)\(alert)
        <form method="post" action="/login" id="login-form">
        \(CSRFField(session: session).html)
        \(kept?.hiddenFields ?? .empty)\(returnTo.map { "<input type=\"hidden\" name=\"next\" value=\"\($0.target)\">" as HTML } ?? .empty)
        <label for="name">\(PageText.accountName[l])</label>
        <input type="text" id="name" name="name" value="\(name)" autocomplete="username" required\(focusNote ? HTML.empty : HTML(raw: " autofocus"))\(described)>
        <label for="password">\(PageText.password[l])</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required\(described)>
        <div><button type="submit">\(PageText.login[l])</button></div>
        </form>
        """
        let layout = Layout(language: l, account: nil, session: nil, path: page.path, query: page.query)
        return PageResponse.html(layout.render(title: PageText.loginTitle, content: content), status: status)
    }

    /// The login form's session: `current`, or a new anonymous one (its id to set as the cookie), so the form has a
    /// CSRF token to send.
    static func anonymousSession(_ current: WebSession?, env: WebEnvironment) async throws -> (WebSession, String?) {
        if let current { return (current, nil) }
        let s = try await env.sessions.create(accountName: nil)
        return (s, s.id)
    }

    /// The answer to a case manager's form (`/check`, `/consents`) that arrived without a live session (401) or with
    /// a CSRF token of another session (403): nothing is done with it; the login form comes back with the same status,
    /// carrying the entries (`KeptEntries`: only for a POST from this service's own pages, within the size limits)
    /// and a note that takes the focus. After the login the form's page shows them again, to check and send again.
    static func sessionEnded(_ request: Request, context: AppRequestContext, form: FormData, refusal: WebError,
                             target: KeptEntries.Target, env: WebEnvironment) async throws -> Response {
        let kept = KeptEntries.isSameOrigin(request) ? KeptEntries(posted: form, target: target) : nil
        let (session, newCookie) = try await anonymousSession(context.session, env: env)
        // Framed as the login page (its language switch leads to the login form, not to a GET of the form's POST path).
        let page = PageRequest(context: context, account: nil, session: session, form: FormData(), path: "/login", query: nil)
        var response = render(page, session: session, failed: false, notice: nil, status: refusal.status,
                              kept: kept, keptNote: kept == nil ? sessionEndedNotKept : sessionEndedKept)
        if let newCookie { response.setCookie(sessionCookie(newCookie, env: env)) }
        return response
    }

    /// The note on the login form when the entries are kept.
    static let sessionEndedKept = LocalizedText(
        de: "Ihre Sitzung ist abgelaufen, oder das Formular stammt aus einer früheren Anmeldung (etwa in einem anderen Tab). Es wurde nichts gespeichert oder geprüft. Ihre Eingaben sind aufbewahrt: Nach der Anmeldung erscheint das Formular wieder ausgefüllt; bitte prüfen Sie es und senden Sie es erneut ab.",
        en: "Your session has ended, or the form came from an earlier login (for example in another tab). Nothing has been saved or checked. Your entries have been kept: after you log in, the form appears filled in again; please check it and submit it again.")
    /// The note on the login form when the entries could not be kept.
    static let sessionEndedNotKept = LocalizedText(
        de: "Ihre Sitzung ist abgelaufen, oder das Formular stammt aus einer früheren Anmeldung (etwa in einem anderen Tab). Es wurde nichts gespeichert oder geprüft, und die Eingaben konnten nicht aufbewahrt werden (zu umfangreich, oder nicht von einer Seite dieses Dienstes gesendet). Bitte melden Sie sich an und geben Sie sie erneut ein.",
        en: "Your session has ended, or the form came from an earlier login (for example in another tab). Nothing has been saved or checked, and the entries could not be kept (too long, or not sent from a page of this service). Please log in and enter them again.")

    /// The note above a form filled in again with kept entries: it takes the keyboard focus on load (no script).
    /// `scanTooLarge`: the file name of a scan that was too large to read, which was not kept.
    static func restoredNote(_ l: Language, scanKept: Bool = false, scanTooLarge: String? = nil) -> HTML {
        var scan: HTML = scanKept
            ? " \(l == .de ? "Der Scan ist als Prüfsumme aufbewahrt; Sie müssen ihn nur zum Ersetzen erneut auswählen." : "The scan has been kept as its checksum; choose it again only to replace it.")"
            : .empty
        if let name = scanTooLarge, !name.isEmpty {
            scan = "\(scan) \(l == .de ? "Die Datei „\(name)“ war zu groß und wurde nicht übernommen: bitte die Erklärung mit geringerer Auflösung oder in Graustufen scannen und die kleinere Datei auswählen." : "The file “\(name)” was too large and was not taken: please scan the declaration at a lower resolution or in greyscale and choose the smaller file.")"
        }
        return """
        <div class="notice" id="kept-note" role="status" tabindex="-1" autofocus>
        <h2>\(l == .de ? "Ihre Eingaben wurden aufbewahrt" : "Your entries have been kept")</h2>
        <p>\(l == .de ? "Ihre Sitzung war abgelaufen. Die Eingaben unten stammen aus dem Formular, das Sie davor abgeschickt hatten; es wurde nichts gespeichert oder geprüft. Bitte prüfen Sie jede Angabe und senden Sie das Formular erneut ab." : "Your session had ended. The entries below come from the form you sent before that; nothing has been saved or checked. Please check every entry and submit the form again.")\(scan)</p>
        </div>
        """
    }
}

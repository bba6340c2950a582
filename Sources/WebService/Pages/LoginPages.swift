import Diagnostics
import Foundation
import Gate
import Hummingbird

/// `GET /login` (the form), `POST /login` (check the password, start a session), `POST /logout`.
enum LoginPages {
    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        r.page(.get, "/login", access: .open) { request, page in
            if page.account != nil { return PageResponse.seeOther("/") }
            var session = page.session
            var newCookie: String?
            if session == nil {
                let s = try await env.sessions.create(accountName: nil)
                session = s
                newCookie = s.id
            }
            let notice: LocalizedText? = request.uri.queryParameters["loggedout"] != nil ? PageText.loggedOut : nil
            var response = render(page, session: session!, failed: false, notice: notice, status: .ok)
            if let newCookie { response.setCookie(sessionCookie(newCookie, env: env)) }
            return response
        }
        r.page(.post, "/login", access: .open) { _, page in
            let name = page.form["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
            let password = page.form["password"] ?? ""
            let accounts = env.accounts
            // A name outside the account-name rule can belong to no account: it is refused before the
            // throttle and the look-up (so `victim` with anything appended is no fresh throttle bucket).
            guard Account.isValidName(name) else {
                return render(page, session: page.session!, failed: true, notice: nil, status: .unauthorized, name: name)
            }
            // The attempt is counted before the password is checked (and forgotten on success).
            if let wait = await env.loginThrottle.reserve(name: name) {
                let minutes = Int((wait / 60).rounded(.up))
                throw WebError(.tooManyRequests, code: "too-many-attempts",
                               de: "Zu viele fehlgeschlagene Anmeldungen für dieses Konto. Bitte in \(minutes) Minute(n) erneut versuchen.",
                               en: "Too many failed logins for this account. Please try again in \(minutes) minute(s).")
            }
            // scrypt takes ~0.1 s of CPU: keep it off the server's event loops.
            let found = try await Task.detached { try accounts.authenticateWithStamp(name: name, password: password) }.value
            guard let (account, stamp) = found else {
                return render(page, session: page.session!, failed: true, notice: nil, status: .unauthorized, name: name)
            }
            await env.loginThrottle.succeeded(name: name)
            // A new session id at login: an id planted before login is worthless afterwards.
            if let old = page.session { await env.sessions.remove(id: old.id) }
            let session = try await env.sessions.create(accountName: account.name, credentialsStamp: stamp)
            var response = PageResponse.seeOther("/")
            response.setCookie(sessionCookie(session.id, env: env))
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

    /// The session cookie: HttpOnly, SameSite=Strict, Secure when served over TLS, no expiry (ends
    /// with the browser; the server ends it after idle time or lifetime anyway).
    static func sessionCookie(_ id: String, env: WebEnvironment) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: id, path: "/", secure: env.configuration.tls,
               httpOnly: true, sameSite: .strict)
    }

    static func render(_ page: PageRequest, session: WebSession, failed: Bool, notice: LocalizedText?,
                       status: HTTPResponse.Status, name: String = "") -> Response {
        let l = page.language
        let alert: HTML = failed ? "<div class=\"alert\" role=\"alert\" id=\"login-error\"><p>\(PageText.loginFailed[l])</p></div>" : .empty
        let info: HTML = notice.map { "<div class=\"notice\" role=\"status\"><p>\($0[l])</p></div>" } ?? .empty
        let described: HTML = failed ? " aria-describedby=\"login-error\" aria-invalid=\"true\"" : .empty
        let content: HTML = """
        \(info)\(alert)
        <form method="post" action="/login" id="login-form">
        \(CSRFField(session: session).html)
        <label for="name">\(PageText.accountName[l])</label>
        <input type="text" id="name" name="name" value="\(name)" autocomplete="username" required autofocus\(described)>
        <label for="password">\(PageText.password[l])</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required\(described)>
        <div><button type="submit">\(PageText.login[l])</button></div>
        </form>
        """
        let layout = Layout(language: l, account: nil, session: nil, path: page.path, query: page.query)
        return PageResponse.html(layout.render(title: PageText.loginTitle, content: content), status: status)
    }
}

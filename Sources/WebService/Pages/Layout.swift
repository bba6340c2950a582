import Diagnostics
import Foundation
import Gate

/// The frame of every page: language attribute, skip link, landmarks (banner, navigation, main,
/// contentinfo), the local stylesheet (screen and print), the language switch and the logout form.
struct Layout {
    var language: Language
    var account: Account?
    var session: WebSession?
    /// The current path (as requested, still percent-encoded), for the language switch link.
    var path: String
    /// The current query (as requested), kept by the language switch link.
    var query: String? = nil
    /// Extra elements for the document's head (a running export's `<meta http-equiv="refresh">`); empty on most pages.
    var head: HTML = .empty

    /// The whole document around `content`.
    func render(title: LocalizedText, content: HTML) -> HTML {
        let l = language
        let other: Language = l == .de ? .en : .de
        let otherName = other == .en ? "English" : "Deutsch"
        let switchLink = Self.languageSwitchLink(path: path, query: query, language: other)
        // A form sent back with its problems (it carries the error summary, `FormProblems.summary`) says so first in its
        // title, which a screen reader reads first (a refused form kept its normal title: a review of the pages).
        let refused = content.markup.contains("id=\"error-summary\"")
        let documentTitle = refused ? "\(FormProblems.errorPrefix[l]) \(title[l])" : title[l]
        return """
        <!DOCTYPE html>
        <html lang="\(l.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(documentTitle) – ConsentGate</title>
        <link rel="stylesheet" href="/assets/style.css">
        \(head)</head>
        <body>
        <a class="skip-link" href="#main">\(PageText.skipToContent[l])</a>
        <header class="site-header">
        <p class="brand"><a href="/">ConsentGate</a> <span class="tagline">\(PageText.appName[l])</span></p>
        \(navigation)
        <nav class="language" aria-label="\(PageText.languageNavigation[l])"><a href="\(switchLink)" lang="\(other.rawValue)" hreflang="\(other.rawValue)">\(otherName)</a></nav>
        \(accountBox)
        </header>
        <main id="main" tabindex="-1">
        <h1>\(title[l])</h1>
        \(content)
        </main>
        <footer class="site-footer"><p>\(PageText.timesNote[l])</p></footer>
        </body>
        </html>
        """
    }

    /// The link to this page in `language`: the request path as a same-origin path (`sameOriginPath`), the
    /// query without its `lang` parameters, and `lang=`.
    static func languageSwitchLink(path: String, query: String?, language: Language) -> String {
        // Without `done` (a notice of what was just done is said once, not again in the other language).
        var parts = (query ?? "").split(separator: "&").filter { $0 != "lang" && !$0.hasPrefix("lang=") && !$0.hasPrefix("done=") }
            .map { escaped(String($0), keeping: "/?") }
        parts.append("lang=\(language.rawValue)")
        return sameOriginPath(path) + "?" + parts.joined(separator: "&")
    }

    /// `path` as a link that can only lead to this site: every byte outside the characters a path may hold
    /// literally is percent-encoded (so no `\`, tab or line break a browser would rewrite or drop is left),
    /// and it starts with exactly one `/` (so never `//host`, a link to another site).
    static func sameOriginPath(_ path: String) -> String {
        "/" + escaped(path, keeping: "/").drop { $0 == "/" }
    }

    /// `text` with every byte other than letters, digits, `-._~!$&'()*+,;=:@%` and those in `extra`
    /// percent-encoded.
    static func escaped(_ text: String, keeping extra: String) -> String {
        let literal = Set("-._~!$&'()*+,;=:@%".utf8).union(extra.utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            let alphanumeric = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if alphanumeric || literal.contains(b) { out.append(b) } else { out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private var navigation: HTML {
        guard let account else { return .empty }
        var links: [(String, LocalizedText)] = [("/", PageText.start)]
        links += NavigationLinks.links(for: account.role)
        let items = links.map { href, label -> HTML in
            let current = href == path ? HTML(raw: " aria-current=\"page\"") : .empty
            return "<li><a href=\"\(href)\"\(current)>\(label[language])</a></li>"
        }
        return "<nav class=\"main-nav\" aria-label=\"\(PageText.mainNavigation[language])\"><ul>\(items)</ul></nav>"
    }

    private var accountBox: HTML {
        guard let account, let session else { return .empty }
        let where_: HTML = account.municipality.map { " · \(PageText.municipality[language]): \($0)" } ?? .empty
        return """
        <div class="account-box"><p>\(PageText.signedInAs[language]) <strong>\(account.name)</strong> (\(account.role.label[language]))\(where_)</p>
        <form method="post" action="/logout">\(CSRFField(session: session).html)<button type="submit">\(PageText.logout[language])</button></form></div>
        """
    }
}

/// The hidden CSRF field every form carries.
struct CSRFField {
    let session: WebSession
    var html: HTML { "<input type=\"hidden\" name=\"_csrf\" value=\"\(session.csrfToken)\">" }
}

/// The role-specific links of the main navigation. Domain pages add theirs here.
enum NavigationLinks {
    static func links(for role: AccountRole) -> [(String, LocalizedText)] {
        switch role {
        case .caseworker: return [("/check", CheckPage.title), ("/consents/new", ConsentPages.newTitle), ("/consents", ConsentListPage.navigationTitle)]
        case .dpo: return [("/audit", AuditPages.title), ("/audit/report", AuditPages.reportTitle), ("/audit/stats", AuditPages.statsTitle)]
        case .exporter: return [("/exports", ExportPages.title)]
        case .admin: return [("/accounts", AccountPages.title), ("/keys", KeyListPage.title)]
        }
    }
}

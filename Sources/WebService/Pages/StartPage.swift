import Diagnostics
import Foundation
import Gate
import Hummingbird

/// `GET /`: the start page of the signed-in role (tasks and links), or a redirect to the login.
enum StartPage {
    static func register(_ r: RouteRegistrar) {
        r.page(.get, "/", access: .open) { _, page in
            guard let account = page.account, let session = page.session else { return PageResponse.seeOther("/login") }
            let l = page.language
            let tasks = PageText.tasks(for: account.role.rawValue).map { t -> HTML in "<li>\(t[l])</li>" }
            let links = NavigationLinks.links(for: account.role).map { href, label -> HTML in
                "<li><a href=\"\(href)\">\(label[l])</a></li>"
            }
            let municipality: HTML = account.municipality.map { "<dt>\(PageText.municipality[l])</dt><dd>\($0)</dd>" } ?? .empty
            let content: HTML = """
            <section aria-labelledby="who" class="role-\(account.role.rawValue)">
            <h2 id="who">\(PageText.welcome[l]), \(account.name)</h2>
            <dl>
            <dt>\(PageText.role[l])</dt><dd data-role="\(account.role.rawValue)">\(account.role.label[l])</dd>
            \(municipality)
            <dt>\(PageText.sessionSince[l])</dt><dd>\(BerlinTime.element(session.createdAt, language: l))</dd>
            </dl>
            </section>
            <section aria-labelledby="tasks">
            <h2 id="tasks">\(PageText.yourTasks[l])</h2>
            <ul>\(tasks)</ul>
            \(links.isEmpty ? HTML.empty : "<ul class=\"task-links\">\(links)</ul>")
            </section>
            """
            return PageResponse.html(page.layout.render(title: PageText.start, content: content))
        }
    }
}

import Diagnostics
import Foundation
import Gate
import Hummingbird
import Signing

/// `GET /keys` (admin): the keys the running service trusts, read-only (kid, name, roles, validity window, revocation,
/// demo, state now), from the trust store it loaded at start, as `GET /v1/keys` lists them (`TrustedKeySummary`). Keys
/// are generated, rotated and revoked with `consentgate keys …` on the server (a private key's passphrase never passes
/// through HTTP), and the service reads a changed trust store at its next start: the page says both.
enum KeyListPage {
    /// The page title and navigation label.
    static let title = LocalizedText(de: "Schlüssel", en: "Keys")

    /// The words for a key's role (`KeyRole`).
    static func roleName(_ role: String) -> LocalizedText {
        switch KeyRole(rawValue: role) {
        case .consentSigner: LocalizedText(de: "signiert Einwilligungen und Widerrufe", en: "signs consents and withdrawals")
        case .policySigner: LocalizedText(de: "signiert Regelwerke", en: "signs policy bundles")
        case .auditLog: LocalizedText(de: "signiert die Prüfpunkte des Prüfprotokolls", en: "signs audit log checkpoints")
        case .exportSigner: LocalizedText(de: "signiert Export-Manifeste", en: "signs export manifests")
        case nil: LocalizedText(de: role, en: role)
        }
    }

    /// The words for a key's state (`TrustedKey.state(at:)`).
    static func stateName(_ state: String) -> LocalizedText {
        switch state {
        case "valid": LocalizedText(de: "gültig", en: "valid")
        case "not-yet-valid": LocalizedText(de: "noch nicht gültig", en: "not yet valid")
        case "expired": LocalizedText(de: "abgelaufen", en: "expired")
        case "revoked": LocalizedText(de: "widerrufen", en: "revoked")
        default: LocalizedText(de: state, en: state)
        }
    }

    /// Where keys are managed, and when a change counts.
    static let managedNote = LocalizedText(
        de: "Nur zum Lesen: Schlüssel werden auf dem Server mit den Befehlen consentgate keys … erzeugt, gewechselt und widerrufen (die Passphrase eines privaten Schlüssels geht nie über das Netz). Eine Änderung des Trust-Stores gilt für diesen Dienst erst nach einem Neustart von consentgate serve.",
        en: "Read-only: keys are generated, rotated and revoked on the server with the commands consentgate keys … (a private key's passphrase never travels over the network). A change of the trust store counts for this service only after a restart of consentgate serve.")

    /// Registers `GET /keys` for the roles of `/v1/keys`.
    static func register(_ r: RouteRegistrar) {
        // The trust store the service loaded at start and verifies with (in memory: no database read), as `/v1/keys`.
        let trust = r.environment.gate.trustStore
        r.page(.get, "/keys", access: .roles(KeyRoutes.roles)) { _, page in
            let l = page.language
            let now = Date()
            let rows = trust.entries.map { key -> HTML in
                let s = TrustedKeySummary(key, at: now)
                let roles = s.roles.map { r -> HTML in "<li><code>\(r)</code>: \(roleName(r)[l])</li>" }
                let revoked: HTML = key.revokedAt.map { BerlinTime.element($0, language: l) } ?? "\(l == .de ? "nein" : "no")"
                return """
                <tr data-kid="\(s.kid)"><th scope="row"><code class="kid">\(s.kid)</code><br>\(s.name)</th><td><ul>\(roles)</ul></td><td>\(BerlinTime.element(key.notBefore, language: l))</td><td>\(BerlinTime.element(key.notAfter, language: l))</td><td>\(revoked)</td><td data-demo="\(s.demo ? "true" : "false")">\(s.demo ? (l == .de ? "ja (Demo-Schlüssel)" : "yes (demo key)") : (l == .de ? "nein" : "no"))</td><td data-state="\(s.state)">\(stateName(s.state)[l])</td></tr>
                """
            }
            let content: HTML = """
            <p id="keys-note">\(managedNote[l])</p>
            <table id="keys"><caption>\(trust.entries.count) \(l == .de ? "Schlüssel im Trust-Store, Stand" : "keys in the trust store, as of") \(BerlinTime.element(now, language: l))</caption>
            <thead><tr><th scope="col">\(l == .de ? "Schlüssel-ID (kid) und Name" : "Key id (kid) and name")</th><th scope="col">\(l == .de ? "Rollen" : "Roles")</th><th scope="col">\(l == .de ? "Gültig ab" : "Valid from")</th><th scope="col">\(l == .de ? "Gültig bis (ausschließlich)" : "Valid until (exclusive)")</th><th scope="col">\(l == .de ? "Widerrufen" : "Revoked")</th><th scope="col">\(l == .de ? "Demo" : "Demo")</th><th scope="col">\(l == .de ? "Zustand jetzt" : "State now")</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
            return PageResponse.html(page.layout.render(title: title, content: content))
        }
    }
}

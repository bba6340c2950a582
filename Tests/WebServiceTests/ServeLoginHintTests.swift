import Diagnostics
import Testing
@testable import WebService

/// `serve` (not in demo mode) prints the `users add` command with the options of the installation it serves (found in
/// the web review: after `serve --db /srv/cg.sqlite` the printed command created the account in the default database).
@Suite struct ServeLoginHintTests {
    @Test func theCommandNamesTheServedDatabase() {
        let de = ServeLoginHint.lines(installation: [("--db", "/srv/consent gate/cg.sqlite"), ("--policy", "/etc/cg/policy")], language: .de)
        #expect(de == ["Anmeldung: Konto anlegen mit",
                       "  consentgate users add --name NAME --role caseworker --municipality ORT --password-file DATEI --passphrase-file DATEI --db '/srv/consent gate/cg.sqlite' --policy /etc/cg/policy"])
        let en = ServeLoginHint.lines(installation: [], language: .en)
        #expect(en.last == "  consentgate users add --name NAME --role caseworker --municipality PLACE --password-file FILE --passphrase-file FILE")
    }

    @Test func valuesAreQuotedForTheShell() {
        #expect(ServeLoginHint.shellQuoted("data/cg.sqlite") == "data/cg.sqlite")
        #expect(ServeLoginHint.shellQuoted("it's") == "'it'\\''s'")
        #expect(ServeLoginHint.shellQuoted("$HOME/x") == "'$HOME/x'")
        #expect(ServeLoginHint.shellQuoted("") == "''")
    }
}

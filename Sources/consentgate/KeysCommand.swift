import ArgumentParser
import Signing

/// `consentgate keys …`: generate, list, show, sign and verify with ConsentGate keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: HelpText.text("Manage signing keys and the trust store.",
                                de: "Signaturschlüssel und Trust-Store verwalten."),
        discussion: HelpText.text("""
            Passphrases for private keys come from --passphrase-file FILE or the environment variable \
            CONSENTGATE_PASSPHRASE, never from the command line. The shipped demo keys (keys/demo/) are refused \
            unless --demo is given. Exit codes: 0 ok, 2 usage, 3 invalid input, 4 signature or trust failure, \
            5 storage failure.
            """, de: """
            Passphrasen für private Schlüssel kommen aus --passphrase-file DATEI oder der Umgebungsvariablen \
            CONSENTGATE_PASSPHRASE, nie von der Kommandozeile. Die mitgelieferten Demo-Schlüssel (keys/demo/) \
            werden nur mit --demo akzeptiert. Exit-Codes: 0 in Ordnung, 2 Aufruffehler, 3 ungültige Eingabe, \
            4 Signatur- oder Vertrauensfehler, 5 Speicherfehler.
            """),
        subcommands: [KeysGenerateCommand.self, KeysListCommand.self, KeysShowCommand.self,
                      KeysSignCommand.self, KeysVerifyCommand.self]
    )
}

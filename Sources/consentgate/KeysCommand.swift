import ArgumentParser
import Signing

/// `consentgate keys …`: generate, list, show, sign and verify with ConsentGate keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage signing keys and the trust store / Signaturschlüssel und Trust-Store verwalten.",
        discussion: """
        Passphrases for private keys come from --passphrase-file FILE or the environment variable \
        CONSENTGATE_PASSPHRASE, never from the command line. The shipped demo keys (keys/demo/) are refused \
        unless --demo is given. Exit codes: 0 ok, 2 usage, 3 invalid input, 4 signature or trust failure, \
        5 storage failure.
        """,
        subcommands: [KeysGenerateCommand.self, KeysListCommand.self, KeysShowCommand.self,
                      KeysSignCommand.self, KeysVerifyCommand.self]
    )
}

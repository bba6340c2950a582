import ArgumentParser
import Signing

/// `consentgate keys …`: generate, list, show, sign and verify with ConsentGate keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage signing keys and the trust store.",
        subcommands: []
    )
}

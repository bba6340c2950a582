import ArgumentParser

/// `consentgate policy`: not yet built (see the issues).
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "(policy: not yet available)")
}

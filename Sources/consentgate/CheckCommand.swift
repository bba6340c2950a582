import ArgumentParser

/// `consentgate check`: not yet built (see the issues).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(check: not yet available)")
}

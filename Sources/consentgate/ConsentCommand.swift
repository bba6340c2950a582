import ArgumentParser

/// `consentgate consent`: not yet built (see the issues).
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consent", abstract: "(consent: not yet available)")
}

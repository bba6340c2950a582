import ArgumentParser

/// `consentgate serve`: not yet built (see the issues).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "(serve: not yet available)")
}

import ArgumentParser

/// `consentgate users`: not yet built (see the issues).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "(users: not yet available)")
}

import ArgumentParser

/// `consentgate export`: not yet built (see the issues).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "(export: not yet available)")
}

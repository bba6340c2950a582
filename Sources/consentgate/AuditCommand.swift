import ArgumentParser

/// `consentgate audit`: not yet built (see the issues).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "(audit: not yet available)")
}

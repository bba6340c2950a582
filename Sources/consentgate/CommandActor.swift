import ArgumentParser
import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who a command acts as, for the audit log: `--actor`, else `$CONSENTGATE_ACTOR`, else the login name (`$USER`,
/// `$LOGNAME`, else the process's user from the password database), else `cli`. Under systemd, cron or in a container
/// `USER` and `LOGNAME` are often unset; a black-box review found the log then said `cli` although docs/dpo-guide.md
/// promises the login name. An empty value counts as not given.
enum CommandActor {
    static func resolve(_ option: String?, environment: [String: String]) -> String {
        func given(_ v: String?) -> String? { v.flatMap { $0.isEmpty ? nil : $0 } }
        return given(option) ?? given(environment["CONSENTGATE_ACTOR"]) ?? given(environment["USER"])
            ?? given(environment["LOGNAME"]) ?? given(loginName()) ?? "cli"
    }

    /// The name of the process's effective user in the password database, or nil.
    static func loginName() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The longest actor, in Unicode scalars (an account name has at most 64; a job id or login name is shorter).
    static let maxLength = 128

    /// Refuses (exit 2, usage) an actor the audit log must not keep: over `maxLength`, or with a control or
    /// text-direction character. The log keeps it for good, and `audit log` prints it: an actor with a newline made a
    /// line of a forged entry there, an escape sequence reached the terminal (found by probing the command line).
    /// `source` names where it came from (`--actor`, `$CONSENTGATE_ACTOR`, …).
    static func validate(_ actor: String, source: String) throws {
        let count = actor.unicodeScalars.count
        if count > maxLength {
            throw ValidationError(HelpText.text("\(source): at most \(maxLength) characters for who is acting (has \(count))",
                                                de: "\(source): höchstens \(maxLength) Zeichen für die handelnde Person (hat \(count))"))
        }
        if DisplayUnsafeText.containsControlOrDirectionCharacter(actor) {
            throw ValidationError(HelpText.text("\(source): who is acting contains a control or text-direction character (a line break, tab or escape), which the audit log does not keep",
                                                de: "\(source): die handelnde Person enthält ein Steuer- oder Richtungszeichen (Zeilenumbruch, Tabulator oder Escape), das das Audit-Protokoll nicht aufnimmt"))
        }
    }

    /// The option or variable `resolve` took the actor from, for `validate`'s message (the login name in the
    /// message's language).
    static func source(_ option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return "--actor" }
        if let v = environment["CONSENTGATE_ACTOR"], !v.isEmpty { return "$CONSENTGATE_ACTOR" }
        if let v = environment["USER"], !v.isEmpty { return "$USER" }
        if let v = environment["LOGNAME"], !v.isEmpty { return "$LOGNAME" }
        return HelpText.text("the login name", de: "der Anmeldename")
    }

    /// `resolve`, then `validate`.
    static func validated(_ option: String?, environment: [String: String]) throws {
        try validate(resolve(option, environment: environment), source: source(option, environment: environment))
    }
}

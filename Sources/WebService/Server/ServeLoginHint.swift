import Diagnostics

/// What `consentgate serve` prints on how to log in when it is not in demo mode: the `users add` command to create an
/// account, with the installation options the service was started with (`--db`, `--policy`, `--trust`), so the account
/// lands in the database being served. Found in the web review: the hint had none of them, so after `serve --db
/// /srv/cg.sqlite` the printed command created the account in `./data/consentgate.sqlite` and the login failed. It names
/// `--passphrase-file` as well: outside demo mode `users add` logs the account with the installation's audit-log key.
public enum ServeLoginHint {
    /// The lines, in `language`. `installation`: the options to repeat, as (option, value) pairs (`("--db", path)`);
    /// values are quoted for a POSIX shell where needed.
    public static func lines(installation: [(option: String, value: String)], language: Language) -> [String] {
        let options = installation.map { " \($0.option) \(shellQuoted($0.value))" }.joined()
        switch language {
        case .de:
            return ["Anmeldung: Konto anlegen mit",
                    "  consentgate users add --name NAME --role caseworker --municipality ORT --password-file DATEI --passphrase-file DATEI" + options]
        case .en:
            return ["Login: create an account with",
                    "  consentgate users add --name NAME --role caseworker --municipality PLACE --password-file FILE --passphrase-file FILE" + options]
        }
    }

    /// `value` as one word of a POSIX shell: as it is when it holds only safe characters, else in single quotes.
    public static func shellQuoted(_ value: String) -> String {
        let safe = !value.isEmpty && value.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "/._-+:=@%,".unicodeScalars.contains(c)
        }
        return safe ? value : "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

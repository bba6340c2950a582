/// The keys shipped in `keys/demo/`, by kid. Their private key files and passphrase are public, so whoever has the
/// repository can sign with them: a trust store entry for one of them is a demo key whatever its `demo:` line says
/// (refused outside demo mode). Before 2026-12-07 only that line counted, and an entry without it (an administrator
/// deleting it after "demo key refused") trusted a consent forged with the shipped key (consent review, session 40).
public enum ShippedDemoKeys {
    /// The RFC 7638 thumbprints of `keys/demo/*.pub.pem` (a test keeps this list and the folder in step).
    public static let kids: Set<String> = [
        "JfBcPhkK6ytcXugNus36LE4VlSwOAqHN7i23W90Dqog",
        "l60_41tz_6JY-6Em9cFGww1ttacE5JRfOSucmslqsmM",
        "VbIYI0ZUe7cD-sMJv6-RtTK1evyypvJlY-6c2iHdlUA",
        "5Q8tc7zaHi5_aJXAur7cype2i1NCe9GheBtHrb0-xi8",
        "sqcAseLsYItqhcRWmgMIVyUdI3uI653_ghIiw3cz0RM",
    ]
}

import GRDB

/// The consent store's tables in the one ConsentGate database.
public enum ConsentSchema {
    /// Registers the consent store's migrations (named `consents-v1`, …) on the application's migrator.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
    }
}

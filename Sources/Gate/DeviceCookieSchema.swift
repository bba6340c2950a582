import GRDB

/// The `device_cookie` table: the login throttle's device cookies (`DeviceCookieStore`), so that a browser that has
/// logged in to an account stays trusted for it after a restart of `serve` and in every process on the database.
/// One row per issued cookie: the SHA-256 of its token (never the token: the table holds no secret), the lower-cased
/// account name it was issued for (the only personal data) and its issue time (UTC, RFC 3339 in whole seconds, so the
/// text sorts as the time does).
enum DeviceCookieSchema {
    /// Registers `device-cookies-v1`.
    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("device-cookies-v1") { db in
            try db.execute(sql: """
                CREATE TABLE device_cookie (
                    digest TEXT PRIMARY KEY NOT NULL CHECK (length(digest) = 71 AND substr(digest, 1, 7) = 'sha256:'),
                    name TEXT NOT NULL CHECK (name = lower(name)),
                    issued_at TEXT NOT NULL
                );
                CREATE INDEX device_cookie_by_name ON device_cookie (name, issued_at);
                CREATE INDEX device_cookie_by_issue ON device_cookie (issued_at);
                """)
        }
    }
}

import Foundation

/// A folder of the test's own under the system's temporary directory (`<prefix>-<UUID>`), removed with everything in
/// it when the last reference to it goes away. A test keeps it for as long as the folder is used — in a local, in a
/// stored property of its suite (Swift Testing makes a suite instance per test and releases it after the test) or in
/// a fixture that owns it — and the folder is gone after the test, also when the test failed or threw.
public final class TemporaryDirectory: Sendable {
    /// The folder.
    public let url: URL
    /// The folder's path.
    public var path: String { url.path }

    /// Creates `$TMPDIR/<prefix>-<UUID>`.
    public init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A new folder inside this one, named `name` (default: a unique name); removed with this one.
    public func folder(_ name: String = UUID().uuidString) throws -> URL {
        let folder = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

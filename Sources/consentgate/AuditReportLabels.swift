import AuditLog
import Foundation
import Gate
import PolicyEngine

/// The names `audit report` shows beside partner, purpose and field ids, from a policy bundle.
enum AuditReportLabels {
    /// The installation's default bundle folder (as `--policy` of the other commands).
    static let defaultFolder = "policies/kim-rhein-sieg"

    /// Labels from the bundle at `explicit` (which must load), else from the default folder when it exists,
    /// else none (the report then shows ids).
    static func load(explicit: String?) throws -> ReportLabels {
        let folder: String
        if let explicit {
            folder = explicit
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: defaultFolder, isDirectory: &isDir), isDir.boolValue else { return ReportLabels() }
            folder = defaultFolder
        }
        let bundle = try BundleLoader.load(directory: URL(fileURLWithPath: folder))
        return labels(of: bundle)
    }

    /// The bundle's partner names, purpose labels, field labels and consent-line wording by id.
    static func labels(of bundle: PolicyBundle) -> ReportLabels { ReportLabels(policy: bundle) }
}

import AuditLog
import Foundation
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

    /// The bundle's partner names, purpose labels and field labels by id.
    static func labels(of bundle: PolicyBundle) -> ReportLabels {
        ReportLabels(partners: Dictionary(bundle.partners.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                     purposes: Dictionary(bundle.purposes.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a }),
                     fields: Dictionary(bundle.fields.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a }))
    }
}

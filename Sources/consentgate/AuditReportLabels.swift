import AuditLog
import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// The names `audit report` shows beside partner, purpose and field ids, from a policy bundle.
enum AuditReportLabels {
    /// The installation's default bundle folder (as `--policy` of the other commands).
    static let defaultFolder = "policies/kim-rhein-sieg"

    /// Labels from the bundle at `explicit` (which must load), else from the default folder when it loads, else from
    /// the archived policy in force (`ArchivedPolicyInForce`), else none (the report then shows ids). A default folder
    /// that exists but does not load (a half-finished edit) is said on standard error, not a refusal: before, `audit
    /// report` then exited 3 and an Art. 15 answer waited for the policy editor (found in a review of the DPO's year).
    static func load(explicit: String?, database: AppDatabase, language: Language) throws -> ReportLabels {
        if let explicit { return labels(of: try BundleLoader.load(directory: URL(fileURLWithPath: explicit))) }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: defaultFolder, isDirectory: &isDir), isDir.boolValue {
            do { return labels(of: try BundleLoader.load(directory: URL(fileURLWithPath: defaultFolder))) } catch {
                let archived = try? ArchivedPolicyInForce.load(from: database)
                let problems = error.diagnostics.count
                StandardError.write(language == .de
                    ? "Hinweis: der Richtlinienordner \(defaultFolder) lädt nicht (\(problems) \(problems == 1 ? "Problem" : "Probleme"); `consentgate policy check \(defaultFolder)` nennt sie); die Auskunft benennt Zeilen aus dem Richtlinienarchiv\(archived.map { ", sonst nach der zuletzt geltenden Richtlinie \($0.bundle.version)" } ?? ", sonst nur mit IDs").\n"
                    : "note: the policy folder \(defaultFolder) does not load (\(problems) \(problems == 1 ? "problem" : "problems"); `consentgate policy check \(defaultFolder)` names them); the report names rows from the policy archive\(archived.map { ", else by the policy last in force, \($0.bundle.version)" } ?? ", else by id only").\n")
                return archived.map { labels(of: $0.bundle) } ?? ReportLabels()
            }
        }
        return (try? ArchivedPolicyInForce.load(from: database)).flatMap { $0.map { labels(of: $0.bundle) } } ?? ReportLabels()
    }

    /// The bundle's partner names, purpose labels, field labels and consent-line wording by id.
    static func labels(of bundle: PolicyBundle) -> ReportLabels { ReportLabels(policy: bundle) }
}

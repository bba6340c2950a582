import AuditLog
import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// The names `audit report` shows beside partner, purpose and field ids, from a policy bundle.
enum AuditReportLabels {
    /// The installation's default bundle folder (as `--policy` of the other commands).
    static let defaultFolder = "policies/kim-rhein-sieg"

    /// Labels from the bundle at `folder` (named with `--policy`: it must load).
    static func load(explicit folder: String) throws -> ReportLabels {
        labels(of: try BundleLoader.load(directory: URL(fileURLWithPath: folder)))
    }

    /// Labels from the default folder when it loads, else from
    /// the archived policy in force (`ArchivedPolicyInForce`), else none (the report then shows ids). A default folder
    /// that exists but does not load (a half-finished edit) is said on standard error, not a refusal: before, `audit
    /// report` then exited 3 and an Art. 15 answer waited for the policy editor (found in a review of the DPO's year).
    static func load(database: AppDatabase, language: Language) throws -> ReportLabels {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: defaultFolder, isDirectory: &isDir), isDir.boolValue {
            do { return labels(of: try BundleLoader.load(directory: URL(fileURLWithPath: defaultFolder))) } catch {
                let archived = try? ArchivedPolicyInForce.load(from: database)
                StandardError.write(folderNote(defaultFolder, problems: error.diagnostics.count, language: language) + (language == .de
                    ? "; die Auskunft benennt Zeilen aus dem Richtlinienarchiv\(archived.map { ", sonst nach der zuletzt geltenden Richtlinie \($0.bundle.version)" } ?? ", sonst nur mit IDs").\n"
                    : "; the report names rows from the policy archive\(archived.map { ", else by the policy last in force, \($0.bundle.version)" } ?? ", else by id only").\n"))
                return archived.map { labels(of: $0.bundle) } ?? ReportLabels()
            }
        }
        return (try? ArchivedPolicyInForce.load(from: database)).flatMap { $0.map { labels(of: $0.bundle) } } ?? ReportLabels()
    }

    /// "note: the policy folder … does not load (N problems; `consentgate policy check …` names them)", the start of what
    /// `audit report` and `audit explain` say when they read past a folder that does not load.
    static func folderNote(_ folder: String, problems: Int, language: Language) -> String {
        language == .de
            ? "Hinweis: der Richtlinienordner \(folder) lädt nicht (\(problems == 1 ? "1 Problem" : "\(problems) Probleme"); `consentgate policy check \(folder)` \(problems == 1 ? "nennt es" : "nennt sie"))"
            : "note: the policy folder \(folder) does not load (\(problems == 1 ? "1 problem" : "\(problems) problems"); `consentgate policy check \(folder)` \(problems == 1 ? "names it" : "names them"))"
    }

    /// The bundle's partner names, purpose labels, field labels and consent-line wording by id.
    static func labels(of bundle: PolicyBundle) -> ReportLabels { ReportLabels(policy: bundle) }
}

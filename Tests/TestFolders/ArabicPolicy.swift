import Foundation

/// The shipped policy with an Arabic declaration: template `kim-beratung` gets an Arabic text and the policy the
/// Arabic wording of the printed form (`Tests/PolicyEngineTests/Fixtures/form-languages/ar.yaml`, test data only), as
/// a county would add them. For the tests of the printed declaration in a language written right to left.
public enum ArabicPolicy {
    /// The package's root folder.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The Arabic text of the declaration the copy's template gets (test data).
    public static let templateText = "# الموافقة على تبادل البيانات\n\nأوافق على أن تنقل إدارة الاندماج البلدية بياناتي إلى **Jobcenter** للأغراض المذكورة أدناه.\n"

    /// The copy's file holding the Arabic wording (beside the shipped `form-languages.yaml`, whose Ukrainian names stay).
    public static let wordingFile = "form-languages-ar.yaml"

    /// Copies the shipped policy into `folder/name` and adds the Arabic text and wording; returns the copy's folder.
    public static func make(in folder: URL, name: String = "policy-ar") throws -> URL {
        let fm = FileManager.default
        let policy = folder.appendingPathComponent(name)
        try fm.copyItem(at: packageRoot.appendingPathComponent("policies/kim-rhein-sieg"), to: policy)
        let templates = policy.appendingPathComponent("consent-templates.yaml")
        var text = try String(contentsOf: templates, encoding: .utf8)
        let line = "      uk: {file: texts/kim-beratung.uk.md}\n"
        guard let first = text.range(of: line) else { throw CocoaError(.fileReadCorruptFile) }
        text.replaceSubrange(first, with: line + "      ar: {file: texts/kim-beratung.ar.md}\n")
        try Data(text.utf8).write(to: templates)
        try Data(templateText.utf8).write(to: policy.appendingPathComponent("texts/kim-beratung.ar.md"))
        try fm.copyItem(at: packageRoot.appendingPathComponent("Tests/PolicyEngineTests/Fixtures/form-languages/ar.yaml"),
                        to: policy.appendingPathComponent(wordingFile))
        return policy
    }
}

import Diagnostics
import Testing
@testable import PolicyEngine

/// A rule's condition in words for the pages (`Condition.words`): labels instead of ids, words instead of symbols (a
/// review of the pages, 2026-12-06, found "unaccompanied-minor = true ∧ age < 18" in a case manager's reason).
@Suite struct ConditionWordsTests {
    static func label(_ id: String) -> LocalizedText? {
        ["age": LocalizedText(de: "Alter", en: "Age"), "unaccompanied-minor": LocalizedText(de: "Unbegleitet minderjährig", en: "Unaccompanied minor")][id]
    }

    @Test(arguments: [
        (Condition.all([.test(attribute: "unaccompanied-minor", op: .eq, values: [.bool(true)]), .test(attribute: "age", op: .lt, values: [.int(18)])]),
         "Unbegleitet minderjährig: ja und Alter unter 18", "Unaccompanied minor: yes and Age below 18"),
        (.any([.test(attribute: "age", op: .ge, values: [.int(6)]), .test(attribute: "age", op: .le, values: [.int(2)])]),
         "(Alter mindestens 6 oder Alter höchstens 2)", "(Age at least 6 or Age at most 2)"),
        (.test(attribute: "municipality", op: .in, values: [.string("Siegburg"), .string("Troisdorf"), .string("Hennef")]),
         "municipality: „Siegburg“, „Troisdorf“ oder „Hennef“", "municipality: “Siegburg”, “Troisdorf” or “Hennef”"),
        (.test(attribute: "unaccompanied-minor", op: .ne, values: [.bool(true)]), "Unbegleitet minderjährig: nein", "Unaccompanied minor: no"),
        (.test(attribute: "age", op: .gt, values: [.int(17)]), "Alter über 17", "Age above 17"),
    ] as [(Condition, String, String)])
    func words(_ condition: Condition, _ de: String, _ en: String) {
        let words = condition.words(label: Self.label)
        #expect(words.de == de)
        #expect(words.en == en)
        #expect(!words.de.contains("∧") && !words.en.contains("<"))
    }
}

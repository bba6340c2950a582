/// German words for the problems libyaml (through Yams) reports in a YAML file, so a German message about a
/// policy bundle or trust store does not carry an English reason. A problem not in the table keeps its English
/// text; `YAMLSyntaxWordsTests` holds the table to the problems libyaml's sources define.
public enum YAMLSyntaxWords {
    /// `problem` in `language`: the German words when known, else the text as libyaml wrote it.
    public static func problem(_ problem: String, in language: Language) -> String {
        language == .de ? german[problem] ?? problem : problem + (englishHints[problem].map { " (\($0))" } ?? "")
    }

    /// The hints the German words give, for the English text too (found in a review of policy authoring: the English
    /// messages lacked them). libyaml reports a quotation mark left open where the next one closes it, often lines
    /// further down: the hint for "did not find expected key" says to look above.
    public static let englishHints: [String: String] = [
        "did not find expected key": "check the indentation, or a quotation mark left open above",
        "found a tab character that violates indentation": "use spaces only",
        "found character that cannot start any token": "e.g. a tab or @",
        "found unexpected end of stream": "e.g. a quotation mark left open",
        "mapping values are not allowed in this context": "check the indentation or missing quotation marks",
    ]

    /// libyaml's problem texts (scanner, parser, composer) and their German words.
    public static let german: [String: String] = [
        "block sequence entries are not allowed in this context": "Listeneinträge (-) sind an dieser Stelle nicht erlaubt",
        "could not find expected ':'": "erwartetes ':' nicht gefunden",
        "could not find expected directive name": "erwarteter Direktivenname nicht gefunden",
        "did not find URI escaped octet": "maskiertes URI-Oktett nicht gefunden",
        "did not find expected '!'": "erwartetes '!' nicht gefunden",
        "did not find expected ',' or ']'": "erwartetes ',' oder ']' nicht gefunden",
        "did not find expected ',' or '}'": "erwartetes ',' oder '}' nicht gefunden",
        "did not find expected '-' indicator": "erwartetes '-' nicht gefunden",
        "did not find expected <document start>": "erwarteter Dokumentanfang nicht gefunden",
        "did not find expected alphabetic or numeric character": "erwarteter Buchstabe oder Ziffer nicht gefunden",
        "did not find expected comment or line break": "erwarteter Kommentar oder Zeilenumbruch nicht gefunden",
        "did not find expected digit or '.' character": "erwartete Ziffer oder '.' nicht gefunden",
        "did not find expected hexdecimal number": "erwartete Hexadezimalzahl nicht gefunden",
        "did not find expected key": "erwarteter Schlüssel nicht gefunden (Einrückung prüfen, oder ein weiter oben nicht geschlossenes Anführungszeichen)",
        "did not find expected node content": "erwarteter Inhalt nicht gefunden",
        "did not find expected tag URI": "erwartete Tag-URI nicht gefunden",
        "did not find expected version number": "erwartete Versionsnummer nicht gefunden",
        "did not find expected whitespace or line break": "erwartetes Leerzeichen oder erwarteter Zeilenumbruch nicht gefunden",
        "did not find expected whitespace": "erwartetes Leerzeichen nicht gefunden",
        "did not find the expected '>'": "erwartetes '>' nicht gefunden",
        "found a tab character that violates indentation": "Tabulatorzeichen verletzt die Einrückung (nur Leerzeichen verwenden)",
        "found a tab character where an indentation space is expected": "Tabulatorzeichen, wo ein Leerzeichen zur Einrückung erwartet wird",
        "found an incorrect leading UTF-8 octet": "ungültiges erstes UTF-8-Byte",
        "found an incorrect trailing UTF-8 octet": "ungültiges Folge-UTF-8-Byte",
        "found an indentation indicator equal to 0": "Einrückungsangabe 0",
        "found character that cannot start any token": "Zeichen, mit dem kein YAML-Element beginnen kann (z. B. ein Tabulator oder @)",
        "found duplicate %TAG directive": "doppelte %TAG-Direktive",
        "found duplicate %YAML directive": "doppelte %YAML-Direktive",
        "found extremely long version number": "extrem lange Versionsnummer",
        "found incompatible YAML document": "inkompatibles YAML-Dokument",
        "found invalid Unicode character escape code": "ungültige Unicode-Maskierung",
        "found undefined tag handle": "undefinierter Tag-Bezeichner",
        "found unexpected ':'": "unerwartetes ':'",
        "found unexpected document indicator": "unerwartete Dokumentmarke",
        "found unexpected end of stream": "unerwartetes Dateiende (z. B. ein nicht geschlossenes Anführungszeichen)",
        "found unexpected non-alphabetical character": "unerwartetes Nicht-Buchstaben-Zeichen",
        "found unknown directive name": "unbekannter Direktivenname",
        "found unknown escape character": "unbekanntes Maskierungszeichen",
        "mapping keys are not allowed in this context": "Schlüssel sind an dieser Stelle nicht erlaubt",
        "mapping values are not allowed in this context": "Werte (nach ':') sind an dieser Stelle nicht erlaubt (Einrückung oder fehlende Anführungszeichen prüfen)",
    ]
}

// The product's words for transcripts and the sessions list, from dialogs/transcript.yaml.
import Foundation

public struct TranscriptWords: Sendable, Equatable {
    public var texts: [String: [String]]

    /// Every key the program uses; loading reports the missing ones.
    public static let required = [
        "title", "started", "role-hurt", "role-hurting", "you", "mend", "words-offered", "help-lines",
        "apology-notes", "crisis", "resumed", "undone-note", "damaged", "kept", "no-kept", "footer", "exported",
        "sessions-none", "sessions-columns", "sessions-damaged", "delete-one", "delete-all", "deleted",
        "not-deleted", "yes-words",
    ]

    public init(texts: [String: [String]]) { self.texts = texts }

    /// The text for `key` with `{name}` holes filled from `values`.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        var out = texts[key]?.first ?? ""
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    public func list(_ key: String) -> [String] { texts[key] ?? [] }

    /// Loads `transcript.yaml` from a dialogs folder; problems are diagnostics with file:line:column.
    public static func load(directory: String, diagnostics: inout [Diagnostic]) -> TranscriptWords {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("transcript.yaml")
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return TranscriptWords(texts: [:]) }
        let reader = YAMLReader(file: file)
        var texts: [String: [String]] = [:]
        if let root = reader.parse(text, plain: true) {
            for (key, keyNode, value) in reader.namedMapping(root, what: "transcript.yaml") ?? [] {
                if !required.contains(key) {
                    let hint = closest(key, in: required).map { " (did you mean '\($0)'?)" } ?? ""
                    reader.warning(keyNode, "'\(key)' is not a word the program uses\(hint)")
                }
                texts[key] = reader.strings(value, what: "'\(key)'")
            }
            for key in required where texts[key] == nil { reader.error(root, "transcript.yaml is missing '\(key)'") }
        }
        diagnostics += reader.diagnostics
        return TranscriptWords(texts: texts)
    }

    /// Loads and fails with the first problem, for the commands that need the words.
    public static func load(directory: String) throws -> TranscriptWords {
        var diagnostics: [Diagnostic] = []
        let words = load(directory: directory, diagnostics: &diagnostics)
        if let first = diagnostics.first(where: { $0.severity == .error }) { throw TranscriptWordsError(diagnostic: first) }
        return words
    }
}

public struct TranscriptWordsError: Error, CustomStringConvertible {
    public var diagnostic: Diagnostic
    public var description: String { diagnostic.description }
}

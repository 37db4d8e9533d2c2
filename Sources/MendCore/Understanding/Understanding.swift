// Reading a line of free text against one of CONTENT.md's sets (a first, keyword-based reader).
import Foundation

/// How the assistant read one line for one set. `label` is nil when it would ask rather than guess.
public struct Reading: Sendable, Equatable, Codable {
    public var set: String
    public var label: String?
    public var confidence: Double
    /// The words that decided it, for `--explain`.
    public var evidence: [String]

    public init(set: String, label: String?, confidence: Double, evidence: [String] = []) {
        self.set = set
        self.label = label
        self.confidence = confidence
        self.evidence = evidence
    }
}

/// The understanding data of `dialogs/understanding/`, ready to read lines.
public struct Understanding: Sendable {
    public struct Label: Sendable, Equatable {
        public var id: String
        /// Plain words for the numbered choice offered when the assistant asks.
        public var title: String
        public var words: [String]
    }
    public var sets: [String: [Label]]

    public init(sets: [String: [Label]] = [:]) { self.sets = sets }

    static func load(directory: URL, diagnostics: inout [Diagnostic]) -> Understanding {
        var sets: [String: [Label]] = [:]
        for set in Catalog.setOrder {
            let url = directory.appendingPathComponent("\(set).yaml")
            let file = displayPath(url)
            guard let text = readText(url, file: file, diagnostics: &diagnostics) else { continue }
            let reader = YAMLReader(file: file)
            defer { diagnostics += reader.diagnostics }
            guard let root = reader.parse(text),
                  let pairs = reader.mapping(root, what: "an understanding file", allowed: ["set", "labels"], required: ["set", "labels"]) else { continue }
            var labels: [Label] = []
            for (key, _, value) in pairs where key == "labels" {
                for (id, idNode, body) in reader.namedMapping(value, what: "labels") ?? [] {
                    if !(Catalog.sets[set] ?? []).contains(id) {
                        reader.error(idNode, "'\(id)' is not a label of the set '\(set)'; CONTENT.md lists: \((Catalog.sets[set] ?? []).joined(separator: ", "))")
                        continue
                    }
                    guard let fields = reader.mapping(body, what: "label '\(id)'", allowed: ["title", "words"], required: ["title"]) else { continue }
                    var label = Label(id: id, title: id, words: [])
                    for (k, _, v) in fields {
                        if k == "title" { label.title = reader.string(v, what: "title") ?? id }
                        if k == "words" { label.words = reader.strings(v, what: "words").map { $0.lowercased() } }
                    }
                    labels.append(label)
                }
            }
            sets[set] = labels
        }
        return Understanding(sets: sets)
    }

    public func title(of label: String, in set: String) -> String {
        sets[set]?.first { $0.id == label }?.title ?? label
    }

    /// Reads a line against a set; abstains (label nil) when no label clearly wins.
    public func read(_ text: String, set: String) -> Reading {
        let padded = " " + text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "'" ? $0 : " " }.reduce(into: "") { $0.append($1) } + " "
        var scores: [(String, Int, [String])] = []
        for label in sets[set] ?? [] {
            let hits = label.words.filter { padded.contains(" \($0) ") }
            if !hits.isEmpty { scores.append((label.id, hits.count, hits)) }
        }
        scores.sort { $0.1 > $1.1 }
        guard let best = scores.first, scores.count == 1 || scores[1].1 < best.1 else {
            return Reading(set: set, label: nil, confidence: 0, evidence: scores.flatMap { $0.2 })
        }
        return Reading(set: set, label: best.0, confidence: 0.7, evidence: best.2)
    }
}

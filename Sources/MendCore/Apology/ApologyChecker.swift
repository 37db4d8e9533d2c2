// The apology checker: finds the dodges in a draft apology (a first, phrase-based version).
import Foundation

public struct ApologyFlag: Sendable, Equatable, Codable {
    public var id: String
    /// The words in the draft that raised it.
    public var quote: String
    public var why: String
    public var better: String
}

public struct ApologyChecker: Sendable {
    public struct Rule: Sendable, Equatable {
        public var id: String
        public var phrases: [String]
        public var why: String
        public var better: String
    }
    public var rules: [Rule]

    public init(rules: [Rule] = []) { self.rules = rules }

    static func load(url: URL, diagnostics: inout [Diagnostic]) -> ApologyChecker {
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return ApologyChecker() }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let root = reader.parse(text) else { return ApologyChecker() }
        var rules: [Rule] = []
        for (id, _, body) in reader.namedMapping(root, what: "apology.yaml") ?? [] {
            guard let fields = reader.mapping(body, what: "rule '\(id)'", allowed: ["phrases", "why", "better"], required: ["phrases", "why", "better"]) else { continue }
            var rule = Rule(id: id, phrases: [], why: "", better: "")
            for (k, _, v) in fields {
                switch k {
                case "phrases": rule.phrases = reader.strings(v, what: k).map { $0.lowercased() }
                case "why": rule.why = reader.string(v, what: k) ?? ""
                case "better": rule.better = reader.string(v, what: k) ?? ""
                default: break
                }
            }
            rules.append(rule)
        }
        return ApologyChecker(rules: rules)
    }

    public func check(_ draft: String) -> [ApologyFlag] {
        let lower = draft.lowercased()
        return rules.compactMap { rule in
            rule.phrases.first { lower.contains($0) }.map { ApologyFlag(id: rule.id, quote: $0, why: rule.why, better: rule.better) }
        }
    }
}

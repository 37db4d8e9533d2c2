// Reading apology.yaml: the language rules, word classes, act forms, dodge rules and notes, with file:line:column.
import Foundation
import Yams

extension ApologyChecker {
    static let sections = ["language", "classes", "acts", "rules", "notes"]

    public static func load(url: URL, diagnostics: inout [Diagnostic]) -> ApologyChecker {
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return ApologyChecker() }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let root = reader.parse(text) else { return ApologyChecker() }
        return load(root: root, reader: reader)
    }

    /// Loads from text, for tests.
    public static func load(text: String, file: String = "apology.yaml", diagnostics: inout [Diagnostic]) -> ApologyChecker {
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let root = reader.parse(text) else { return ApologyChecker() }
        return load(root: root, reader: reader)
    }

    static func load(root: Yams.Node, reader: YAMLReader) -> ApologyChecker {
        var checker = ApologyChecker()
        guard let parts = reader.mapping(root, what: "apology.yaml", allowed: sections, required: ["rules"]) else { return checker }
        func part(_ name: String) -> Yams.Node? { parts.first { $0.key == name }?.value }

        // Language first: patterns are folded with it.
        if let node = part("language"), let fields = reader.mapping(node, what: "language", allowed: ["words", "fuzzy", "negators", "barriers"]) {
            for (key, _, value) in fields {
                switch key {
                case "words":
                    for (typed, _, plain) in reader.namedMapping(value, what: "words") ?? [] {
                        if let p = reader.string(plain, what: "the plain words for '\(typed)'") {
                            checker.language.words[typed.lowercased()] = p.lowercased().split(separator: " ").map(String.init)
                        }
                    }
                case "fuzzy": checker.language.fuzzy = reader.strings(value, what: "fuzzy").map { $0.lowercased() }
                case "negators": checker.language.negators = Set(reader.strings(value, what: "negators").map { $0.lowercased() })
                case "barriers": checker.language.barriers = Set(reader.strings(value, what: "barriers").map { $0.lowercased() })
                default: break
                }
            }
        }
        let language = checker.language
        if let node = part("classes") {
            for (name, _, value) in reader.namedMapping(node, what: "classes") ?? [] {
                checker.classes[name] = reader.strings(value, what: "class '\(name)'").map { phrase in
                    phrase.split(separator: " ").flatMap { language.expand($0.lowercased()) }
                }.sorted { $0.count > $1.count }
            }
        }
        if let node = part("acts"), let fields = reader.mapping(node, what: "acts", allowed: ["not-acts", "helpers", "past", "base", "nouns"]) {
            for (key, _, value) in fields {
                func map() -> [String: String] {
                    var out: [String: String] = [:]
                    for (k, _, v) in reader.namedMapping(value, what: key) ?? [] { out[k.lowercased()] = reader.string(v, what: "'\(k)'") }
                    return out
                }
                switch key {
                case "not-acts": checker.acts.notActs = Set(reader.strings(value, what: key).map { $0.lowercased() })
                case "helpers": checker.acts.helpers = Set(reader.strings(value, what: key).flatMap { language.expand($0.lowercased()) })
                case "past": checker.acts.past = map()
                case "base": checker.acts.base = map()
                case "nouns": checker.acts.nouns = map()
                default: break
                }
            }
        }
        let classes = checker.classes
        func patterns(_ node: Yams.Node?, what: String) -> [ApologyPattern] {
            var out: [ApologyPattern] = []
            for item in reader.sequence(node, what: what) {
                var source: String?, better: [String] = [], textNode = item
                if case .mapping = item {
                    guard let fields = reader.mapping(item, what: "a pattern", allowed: ["match", "better"], required: ["match"]) else { continue }
                    for (k, _, v) in fields {
                        if k == "match" { source = reader.string(v, what: "match"); textNode = v }
                        if k == "better" { better = reader.strings(v, what: "better") }
                    }
                } else {
                    source = reader.string(item, what: what)
                }
                guard let source else { continue }
                guard let expanded = ApologyPattern.expandGroups(source.lowercased()) else {
                    reader.error(textNode, "the pattern '\(source)' has an unbalanced or nested '(' ')' group")
                    continue
                }
                for text in expanded {
                    switch ApologyPattern.parse(text, language: language, classes: classes) {
                    case var .success(p):
                        p.source = source
                        p.better = better
                        out.append(p)
                    case let .failure(e):
                        reader.error(textNode, "in the pattern '\(source)': \(e.message)")
                    }
                    if case .failure = ApologyPattern.parse(text, language: language, classes: classes) { break }
                }
                for shape in better { checkTemplate(shape, node: item, reader: reader) }
            }
            return out
        }
        if let node = part("rules") {
            for (id, _, body) in reader.namedMapping(node, what: "rules") ?? [] {
                guard let fields = reader.mapping(body, what: "rule '\(id)'", allowed: ["patterns", "unless", "unless-next", "negation", "why", "better"],
                                                  required: ["patterns", "why", "better"]) else { continue }
                var rule = Rule(id: id, patterns: [], unless: [], unlessNext: [], negation: true, why: "", better: [])
                for (k, _, v) in fields {
                    switch k {
                    case "patterns": rule.patterns = patterns(v, what: "patterns")
                    case "unless": rule.unless = patterns(v, what: "unless")
                    case "unless-next": rule.unlessNext = patterns(v, what: "unless-next")
                    case "negation": rule.negation = reader.bool(v, what: "negation") ?? true
                    case "why": rule.why = reader.string(v, what: "why") ?? ""
                    case "better":
                        rule.better = reader.strings(v, what: "better")
                        for shape in rule.better { checkTemplate(shape, node: v, reader: reader) }
                    default: break
                    }
                }
                checker.rules.append(rule)
            }
        }
        if let node = part("notes") {
            for (id, _, body) in reader.namedMapping(node, what: "notes") ?? [] {
                guard let fields = reader.mapping(body, what: "note '\(id)'", allowed: ["cues", "act", "why", "better"], required: ["why", "better"]) else { continue }
                var note = Note(id: id, cues: [], needsAct: false, why: "", better: [])
                for (k, _, v) in fields {
                    switch k {
                    case "cues": note.cues = patterns(v, what: "cues")
                    case "act": note.needsAct = reader.bool(v, what: "act") ?? false
                    case "why": note.why = reader.string(v, what: "why") ?? ""
                    case "better": note.better = reader.strings(v, what: "better")
                    default: break
                    }
                }
                checker.notes.append(note)
            }
        }
        return checker
    }

    /// A better shape is a template: its holes must parse, and only `{act}` and word classes can be filled.
    static func checkTemplate(_ text: String, node: Yams.Node, reader: YAMLReader) {
        switch TemplateParser.parse(text) {
        case let .failure(e): reader.error(node, "in the shape '\(text)': \(e.message)")
        case .success: break
        }
    }
}

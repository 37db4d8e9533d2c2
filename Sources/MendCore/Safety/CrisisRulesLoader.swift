// Loading dialogs/safety/crisis.yaml into compiled patterns, each problem reported at its file:line:column.
import Foundation
import Yams

enum CrisisRulesLoader {
    static let topKeys = ["spelling", "mend", "keep", "slots", "idioms", "negation", "past", "self-harm", "harm-others", "abuse", "minor", "soften"]

    static func load(url: URL, diagnostics: inout [Diagnostic]) -> CrisisRules {
        var rules = CrisisRules()
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return rules }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let root = reader.parse(text, plain: true),
              let pairs = reader.mapping(root, what: "crisis.yaml", allowed: topKeys, required: ["slots", "self-harm", "harm-others", "abuse"]) else { return rules }
        var byKey: [String: Yams.Node] = [:]
        for (key, _, value) in pairs { byKey[key] = value }

        // Spelling: word -> words.
        for (word, keyNode, value) in reader.namedMapping(byKey["spelling"], what: "spelling") ?? [] {
            guard let to = reader.string(value, what: "the spelling of '\(word)'") else { continue }
            let from = word.lowercased().replacingOccurrences(of: "'", with: "")
            if from.contains(" ") { reader.error(keyNode, "spelling maps one word to its usual form; '\(word)' has a space"); continue }
            rules.normaliser.spelling[from] = to.lowercased().replacingOccurrences(of: "'", with: "").split(separator: " ").map(String.init)
        }
        rules.normaliser.keep = Set(reader.strings(byKey["keep"], what: "keep").map { $0.lowercased() })

        // Slots: name -> phrases (no slots inside).
        var slots: PatternSlots = [:]
        for (name, _, value) in reader.namedMapping(byKey["slots"], what: "slots") ?? [] {
            var phrases: [[PatternPiece]] = []
            for item in reader.sequence(value, what: "the slot '\(name)'") {
                guard let source = reader.string(item, what: "a phrase") else { continue }
                switch PatternSyntax.compile(source, slotNames: nil, allowSlots: false) {
                case let .success(pieces): phrases.append(pieces)
                case let .failure(problem): reader.error(item, problem.message)
                }
            }
            slots[name] = phrases
        }
        let slotNames = Set(slots.keys)

        func patterns(_ node: Yams.Node?, what: String) -> [CrisisPattern] {
            var result: [CrisisPattern] = []
            for item in reader.sequence(node, what: what) {
                guard let source = reader.string(item, what: "a pattern") else { continue }
                switch PatternSyntax.compile(source, slotNames: slotNames) {
                case let .success(pieces): result.append(CrisisPattern(pieces: pieces, source: source, place: reader.place(item)))
                case let .failure(problem): reader.error(item, problem.message)
                }
            }
            return result
        }

        rules.idioms = patterns(byKey["idioms"], what: "idioms")
        rules.minor = patterns(byKey["minor"], what: "minor")
        rules.soften = patterns(byKey["soften"], what: "soften")
        if let negation = byKey["negation"] {
            for (key, _, value) in reader.mapping(negation, what: "negation", allowed: ["words", "undo", "window"], required: ["words"]) ?? [] {
                switch key {
                case "words": rules.negations = patterns(value, what: "negation words")
                case "undo": rules.negationUndo = patterns(value, what: "negation undo")
                default:
                    if let n = reader.double(value, what: "window") {
                        if n < 1 || n > 12 { reader.error(value, "window should be a number of words from 1 to 12") } else { rules.negationWindow = Int(n) }
                    }
                }
            }
        }
        if let past = byKey["past"] {
            for (key, _, value) in reader.mapping(past, what: "past", allowed: ["markers", "present", "calm", "looking-back"], required: ["markers"]) ?? [] {
                switch key {
                case "markers": rules.past = patterns(value, what: "past markers")
                case "present": rules.present = patterns(value, what: "present markers")
                case "calm": rules.calm = patterns(value, what: "calm words")
                default: rules.lookingBack = patterns(value, what: "looking-back clauses")
                }
            }
        }
        for category in CrisisCategory.allCases {
            guard let body = byKey[category.rawValue] else { continue }
            let allowed = category == .harmOthers ? ["interrupt", "ask", "by-user", "aimed", "plan"] : category == .abuse ? ["interrupt", "ask", "control"] : ["interrupt", "ask"]
            for (key, _, value) in reader.mapping(body, what: category.rawValue, allowed: allowed, required: ["interrupt"]) ?? [] {
                guard let kind = CrisisRules.Kind(rawValue: key) else { continue }
                // `control`: sign -> patterns ("watching", "money", "cutting-off").
                if kind == .control {
                    for (sign, _, list) in reader.namedMapping(value, what: "\(category.rawValue) control") ?? [] {
                        for pattern in patterns(list, what: "\(category.rawValue) control \(sign)") {
                            rules.rules.append(CrisisRules.Rule(category: category, kind: kind, pattern: pattern, sign: sign))
                        }
                    }
                    continue
                }
                for pattern in patterns(value, what: "\(category.rawValue) \(key)") {
                    rules.rules.append(CrisisRules.Rule(category: category, kind: kind, pattern: pattern))
                }
            }
        }

        // Negation words a gap may not skip; long pattern words that a one-letter slip is mended to.
        let singleNegations = rules.negations.compactMap { p -> [String]? in
            guard p.pieces.count == 1, case let .word(set, _) = p.pieces[0] else { return nil }
            return Array(set)
        }
        var known: Set<String> = rules.normaliser.keep
        for rule in rules.rules { known.formUnion(PatternSyntax.words(of: rule.pattern.pieces)) }
        for phrases in slots.values { for p in phrases { known.formUnion(PatternSyntax.words(of: p)) } }
        rules.normaliser.keep = known
        rules.normaliser.vocabulary = Set(reader.strings(byKey["mend"], what: "mend").map { $0.lowercased() })
        rules.matcher = PatternMatcher(slots: slots, gapStops: Set(singleNegations.flatMap { $0 }))
        return rules
    }
}

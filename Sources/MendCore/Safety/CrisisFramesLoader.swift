// Loading dialogs/safety/frames.yaml (concepts and frames) into plain values, each problem at its file:line:column.
import Foundation
import Yams

enum CrisisFramesLoader {
    static let topKeys = ["window", "spelling", "concepts", "frames"]
    static let actions = ["interrupt", "ask"]

    /// A missing file means no frames (the patterns alone still work).
    static func load(url: URL, diagnostics: inout [Diagnostic]) -> CrisisFrames {
        var frames = CrisisFrames()
        guard FileManager.default.fileExists(atPath: url.path) else { return frames }
        let file = displayPath(url)
        frames.file = url.lastPathComponent
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return frames }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let root = reader.parse(text, plain: true),
              let pairs = reader.mapping(root, what: "frames.yaml", allowed: topKeys, required: ["concepts", "frames"]) else { return frames }
        var byKey: [String: Yams.Node] = [:]
        for (key, _, value) in pairs { byKey[key] = value }

        if let node = byKey["window"], let n = reader.double(node, what: "window") {
            if n < 1 || n > 20 || n != n.rounded() { reader.error(node, "window should be a whole number of words from 1 to 20") } else { frames.window = Int(n) }
        }
        for (word, keyNode, value) in reader.namedMapping(byKey["spelling"], what: "spelling") ?? [] {
            guard let to = reader.string(value, what: "the spelling of '\(word)'") else { continue }
            let from = plainWord(word)
            if from.contains(" ") { reader.error(keyNode, "spelling maps one word to its usual form; '\(word)' has a space"); continue }
            frames.spelling[from] = plainWord(to).split(separator: " ").map(String.init)
        }

        // Concepts: names first, so phrases may refer to any of them.
        let conceptPairs = reader.namedMapping(byKey["concepts"], what: "concepts") ?? []
        frames.conceptNames = conceptPairs.map(\.key)
        let index = Dictionary(frames.conceptNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for (name, _, value) in conceptPairs {
            var phrases: [[CrisisFrames.Step]] = []
            for item in reader.sequence(value, what: "the concept '\(name)'") {
                guard let source = reader.string(item, what: "a phrase") else { continue }
                switch compilePhrase(source, concepts: index) {
                case let .success(list): phrases += list
                case let .failure(problem): reader.error(at: placeOf(problem.offset, in: item, reader: reader), problem.message)
                }
            }
            if phrases.isEmpty { reader.warning(value, "the concept '\(name)' has no phrases") }
            frames.phrases.append(phrases)
        }
        // An index by first word, so a line position only tries the phrases that could start there.
        for concept in frames.phrases {
            var exact: [String: [Int]] = [:]
            var other: [Int] = []
            for (p, steps) in concept.enumerated() {
                if let first = steps.first, !first.optional, first.stems.isEmpty, first.concepts.isEmpty {
                    for w in first.words { exact[w, default: []].append(p) }
                } else {
                    other.append(p)
                }
            }
            frames.byFirstWord.append(exact)
            frames.otherPhrases.append(other)
        }
        reportCycles(frames, conceptPairs.map(\.keyNode), reader: reader)

        for (category, categoryNode, body) in reader.namedMapping(byKey["frames"], what: "frames") ?? [] {
            guard CrisisCategory(rawValue: category) != nil else {
                let hint = closest(category, in: CrisisCategory.allCases.map(\.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error(categoryNode, "'\(category)' is not a crisis category\(hint); use self-harm, harm-others or abuse")
                continue
            }
            for (action, _, list) in reader.mapping(body, what: "frames for \(category)", allowed: actions) ?? [] {
                for item in reader.sequence(list, what: "\(category) \(action)") {
                    guard let source = reader.string(item, what: "a frame") else { continue }
                    switch compileFrame(source, concepts: index) {
                    case let .success((parts, gaps, unless)):
                        let at = reader.place(item)
                        frames.frames.append(CrisisFrames.Frame(category: category, action: action, parts: parts, gaps: gaps, unless: unless,
                                                                source: source, line: at.line, column: at.column))
                    case let .failure(problem):
                        reader.error(at: placeOf(problem.offset, in: item, reader: reader), problem.message)
                    }
                }
            }
        }
        return frames
    }

    struct Problem: Error {
        var message: String
        /// Characters into the text where the problem starts.
        var offset: Int
    }

    static func plainWord(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0 != "'" && $0 != "’" })
    }

    /// The words of a text with where each starts; a parenthesised group with its spaces counts as one word.
    static func words(_ text: String) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var current = ""
        var start = 0
        var depth = 0
        for (i, c) in text.enumerated() {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == " " && depth <= 0 {
                if !current.isEmpty { result.append((current, start)) }
                current = ""
            } else {
                if current.isEmpty { start = i }
                current.append(c)
            }
        }
        if !current.isEmpty { result.append((current, start)) }
        return result
    }

    /// Splits on `|` outside parentheses.
    static func alternatives(_ text: String) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var current = ""
        var start = 0
        var depth = 0
        for (i, c) in text.enumerated() {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == "|" && depth == 0 {
                result.append((current, start))
                current = ""
                start = i + 1
            } else {
                current.append(c)
            }
        }
        result.append((current, start))
        return result
    }

    /// `i|im {want} to? kill* (his|her face)?` -> one or more phrases of steps (a group gives one phrase per choice).
    static func compilePhrase(_ source: String, concepts: [String: Int]) -> Result<[[CrisisFrames.Step]], Problem> {
        let text = plainWord(source)
        if text.filter({ $0 == "(" }).count != text.filter({ $0 == ")" }).count {
            return .failure(Problem(message: "a '(' without its ')'", offset: 0))
        }
        switch variants(text, base: 0, concepts: concepts) {
        case let .failure(problem): return .failure(problem)
        case let .success(list):
            let phrases = list.filter { !$0.isEmpty && !$0.allSatisfy(\.optional) }
            if phrases.isEmpty { return .failure(Problem(message: "a phrase needs at least one word that is not optional", offset: 0)) }
            if list.count > 512 { return .failure(Problem(message: "this phrase has \(list.count) spellings; split it into smaller phrases", offset: 0)) }
            return .success(phrases)
        }
    }

    static func variants(_ text: String, base: Int, concepts: [String: Int]) -> Result<[[CrisisFrames.Step]], Problem> {
        let list = words(text)
        if list.isEmpty { return .failure(Problem(message: "an empty phrase or choice", offset: base)) }
        var result: [[CrisisFrames.Step]] = [[]]
        for (raw, offset) in list {
            var word = raw
            var optional = false
            if word.hasSuffix("?") && word.count > 1 { optional = true; word.removeLast() }
            var choices: [[CrisisFrames.Step]] = []
            if word.hasPrefix("(") && word.hasSuffix(")") {
                for (alt, at) in alternatives(String(word.dropFirst().dropLast())) {
                    switch variants(alt, base: base + offset + 1 + at, concepts: concepts) {
                    case let .success(v): choices += v
                    case let .failure(problem): return .failure(problem)
                    }
                }
                // A group of single words is one step, not one phrase per word.
                if choices.count > 1, choices.allSatisfy({ $0.count == 1 && !$0[0].optional }) {
                    var merged = CrisisFrames.Step()
                    for choice in choices {
                        merged.words += choice[0].words.filter { !merged.words.contains($0) }
                        merged.stems += choice[0].stems
                        merged.concepts += choice[0].concepts
                    }
                    merged.optional = optional
                    choices = [[merged]]
                } else if optional {
                    choices.append([])
                }
            } else {
                var step = CrisisFrames.Step()
                step.optional = optional
                for alt in word.split(separator: "|", omittingEmptySubsequences: false).map(String.init) {
                    if alt.hasPrefix("{") && alt.hasSuffix("}") && alt.count > 2 {
                        let name = String(alt.dropFirst().dropLast())
                        guard let c = concepts[name] else {
                            let hint = closest(name, in: Array(concepts.keys)).map { " (did you mean {\($0)}?)" } ?? ""
                            return .failure(Problem(message: "no concept called {\(name)}\(hint)", offset: base + offset))
                        }
                        step.concepts.append(c)
                    } else if !alt.isEmpty, alt.allSatisfy({ $0.isLetter || $0.isNumber }) {
                        step.words.append(alt)
                    } else if alt.count > 1, alt.hasSuffix("*"), alt.dropLast().allSatisfy({ $0.isLetter || $0.isNumber }) {
                        step.stems.append(String(alt.dropLast()))
                    } else {
                        return .failure(Problem(message: "'\(raw)' is not a word, a stem like kill*, a concept like {want}, alternatives like a|b or a group like (a b|c) (add ? to make it optional)", offset: base + offset))
                    }
                }
                choices = [[step]]
            }
            var next: [[CrisisFrames.Step]] = []
            for prefix in result { for choice in choices { next.append(prefix + choice) } }
            if next.count > 4096 { return .failure(Problem(message: "too many spellings in one phrase; split it", offset: base + offset)) }
            result = next
        }
        return .success(result)
    }

    /// `me want 2 death !joke` -> concept indices in order, the gap allowed before each, and those that keep it quiet.
    static func compileFrame(_ source: String, concepts: [String: Int]) -> Result<([Int], [Int], [Int]), Problem> {
        var parts: [Int] = []
        var gaps: [Int] = []
        var unless: [Int] = []
        var nextGap = -1
        for (raw, offset) in words(source) {
            if let n = Int(raw) {
                guard !parts.isEmpty, nextGap < 0, (0...20).contains(n) else {
                    return .failure(Problem(message: "a number (0 to 20) goes between two concepts: the most words allowed between them", offset: offset))
                }
                nextGap = n
                continue
            }
            let blocking = raw.hasPrefix("!")
            let name = blocking ? String(raw.dropFirst()) : raw
            guard let c = concepts[name] else {
                let hint = closest(name, in: Array(concepts.keys)).map { " (did you mean '\($0)'?)" } ?? ""
                return .failure(Problem(message: "no concept called '\(name)'\(hint); a frame is concept names in order, '!name' for one that keeps it quiet", offset: offset))
            }
            if blocking {
                unless.append(c)
            } else {
                parts.append(c)
                gaps.append(nextGap)
                nextGap = -1
            }
        }
        if parts.isEmpty { return .failure(Problem(message: "a frame needs at least one concept", offset: 0)) }
        if nextGap >= 0 { return .failure(Problem(message: "a number must be followed by a concept", offset: max(0, source.count - 1))) }
        return .success((parts, gaps, unless))
    }

    /// The place of a character inside a one-line scalar (quoted scalars start one column later).
    static func placeOf(_ offset: Int, in node: Yams.Node, reader: YAMLReader) -> Place {
        var at = reader.place(node)
        if case let .scalar(scalar) = node, scalar.style != .plain && scalar.style != .any { at.column += 1 }
        at.column += offset
        return at
    }

    /// A concept whose first word is itself (directly or through others) could never be read; say which.
    static func reportCycles(_ frames: CrisisFrames, _ nodes: [Yams.Node], reader: YAMLReader) {
        func leading(_ c: Int) -> [Int] {
            var result: [Int] = []
            for phrase in frames.phrases[c] {
                for step in phrase {
                    result += step.concepts
                    if !step.optional { break }
                }
            }
            return result
        }
        for c in frames.phrases.indices {
            var seen: Set<Int> = []
            var stack = leading(c)
            while let next = stack.popLast() {
                if next == c {
                    reader.error(nodes[c], "the concept '\(frames.conceptNames[c])' starts with itself (through {…}); it can never be read")
                    break
                }
                if seen.insert(next).inserted { stack += leading(next) }
            }
        }
    }
}

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
        var compiler = PhraseCompiler(concepts: index)
        for (name, _, value) in conceptPairs {
            var phrases: [[CrisisFrames.Step]] = []
            for item in reader.sequence(value, what: "the concept '\(name)'") {
                guard let source = reader.string(item, what: "a phrase") else { continue }
                switch compiler.compile(source) {
                case let .success(list): phrases += list
                case let .failure(problem): reader.error(at: placeOf(problem.offset, in: item, reader: reader), problem.message)
                }
            }
            if phrases.isEmpty { reader.warning(value, "the concept '\(name)' has no phrases") }
            frames.phrases.append(phrases)
        }
        frames.wordIDs = compiler.wordIDs
        // An index by first word, so a line position only tries the phrases that could start there.
        for concept in frames.phrases {
            var exact: [Int: [Int]] = [:]
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
        // Which concepts can start with which word, through references and optional words.
        var firstWords: [Set<Int>] = Array(repeating: [], count: frames.phrases.count)
        var firstStems: [Set<String>] = Array(repeating: [], count: frames.phrases.count)
        var firstRefs: [Set<Int>] = Array(repeating: [], count: frames.phrases.count)
        for (c, concept) in frames.phrases.enumerated() {
            for steps in concept {
                for step in steps {
                    firstWords[c].formUnion(step.words)
                    firstStems[c].formUnion(step.stems)
                    firstRefs[c].formUnion(step.concepts)
                    if !step.optional { break }
                }
            }
        }
        var changed = true
        while changed {
            changed = false
            for c in frames.phrases.indices {
                for r in firstRefs[c] {
                    let (w, st) = (firstWords[c].count, firstStems[c].count)
                    firstWords[c].formUnion(firstWords[r])
                    firstStems[c].formUnion(firstStems[r])
                    if firstWords[c].count != w || firstStems[c].count != st { changed = true }
                }
            }
        }
        for c in frames.phrases.indices {
            for w in firstWords[c] { frames.startsWithWord[w, default: []].append(c) }
            for st in firstStems[c] { frames.startsWithStem[st, default: []].append(c) }
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
        split(Array(text.utf8), on: UInt8(ascii: " "), keepEmpty: false).map { (String(decoding: $0.0, as: UTF8.self), $0.1) }
    }

    /// Byte runs split on `mark` outside parentheses, each with its offset.
    static func split(_ bytes: ArraySlice<UInt8>, on mark: UInt8, keepEmpty: Bool) -> [(ArraySlice<UInt8>, Int)] {
        var result: [(ArraySlice<UInt8>, Int)] = []
        var depth = 0
        var start = bytes.startIndex
        for i in bytes.indices {
            let b = bytes[i]
            if b == UInt8(ascii: "(") { depth += 1 }
            if b == UInt8(ascii: ")") { depth -= 1 }
            if b == mark && depth <= 0 {
                if keepEmpty || i > start { result.append((bytes[start..<i], start - bytes.startIndex)) }
                start = i + 1
            }
        }
        if keepEmpty || bytes.endIndex > start { result.append((bytes[start..<bytes.endIndex], start - bytes.startIndex)) }
        return result
    }

    static func split(_ bytes: [UInt8], on mark: UInt8, keepEmpty: Bool) -> [(ArraySlice<UInt8>, Int)] {
        split(bytes[...], on: mark, keepEmpty: keepEmpty)
    }

    /// Phrases to steps, numbering words as it goes (bytes, not Characters: this runs for every phrase at start-up).
    struct PhraseCompiler {
        var concepts: [String: Int]
        var wordIDs: [String: Int] = [:]

        init(concepts: [String: Int]) { self.concepts = concepts }

        /// `i|im {want} to? kill* (his|her face)?` -> one or more phrases of steps (a group gives one phrase per choice).
        mutating func compile(_ source: String) -> Result<[[CrisisFrames.Step]], Problem> {
            var bytes: [UInt8] = []
            for b in source.utf8 where b != UInt8(ascii: "'") { bytes.append(b >= 65 && b <= 90 ? b + 32 : b) }
            if bytes.contains(where: { $0 >= 128 }) { bytes = Array(CrisisFramesLoader.plainWord(source).utf8) }
            if bytes.filter({ $0 == UInt8(ascii: "(") }).count != bytes.filter({ $0 == UInt8(ascii: ")") }).count {
                return .failure(Problem(message: "a '(' without its ')'", offset: 0))
            }
            switch variants(bytes[...], base: 0) {
            case let .failure(problem): return .failure(problem)
            case let .success(list):
                let phrases = list.filter { !$0.isEmpty && !$0.allSatisfy(\.optional) }
                if phrases.isEmpty { return .failure(Problem(message: "a phrase needs at least one word that is not optional", offset: 0)) }
                if list.count > 512 { return .failure(Problem(message: "this phrase has \(list.count) spellings; split it into smaller phrases", offset: 0)) }
                return .success(phrases)
            }
        }

        static func isWordByte(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b >= 128 }

        mutating func variants(_ text: ArraySlice<UInt8>, base: Int) -> Result<[[CrisisFrames.Step]], Problem> {
            let list = CrisisFramesLoader.split(text, on: UInt8(ascii: " "), keepEmpty: false)
            if list.isEmpty { return .failure(Problem(message: "an empty phrase or choice", offset: base)) }
            var result: [[CrisisFrames.Step]] = [[]]
            for (raw, offset) in list {
                var word = raw
                var optional = false
                if word.count > 1, word.last == UInt8(ascii: "?") { optional = true; word = word.dropLast() }
                var choices: [[CrisisFrames.Step]] = []
                if word.first == UInt8(ascii: "("), word.last == UInt8(ascii: ")") {
                    for (alt, at) in CrisisFramesLoader.split(word.dropFirst().dropLast(), on: UInt8(ascii: "|"), keepEmpty: true) {
                        switch variants(alt, base: base + offset + 1 + at) {
                        case let .success(v): choices += v
                        case let .failure(problem): return .failure(problem)
                        }
                    }
                    // A group of single words is one step, not one phrase per word.
                    if choices.count > 1, choices.allSatisfy({ $0.count == 1 && !$0[0].optional }) {
                        var merged = CrisisFrames.Step()
                        for choice in choices {
                            merged.words += choice[0].words
                            merged.stems += choice[0].stems
                            merged.concepts += choice[0].concepts
                        }
                        merged.words = Array(Set(merged.words)).sorted()
                        merged.optional = optional
                        choices = [[merged]]
                    } else if optional {
                        choices.append([])
                    }
                } else {
                    var step = CrisisFrames.Step()
                    step.optional = optional
                    for (alt, _) in CrisisFramesLoader.split(word, on: UInt8(ascii: "|"), keepEmpty: true) {
                        if alt.count > 2, alt.first == UInt8(ascii: "{"), alt.last == UInt8(ascii: "}") {
                            let name = String(decoding: alt.dropFirst().dropLast(), as: UTF8.self)
                            guard let c = concepts[name] else {
                                let hint = closest(name, in: Array(concepts.keys)).map { " (did you mean {\($0)}?)" } ?? ""
                                return .failure(Problem(message: "no concept called {\(name)}\(hint)", offset: base + offset))
                            }
                            step.concepts.append(c)
                        } else if !alt.isEmpty, alt.allSatisfy(Self.isWordByte) {
                            let w = String(decoding: alt, as: UTF8.self)
                            if let id = wordIDs[w] { step.words.append(id) } else { wordIDs[w] = wordIDs.count; step.words.append(wordIDs.count - 1) }
                        } else if alt.count > 1, alt.last == UInt8(ascii: "*"), alt.dropLast().allSatisfy(Self.isWordByte) {
                            step.stems.append(String(decoding: alt.dropLast(), as: UTF8.self))
                        } else {
                            return .failure(Problem(message: "'\(String(decoding: raw, as: UTF8.self))' is not a word, a stem like kill*, a concept like {want}, alternatives like a|b or a group like (a b|c) (add ? to make it optional)", offset: base + offset))
                        }
                    }
                    step.words.sort()
                    choices = [[step]]
                }
                if choices.count == 1 {
                    // The usual case: one more step for every spelling so far, appended in place.
                    for i in result.indices { result[i] += choices[0] }
                    continue
                }
                var next: [[CrisisFrames.Step]] = []
                next.reserveCapacity(result.count * choices.count)
                for prefix in result { for choice in choices { next.append(prefix + choice) } }
                if next.count > 4096 { return .failure(Problem(message: "too many spellings in one phrase; split it", offset: base + offset)) }
                result = next
            }
            return .success(result)
        }
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

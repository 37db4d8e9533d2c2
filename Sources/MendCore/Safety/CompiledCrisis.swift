// A compiled copy of the crisis rules (dialogs/safety/crisis.yaml), so a start skips YAML and pattern compiling.
import Foundation

extension CrisisRules {
    /// Bump when the compiled form or the way crisis.yaml is compiled changes.
    static let compiledFormat = "mend-crisis-6"

    /// crisis.yaml through a compiled copy in `cache` (see CompiledCopy); nil cache: compiled every time.
    /// `line`: the one line that will be checked (`mend understand`); see `decode`.
    static func load(url: URL, cache: CacheFolder?, line: String? = nil, diagnostics: inout [Diagnostic]) -> CrisisRules {
        CompiledCopy.load("crisis", format: compiledFormat, files: [url.path], cache: cache, diagnostics: &diagnostics,
                          decode: { decode($0, line: line) }, encode: { $0.encoded() }, compile: { CrisisRulesLoader.load(url: url, diagnostics: &$0) })
    }

    /// The named pattern lists, in a fixed order.
    nonisolated(unsafe) static let lists: [(String, WritableKeyPath<CrisisRules, [CrisisPattern]>)] = [
        ("idioms", \.idioms), ("negations", \.negations), ("undo", \.negationUndo), ("past", \.past),
        ("present", \.present), ("calm", \.calm), ("looking-back", \.lookingBack), ("minor", \.minor), ("soften", \.soften),
    ]

    /// One record a line: `s` spelling, `L` word lists, `N` the negation window, `D`/`M` slots and their
    /// phrases, `P` patterns of a named list, `R` rules. Nil when some word cannot be written so.
    /// `P` and `R` start with their key: what a line must hold for the pattern to match (see `PatternCode.needs`).
    func encoded() -> [String]? {
        var lines: [String] = []
        for (from, to) in normaliser.spelling.sorted(by: { $0.key < $1.key }) {
            guard PatternCode.plain(from), to.allSatisfy(PatternCode.plain) else { return nil }
            lines.append("s\t\(from)\t\(to.joined(separator: " "))")
        }
        for (name, set) in [("keep", normaliser.keep), ("vocabulary", normaliser.vocabulary), ("stops", matcher.gapStops)] {
            guard set.allSatisfy(PatternCode.plain) else { return nil }
            lines.append("L\t\(name)\t\(CompiledCopy.list(set.sorted()))")
        }
        lines.append("N\t\(negationWindow)")
        // Sections: these lists, then the patterns, then the slots' phrases (decoded last, for one line only those used).
        var phraseLines: [String] = []
        for (name, phrases) in matcher.slots.sorted(by: { $0.key < $1.key }) {
            guard PatternCode.plain(name) else { return nil }
            lines.append("D\t\(name)")
            for phrase in phrases {
                guard let code = PatternCode.encode(phrase) else { return nil }
                phraseLines.append("M\t\(name)\t\(code)")
            }
        }
        lines.append(CompiledCopy.sectionMark)
        func key(_ p: CrisisPattern) -> String? {
            var needs: [String] = []
            for alternatives in PatternCode.needs(p.pieces) {
                guard alternatives.allSatisfy({ PatternCode.plain($0.hasSuffix("*") ? String($0.dropLast()) : $0) }) else { return nil }
                needs.append(alternatives.joined(separator: "|"))
            }
            return needs.joined(separator: " ")
        }
        func pattern(_ p: CrisisPattern) -> String? {
            guard let code = PatternCode.encode(p.pieces) else { return nil }
            return [CompiledCopy.escape(p.source), CompiledCopy.escape(p.place.file), "\(p.place.line)", "\(p.place.column)", code].joined(separator: "\t")
        }
        for (name, path) in CrisisRules.lists {
            for p in self[keyPath: path] {
                guard let key = key(p), let fields = pattern(p) else { return nil }
                lines.append("P\t\(key)\t\(name)\t\(fields)")
            }
        }
        for rule in rules {
            guard let key = key(rule.pattern), let fields = pattern(rule.pattern) else { return nil }
            guard !rule.sign.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "/" }) else { return nil }
            let kind = rule.sign.isEmpty ? rule.kind.rawValue : rule.kind.rawValue + "/" + rule.sign
            lines.append("R\t\(key)\t\(rule.category.rawValue)\t\(kind)\t\(fields)")
        }
        return lines + [CompiledCopy.sectionMark] + phraseLines
    }

    /// Reads the compiled form back; nil when it is damaged. `line`: the one line that will be checked: patterns
    /// that need a word the line lacks could never match it (nor any part of it), so they are not decoded; every
    /// check of that line (crisis, negation, past, jokes, age) comes out the same. Of the words never mended, only
    /// those the normaliser can ask about for that line are kept. `frames`: what the line will be read with beside
    /// the patterns (their spelling and words change its plain words), taken in before the line is read.
    static func decode(_ body: CompiledCopy.Bytes, line: String? = nil, frames: CrisisFrames? = nil) -> CrisisRules? {
        let asked = line.map(Normaliser.asked)
        var rules = CrisisRules()
        var slots: PatternSlots = [:]
        var stops: Set<String> = []
        func pattern(_ f: ArraySlice<String>) -> CrisisPattern? {
            let f = Array(f)
            guard f.count == 5, let line = Int(f[2]), let column = Int(f[3]), let pieces = PatternCode.decode(f[4]) else { return nil }
            return CrisisPattern(pieces: pieces, source: CompiledCopy.unescape(f[0]), place: Place(file: CompiledCopy.unescape(f[1]), line: line, column: column))
        }
        func apply(_ f: [String]) -> Bool {
            guard let kind = f.first else { return false }
            switch (kind, f.count) {
            case ("s", 3): rules.normaliser.spelling[f[1]] = CompiledCopy.words(f[2])
            case ("L", 3):
                let set = f[1] == "keep" && asked != nil ? CompiledCopy.listed(asked!, in: f[2]) : Set(CompiledCopy.items(f[2]))
                switch f[1] {
                case "keep": rules.normaliser.keep = set
                case "vocabulary": rules.normaliser.vocabulary = set
                case "stops": stops = set
                default: return false
                }
            case ("N", 2):
                guard let n = Int(f[1]) else { return false }
                rules.negationWindow = n
            case ("D", 2): slots[f[1]] = slots[f[1]] ?? []
            case ("M", 3):
                guard let phrase = PatternCode.decode(f[2]) else { return false }
                slots[f[1], default: []].append(phrase)
            case ("P", 8):
                // A switch, not the key paths of `lists`: making key paths costs the runtime more than decoding does.
                guard let p = pattern(f[3...]) else { return false }
                switch f[2] {
                case "idioms": rules.idioms.append(p)
                case "negations": rules.negations.append(p)
                case "undo": rules.negationUndo.append(p)
                case "past": rules.past.append(p)
                case "present": rules.present.append(p)
                case "calm": rules.calm.append(p)
                case "looking-back": rules.lookingBack.append(p)
                case "minor": rules.minor.append(p)
                case "soften": rules.soften.append(p)
                default: return false
                }
            case ("R", 9):
                // `control/money`: the kind, then the sign it names.
                let kindParts = f[3].split(separator: "/", maxSplits: 1).map(String.init)
                guard let category = CrisisCategory(rawValue: f[2]), let first = kindParts.first, let ruleKind = Kind(rawValue: first), let p = pattern(f[4...]) else { return false }
                rules.rules.append(Rule(category: category, kind: ruleKind, pattern: p, sign: kindParts.count > 1 ? kindParts[1] : ""))
            default: return false
            }
            return true
        }
        let parts = CompiledCopy.sections(body)
        guard parts.count == 3 else { return nil }
        for f in CompiledCopy.lines(parts[0]) where !apply(f) { return nil }
        if let frames { rules.normaliser.adopt(frames) }
        guard let line else {
            for f in CompiledCopy.lines(parts[1]) + CompiledCopy.lines(parts[2]) where !apply(f) { return nil }
            rules.matcher = PatternMatcher(slots: slots, gapStops: stops)
            return rules
        }
        // For one line: only the patterns it can match, and the slot phrases they use.
        let tokens = rules.normaliser.plain(line).tokens
        let words = Set(tokens), tokenBytes = tokens.map { Array($0.utf8) }
        // Plain ASCII words are equal as strings exactly when their bytes are: compared so, no string is made.
        let asciiLine = tokenBytes.allSatisfy { $0.allSatisfy { $0 < 128 } }
        /// Whether the line holds one word of every need in a key ("a|b stem*|c": a or b, and c or a word starting with stem).
        func holds(_ key: CompiledCopy.Bytes) -> Bool {
            var need = key.startIndex
            while need < key.endIndex {
                var needEnd = need
                while needEnd < key.endIndex, key[needEnd] != 32 { needEnd += 1 }
                var found = false, alt = need
                while alt < needEnd, !found {
                    var altEnd = alt
                    while altEnd < needEnd, key[altEnd] != 124 { altEnd += 1 }
                    let word = key[alt..<altEnd]
                    if word.last == 42 {
                        let prefix = word.dropLast()
                        found = tokenBytes.contains { $0.starts(with: prefix) }
                    } else if asciiLine, word.allSatisfy({ $0 < 128 }) {
                        found = tokenBytes.contains { $0.count == word.count && $0.elementsEqual(word) }
                    } else {
                        found = words.contains(String(decoding: word, as: UTF8.self))
                    }
                    alt = altEnd + 1
                }
                if !found { return false }
                need = needEnd + 1
            }
            return true
        }
        let patterns = CompiledCopy.lines(parts[1], keep: { record in
            record.count <= 2 || holds(record.dropFirst(2).prefix { $0 != 9 })
        })
        for f in patterns where !apply(f) { return nil }
        var used: Set<String> = []
        func collect(_ pieces: [PatternPiece]) {
            for piece in pieces {
                switch piece {
                case let .slot(name): used.insert(name)
                case let .group(phrases): phrases.forEach(collect)
                case let .optional(inner): collect([inner])
                default: break
                }
            }
        }
        for list in [rules.idioms, rules.negations, rules.negationUndo, rules.past, rules.present, rules.calm, rules.lookingBack, rules.minor, rules.soften] { list.forEach { collect($0.pieces) } }
        rules.rules.forEach { collect($0.pattern.pieces) }
        let phrases = CompiledCopy.lines(parts[2], keep: { record in
            record.count <= 2 || used.contains(String(decoding: record.dropFirst(2).prefix { $0 != 9 }, as: UTF8.self))
        })
        for f in phrases where !apply(f) { return nil }
        rules.matcher = PatternMatcher(slots: slots, gapStops: stops)
        return rules
    }
}

/// Pattern pieces as compact text: words `a|b|stem*`, slots `{name}`, groups `[a b/c]`, gaps `~3`, `$`, and `?` after an optional piece.
enum PatternCode {
    /// Bytes the form itself uses, so never inside a word.
    static let reserved: Set<UInt8> = Set(" \t\n\r|*?[]/{}~$\u{1F}".utf8)

    static func plain(_ word: String) -> Bool { !word.isEmpty && !word.utf8.contains(where: reserved.contains) }

    static func encode(_ pieces: [PatternPiece]) -> String? {
        var parts: [String] = []
        for piece in pieces {
            guard let part = encode(piece) else { return nil }
            parts.append(part)
        }
        return parts.joined(separator: " ")
    }

    static func encode(_ piece: PatternPiece) -> String? {
        switch piece {
        case let .word(set, prefixes):
            guard !(set.isEmpty && prefixes.isEmpty), set.allSatisfy(plain), prefixes.allSatisfy(plain) else { return nil }
            return (set.sorted() + prefixes.map { $0 + "*" }).joined(separator: "|")
        case let .slot(name): return plain(name) ? "{\(name)}" : nil
        case let .group(phrases):
            var parts: [String] = []
            for phrase in phrases {
                guard !phrase.isEmpty, let part = encode(phrase) else { return nil }
                parts.append(part)
            }
            return "[" + parts.joined(separator: "/") + "]"
        case let .optional(inner): return encode(inner).map { $0 + "?" }
        case let .gap(n): return "~\(n)"
        case .end: return "$"
        }
    }

    /// What a line must hold for the pieces to match it anywhere: for each piece that cannot be left out, words
    /// (or `stem*` prefixes) of which the line has at least one. A group counts when each of its phrases needs a word.
    static func needs(_ pieces: [PatternPiece]) -> [[String]] {
        var out: [[String]] = []
        for piece in pieces {
            switch piece {
            case let .word(set, prefixes): out.append(set.sorted() + prefixes.map { $0 + "*" })
            case let .group(phrases):
                let firsts = phrases.map { needs($0).first }
                if !firsts.isEmpty, firsts.allSatisfy({ $0 != nil }) { out.append(Array(Set(firsts.compactMap { $0 }.joined())).sorted()) }
            default: break
            }
        }
        return out
    }

    static func decode(_ text: String) -> [PatternPiece]? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let pieces = reader.phrase(), reader.at == reader.bytes.count else { return nil }
        return pieces
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0
        var next: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func phrase() -> [PatternPiece]? {
            var out: [PatternPiece] = []
            while true {
                guard let p = piece() else { return nil }
                out.append(p)
                guard next == 32 else { return out }
                at += 1
            }
        }

        mutating func piece() -> PatternPiece? {
            guard let first = next else { return nil }
            var piece: PatternPiece
            switch first {
            case UInt8(ascii: "["):
                at += 1
                var phrases: [[PatternPiece]] = []
                if next == UInt8(ascii: "]") {
                    at += 1
                } else {
                    while true {
                        guard let p = phrase() else { return nil }
                        phrases.append(p)
                        if next == UInt8(ascii: "/") { at += 1; continue }
                        guard next == UInt8(ascii: "]") else { return nil }
                        at += 1
                        break
                    }
                }
                piece = .group(phrases)
            case UInt8(ascii: "{"):
                guard let close = bytes[at...].firstIndex(of: UInt8(ascii: "}")), close > at + 1 else { return nil }
                piece = .slot(String(decoding: bytes[(at + 1)..<close], as: UTF8.self))
                at = close + 1
            case UInt8(ascii: "~"):
                at += 1
                var n = 0, digits = 0
                while let b = next, b >= 48, b <= 57, digits < 6 { n = n * 10 + Int(b - 48); at += 1; digits += 1 }
                guard digits > 0 else { return nil }
                piece = .gap(n)
            case UInt8(ascii: "$"):
                at += 1
                piece = .end
            default:
                let start = at
                while let b = next, !PatternCode.reserved.contains(b) || b == UInt8(ascii: "|") || b == UInt8(ascii: "*") { at += 1 }
                guard at > start else { return nil }
                var exact: Set<String> = [], prefixes: [String] = []
                for alt in bytes[start..<at].split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false) {
                    guard !alt.isEmpty else { return nil }
                    if alt.last == UInt8(ascii: "*") {
                        prefixes.append(String(decoding: alt.dropLast(), as: UTF8.self))
                    } else {
                        exact.insert(String(decoding: alt, as: UTF8.self))
                    }
                }
                piece = .word(exact, prefixes: prefixes)
            }
            while next == UInt8(ascii: "?") {
                at += 1
                piece = .optional(piece)
            }
            return piece
        }
    }
}

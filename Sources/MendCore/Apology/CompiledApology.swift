// A compiled copy of the apology checker (dialogs/apology.yaml), so a start skips YAML, group expansion and word folding.
import Foundation

extension ApologyChecker {
    /// Bump when the compiled form or the way apology.yaml is compiled changes.
    static let compiledFormat = "mend-apology-1"

    /// apology.yaml through a compiled copy in `cache` (see CompiledCopy); nil cache: compiled every time.
    public static func load(url: URL, cache: CacheFolder?, diagnostics: inout [Diagnostic]) -> ApologyChecker {
        CompiledCopy.load("apology", format: compiledFormat, files: [url.path], cache: cache, diagnostics: &diagnostics,
                          decode: decode, encode: { $0.encoded() }, compile: { load(url: url, diagnostics: &$0) })
    }

    /// As `load(url:cache:)`, but when a clean compiled copy is kept (nothing to report), it is read only when a
    /// draft is first checked: most conversations never check one.
    static func loadOnFirstUse(url: URL, cache: CacheFolder?, diagnostics: inout [Diagnostic]) -> OnFirstUse<ApologyChecker> {
        guard CompiledCopy.isKept("apology", format: compiledFormat, files: [url.path], cache: cache) else {
            return OnFirstUse(value: load(url: url, cache: cache, diagnostics: &diagnostics))
        }
        return OnFirstUse {
            var ignored: [Diagnostic] = []
            return load(url: url, cache: cache, diagnostics: &ignored)
        }
    }

    /// One record a line: `w` typed words, `L` word lists, `C` class phrases, `a` act forms, `R` a rule and
    /// `T` a note, each followed by its `p` patterns. Nil when some word cannot be written so.
    func encoded() -> [String]? {
        let esc = CompiledCopy.escape
        func texts(_ list: [String]) -> String { CompiledCopy.list(list.map(esc)) }
        func plain(_ words: [String]) -> Bool { words.allSatisfy(ApologyCode.plain) }
        var lines: [String] = []
        for (typed, plainWords) in language.words.sorted(by: { $0.key < $1.key }) {
            guard plain(plainWords) else { return nil }
            lines.append("w\t\(esc(typed))\t\(plainWords.joined(separator: " "))")
        }
        for (name, list) in [("fuzzy", language.fuzzy), ("negators", language.negators.sorted()), ("barriers", language.barriers.sorted()),
                             ("not-acts", acts.notActs.sorted()), ("helpers", acts.helpers.sorted())] {
            lines.append("L\t\(name)\t\(texts(list))")
        }
        for (name, map) in [("past", acts.past), ("base", acts.base), ("nouns", acts.nouns)] {
            for (k, v) in map.sorted(by: { $0.key < $1.key }) { lines.append("a\t\(name)\t\(esc(k))\t\(esc(v))") }
        }
        for (name, phrases) in classes.sorted(by: { $0.key < $1.key }) {
            guard ApologyCode.plain(name) else { return nil }
            lines.append("c\t\(name)")
            for phrase in phrases {
                guard plain(phrase) else { return nil }
                lines.append("C\t\(name)\t\(phrase.joined(separator: " "))")
            }
        }
        func patterns(_ kind: String, _ list: [ApologyPattern]) -> Bool {
            for p in list {
                guard let code = ApologyCode.encode(p.elements) else { return false }
                lines.append("p\t\(kind)\t\(esc(p.source))\t\(texts(p.better))\t\(code)")
            }
            return true
        }
        for rule in rules {
            lines.append("R\t\(esc(rule.id))\t\(rule.negation ? 1 : 0)\t\(esc(rule.why))\t\(texts(rule.better))")
            guard patterns("patterns", rule.patterns), patterns("unless", rule.unless), patterns("next", rule.unlessNext) else { return nil }
        }
        for note in notes {
            lines.append("T\t\(esc(note.id))\t\(note.needsAct ? 1 : 0)\t\(esc(note.why))\t\(texts(note.better))")
            guard patterns("cues", note.cues) else { return nil }
        }
        return lines
    }

    /// Reads the compiled form back; nil when it is damaged.
    static func decode(_ body: CompiledCopy.Bytes) -> ApologyChecker? {
        let un = CompiledCopy.unescape
        func texts(_ field: String) -> [String] { CompiledCopy.items(field).map(un) }
        var checker = ApologyChecker()
        // Patterns attach to the rule or note just before them.
        var inNote = false
        for f in CompiledCopy.lines(body) {
            guard let kind = f.first else { return nil }
            switch (kind, f.count) {
            case ("w", 3): checker.language.words[un(f[1])] = CompiledCopy.words(f[2])
            case ("L", 3):
                let list = texts(f[2])
                switch f[1] {
                case "fuzzy": checker.language.fuzzy = list
                case "negators": checker.language.negators = Set(list)
                case "barriers": checker.language.barriers = Set(list)
                case "not-acts": checker.acts.notActs = Set(list)
                case "helpers": checker.acts.helpers = Set(list)
                default: return nil
                }
            case ("a", 4):
                switch f[1] {
                case "past": checker.acts.past[un(f[2])] = un(f[3])
                case "base": checker.acts.base[un(f[2])] = un(f[3])
                case "nouns": checker.acts.nouns[un(f[2])] = un(f[3])
                default: return nil
                }
            case ("c", 2): checker.classes[f[1]] = checker.classes[f[1]] ?? []
            case ("C", 3): checker.classes[f[1], default: []].append(CompiledCopy.words(f[2]))
            case ("R", 5):
                checker.rules.append(Rule(id: un(f[1]), patterns: [], unless: [], unlessNext: [], negation: f[2] == "1", why: un(f[3]), better: texts(f[4])))
                inNote = false
            case ("T", 5):
                checker.notes.append(Note(id: un(f[1]), cues: [], needsAct: f[2] == "1", why: un(f[3]), better: texts(f[4])))
                inNote = true
            case ("p", 5):
                guard let elements = ApologyCode.decode(f[4]) else { return nil }
                let p = ApologyPattern(source: un(f[2]), elements: elements, better: texts(f[3]))
                switch (f[1], inNote) {
                case ("cues", true) where !checker.notes.isEmpty: checker.notes[checker.notes.count - 1].cues.append(p)
                case ("patterns", false) where !checker.rules.isEmpty: checker.rules[checker.rules.count - 1].patterns.append(p)
                case ("unless", false) where !checker.rules.isEmpty: checker.rules[checker.rules.count - 1].unless.append(p)
                case ("next", false) where !checker.rules.isEmpty: checker.rules[checker.rules.count - 1].unlessNext.append(p)
                default: return nil
                }
            default: return nil
            }
        }
        return checker
    }
}

/// Apology pattern elements as compact text, split by spaces: words `a|b|stem*` (`?` after an optional one),
/// gaps `~3`, classes `@name`, `^` a sentence start, `.` a sentence break.
enum ApologyCode {
    static let reserved: Set<UInt8> = Set(" \t\n\r|*?~@^.\u{1F}".utf8)

    static func plain(_ word: String) -> Bool { !word.isEmpty && !word.utf8.contains(where: reserved.contains) }

    static func encode(_ elements: [ApologyPattern.Element]) -> String? {
        var parts: [String] = []
        for element in elements {
            switch element {
            case let .word(set, prefixes, optional):
                guard !(set.isEmpty && prefixes.isEmpty), set.allSatisfy(plain), prefixes.allSatisfy(plain) else { return nil }
                parts.append((set.sorted() + prefixes.map { $0 + "*" }).joined(separator: "|") + (optional ? "?" : ""))
            case let .gap(max): parts.append("~\(max)")
            case let .wordClass(name):
                guard plain(name) else { return nil }
                parts.append("@" + name)
            case .sentenceStart: parts.append("^")
            case .sentenceBreak: parts.append(".")
            }
        }
        return parts.joined(separator: " ")
    }

    static func decode(_ text: String) -> [ApologyPattern.Element]? {
        // Bytes, not Characters: this runs for every pattern at every start.
        var out: [ApologyPattern.Element] = []
        for part in Array(text.utf8).split(separator: 32, omittingEmptySubsequences: false) {
            guard let first = part.first else { return nil }
            switch first {
            case UInt8(ascii: "~"):
                guard let n = Int(String(decoding: part.dropFirst(), as: UTF8.self)) else { return nil }
                out.append(.gap(max: n))
            case UInt8(ascii: "@"): out.append(.wordClass(String(decoding: part.dropFirst(), as: UTF8.self)))
            case UInt8(ascii: "^") where part.count == 1: out.append(.sentenceStart)
            case UInt8(ascii: ".") where part.count == 1: out.append(.sentenceBreak)
            default:
                var token = part[...]
                let optional = token.last == UInt8(ascii: "?")
                if optional { token = token.dropLast() }
                var words = Set<String>(), prefixes: [String] = []
                for alt in token.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false) {
                    guard !alt.isEmpty else { return nil }
                    if alt.last == UInt8(ascii: "*") {
                        prefixes.append(String(decoding: alt.dropLast(), as: UTF8.self))
                    } else {
                        words.insert(String(decoding: alt, as: UTF8.self))
                    }
                }
                out.append(.word(words, prefixes: prefixes, optional: optional))
            }
        }
        return out.isEmpty ? nil : out
    }
}

// A compiled copy of the understanding data, kept in a cache folder, so `mend understand` starts fast.
import Foundation

extension Understanding {
    /// Bump when the compiled form or the way data is compiled changes.
    static let compiledFormat = "mend-understanding-24"

    /// Loads `understanding/` through a compiled copy in `cache` when one matches the files' bytes (see CompiledCopy).
    /// `only`: with a copy, decode just these sets (and the language rules and grammar), for a faster start;
    /// `line`: only this line will be read (see `decode`); `read`: only these sets will be read, so only their learned
    /// readers are loaded (nil: those of `only`; the role reader uses the breach rules, never the breach learned reader).
    public static func load(directory: URL, cache: CacheFolder?, only: Set<String>? = nil, line: String? = nil, read: Set<String>? = nil,
                            diagnostics: inout [Diagnostic]) -> Understanding {
        load(path: directory.path, cache: cache, only: only, line: line, read: read, diagnostics: &diagnostics)
    }

    /// `load(directory:...)` for a folder given as a path: a warm start makes no URL.
    static func load(path: String, cache: CacheFolder?, only: Set<String>? = nil, line: String? = nil, read: Set<String>? = nil,
                     diagnostics: inout [Diagnostic]) -> Understanding {
        let files = CompiledCopy.files(in: path, suffix: ".yaml", except: "learned.yaml")
        // Decoded for one line or a few sets, the rules hold only part of the language; compiled, they are whole.
        var partial = false
        var understanding = CompiledCopy.load("understanding", format: compiledFormat, files: files, cache: cache,
                                 diagnostics: &diagnostics, decode: { body in
                                     partial = only != nil || line != nil
                                     return decode(body, only: only, line: line)
                                 }, encode: { $0.encoded() },
                                 compile: { found in
                                     partial = false
                                     return load(directory: URL(fileURLWithPath: path, isDirectory: true), diagnostics: &found)
                                 })
        understanding.learn(path: path, yaml: files, cache: cache, only: read ?? only, partial: partial, diagnostics: &diagnostics)
        return understanding
    }

    private static let unit = "\u{1F}"

    /// The compiled form: one record a line, fields split by tabs. Nil when some text cannot be written so.
    func encoded() -> [String]? {
        for d in data.values {
            for text in d.labels.map(\.title) + d.cues.values.joined().map(\.text) where text.contains("\t") || text.contains(Understanding.unit) { return nil }
            for f in d.frames { for text in f.texts.first + f.texts.then + f.texts.unless + f.texts.echo where text.isEmpty || text.contains("\t") || text.contains(Understanding.unit) { return nil } }
        }
        var lines: [String] = []
        // Records found through a line's word (cues, single words, acts) come last, in a section of their own.
        var keyed: [String] = []
        func list<S: Sequence>(_ items: S) -> String where S.Element == String { items.sorted().joined(separator: Understanding.unit) }
        let l = language
        for (k, v) in l.replace { lines.append("R\t\(k)\t\(v.joined(separator: " "))") }
        for (k, v) in l.typos { lines.append("T\t\(k)\t\(v)") }
        for (k, v) in l.contractions { lines.append("C\t\(k)\t\(v)") }
        for (name, set) in [("is", l.isWords), ("neg", l.negators), ("contrast", l.contrast), ("clause", l.clauseContrast), ("fill", l.fillers), ("known", Set(l.known.words)), ("part", l.participles), ("vocab", Set(l.vocabulary.words))] {
            lines.append("S\t\(name)\t\(list(set))")
        }
        for p in l.notNegating { lines.append("P\tnot\t\(p.joined(separator: " "))") }
        for p in l.hedges { lines.append("P\thedge\t\(p.joined(separator: " "))") }
        lines.append("N\t\(l.negationScope)")
        for set in Catalog.setOrder {
            guard let d = data[set] else { continue }
            lines.append("X\t\(set)\t\(d.threshold)\t\(list(d.negated.map { "\($0.key)=\($0.value)" }))\t\(d.also.joined(separator: Understanding.unit))")
            for label in d.labels { lines.append("L\t\(set)\t\(label.id)\t\(label.title)") }
            for cue in d.cues.values.joined() { keyed.append("Q\t\(set)\t\(cue.words.joined(separator: " "))\t\(cue.label)\t\(cue.weight)\t\(cue.text)") }
            for (key, label) in d.examples { lines.append("E\t\(set)\t\(key)\t\(label)") }
            for (word, (label, weight)) in d.words { keyed.append("W\t\(set)\t\(word)\t\(label)\t\(weight)") }
            for (main, lesser) in d.over { lines.append("O\t\(set)\t\(main)\t\(lesser.joined(separator: Understanding.unit))") }
            for (main, need) in d.overNeeds { lines.append("M\t\(set)\t\(main)\t\(need)") }
            if let others = d.others { lines.append("H\t\(set)\t\(others)") }
            for f in d.frames {
                // The phrases' plain words too, in the phrases' order, so reading the copy need not normalise them again.
                func plain(_ phrases: [String]) -> String { phrases.map { language.phrase($0).joined(separator: " ") }.joined(separator: Understanding.unit) }
                lines.append("F\t\(set)\t\(f.label)\t\(f.weight)\t\(f.texts.first.joined(separator: Understanding.unit))\t\(f.texts.then.joined(separator: Understanding.unit))\t\(f.texts.unless.joined(separator: Understanding.unit))\t\(plain(f.texts.first))\t\(plain(f.texts.then))\t\(plain(f.texts.unless))\t\(f.echo == nil ? "-" : plain(f.texts.echo))")
            }
            if !d.coverUps.isEmpty { lines.append("V\t\(set)\t\(list(d.coverUps))\t\(list(d.coverWords))\t\(list(d.coverRefs))") }
        }
        let g = grammar
        for (name, set) in [("first", g.first), ("third", g.third), ("firstPos", g.firstPossessive), ("thirdPos", g.thirdPossessive),
                            ("firstObj", g.firstObject), ("thirdObj", g.thirdObject), ("passive", g.passive), ("prep", g.prepositions),
                            ("experiencer", g.experiencer), ("states", g.states), ("determiners", g.determiners), ("openers", g.openers),
                            ("agentMarkers", g.agentMarkers), ("guilt", g.guilt), ("reporting", g.reporting),
                            ("victim", g.victimStates), ("and", g.coordinators), ("copulas", g.copulas), ("participles", g.participles), ("pronouns", g.pronouns), ("mutual", g.mutual), ("subordinators", g.subordinators)] {
            lines.append("G\t\(name)\t\(list(set))")
        }
        for cue in g.acts.values.joined() { keyed.append("A\tacts\t\(cue.words.joined(separator: " "))\t\(cue.text)") }
        for cue in g.discovery.values.joined() { keyed.append("A\tdiscovery\t\(cue.words.joined(separator: " "))\t\(cue.text)") }
        for (kind, cues) in [("unaware", g.unaware), ("accusing", g.accusing), ("denials", g.denials), ("owning", g.owning)] {
            for cue in cues.values.joined() { keyed.append("A\t\(kind)\t\(cue.words.joined(separator: " "))\t\(cue.text)") }
        }
        lines.append("Z\t\(g.reach)")
        // Sorted by their first word (in bytes, keeping their order within one), so one line's records are found by
        // a binary search: a record's order matters only among those of the same first word.
        let keys = keyed.map { Understanding.firstWord(Array($0.utf8)[...]) }
        keyed = keyed.indices.sorted { a, b in keys[a] != keys[b] ? keys[a].lexicographicallyPrecedes(keys[b]) : a < b }.map { keyed[$0] }
        // Anything with a tab, a line break or the unit separator inside would not read back.
        lines += [CompiledCopy.sectionMark] + keyed
        for line in lines where line.contains("\n") || line.contains("\r") { return nil }
        return lines
    }

    /// Reads the compiled form back; nil when it is not one.
    /// `only`: decode just these sets (and the language rules and grammar), for a faster start.
    /// `line`: the one line that will be read (`mend understand`): of the records found by a line's word (cues,
    /// single words, acts), decode only those whose first word the line has; every reading of it is the same.
    static func decode(_ body: CompiledCopy.Bytes, only: Set<String>? = nil, line: String? = nil) -> Understanding? {
        let wanted = only.map { $0.map { Array($0.utf8) } }
        // Records of one set (L, Q, E, W, X, O, V, F) name it in their second field: skip sets not asked for, before making strings.
        func inWantedSet(_ line: CompiledCopy.Bytes) -> Bool {
            guard let wanted, line.count > 2, line[line.startIndex + 1] == 9 else { return true }
            switch line[line.startIndex] {
            case 76, 81, 69, 87, 88, 79, 86, 70:
                let rest = line.dropFirst(2)
                let name = rest[rest.startIndex..<(rest.firstIndex(of: 9) ?? rest.endIndex)]
                return wanted.contains { $0.elementsEqual(name) }
            default: return true
            }
        }
        var u = Understanding()
        var vocabulary = WordList()
        var frames: [(String, Frame)] = []
        let items = CompiledCopy.items, words = CompiledCopy.words
        /// One record into `u`; false when it is not one.
        func apply(_ f: [String]) -> Bool {
            guard let kind = f.first else { return false }
            switch (kind, f.count) {
            case ("R", 3): u.language.replace[f[1]] = words(f[2])
            case ("T", 3): u.language.typos[f[1]] = f[2]
            case ("C", 3): u.language.contractions.append((f[1], f[2]))
            case ("S", 3):
                // The two long lists are searched where they lie, never hashed.
                if f[1] == "known" || f[1] == "vocab" {
                    if f[1] == "known" { u.language.known = WordList(field: f[2]) } else { vocabulary = WordList(field: f[2]) }
                    return true
                }
                let set = Set(items(f[2]))
                switch f[1] {
                case "is": u.language.isWords = set
                case "neg": u.language.negators = set
                case "contrast": u.language.contrast = set
                case "clause": u.language.clauseContrast = set
                case "fill": u.language.fillers = set
                case "part": u.language.participles = set
                default: vocabulary = WordList(set)
                }
            case ("P", 3):
                if f[1] == "not" { u.language.notNegating.append(words(f[2])) } else { u.language.hedges.append(words(f[2])) }
            case ("N", 2): u.language.negationScope = Int(f[1]) ?? 2
            case ("X", 5):
                var d = SetData()
                d.threshold = Double(f[2]) ?? 0.5
                for pair in items(f[3]) {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { d.negated[parts[0]] = parts[1] }
                }
                d.also = items(f[4])
                u.data[f[1]] = d
            case ("L", 4): u.data[f[1]]?.labels.append(Label(id: f[2], title: f[3]))
            case ("Q", 6):
                let w = words(f[2])
                guard let first = w.first, let weight = Double(f[4]) else { return false }
                u.data[f[1]]?.cues[first, default: []].append(Cue(words: w, label: f[3], weight: weight, text: f[5]))
            case ("E", 4): u.data[f[1]]?.examples[f[2]] = f[3]
            case ("W", 5): u.data[f[1]]?.words[f[2]] = (f[3], Double(f[4]) ?? 0)
            case ("O", 4): for other in items(f[3]) { u.data[f[1]]?.addOver(f[2], other) }
            case ("M", 4): u.data[f[1]]?.overNeeds[f[2]] = Double(f[3]) ?? 2
            case ("H", 3): u.data[f[1]]?.others = Double(f[2])
            case ("F", 11):
                var frame = Frame(label: f[2], weight: Double(f[3]) ?? 2)
                frame.texts = (items(f[4]), items(f[5]), items(f[6]), f[10] == "-" ? [] : items(f[10]))
                /// Each phrase's plain words (kept in step with the phrases, empty ones too).
                func plain(_ field: String) -> [[String]] { field.utf8.split(separator: 0x1F, omittingEmptySubsequences: false).map { words(String(decoding: $0, as: UTF8.self)) } }
                for (k, phrases, plainWords) in [("first", frame.texts.first, plain(f[7])), ("then", frame.texts.then, plain(f[8]))] {
                    for (phrase, w) in zip(phrases, plainWords) {
                        guard let head = w.first else { continue }
                        let cue = Cue(words: w, label: f[2], weight: 1, text: phrase)
                        if k == "first" { frame.first[head, default: []].append(cue) } else { frame.then[head, default: []].append(cue) }
                    }
                }
                frame.unless = Set(plain(f[9]).joined())
                if f[10] != "-" { frame.echo = Set(plain(f[10]).joined()) }
                frames.append((f[1], frame))
            case ("V", 5):
                u.data[f[1]]?.coverUps = Set(items(f[2]))
                u.data[f[1]]?.coverWords = Set(items(f[3]))
                u.data[f[1]]?.coverRefs = Set(items(f[4]))
            case ("G", 3):
                let set = Set(items(f[2]))
                switch f[1] {
                case "first": u.grammar.first = set
                case "third": u.grammar.third = set
                case "firstPos": u.grammar.firstPossessive = set
                case "thirdPos": u.grammar.thirdPossessive = set
                case "firstObj": u.grammar.firstObject = set
                case "thirdObj": u.grammar.thirdObject = set
                case "passive": u.grammar.passive = set
                case "experiencer": u.grammar.experiencer = set
                case "states": u.grammar.states = set
                case "determiners": u.grammar.determiners = set
                case "openers": u.grammar.openers = set
                case "agentMarkers": u.grammar.agentMarkers = set
                case "guilt": u.grammar.guilt = set
                case "reporting": u.grammar.reporting = set
                case "victim": u.grammar.victimStates = set
                case "and": u.grammar.coordinators = set
                case "copulas": u.grammar.copulas = set
                case "participles": u.grammar.participles = set
                case "pronouns": u.grammar.pronouns = set
                case "mutual": u.grammar.mutual = set
                case "subordinators": u.grammar.subordinators = set
                default: u.grammar.prepositions = set
                }
            case ("A", 4):
                let w = words(f[2])
                guard let first = w.first else { return false }
                let cue = Cue(words: w, label: f[1], weight: 1, text: f[3])
                switch f[1] {
                case "acts": u.grammar.acts[first, default: []].append(cue)
                case "unaware": u.grammar.unaware[first, default: []].append(cue)
                case "accusing": u.grammar.accusing[first, default: []].append(cue)
                case "denials": u.grammar.denials[first, default: []].append(cue)
                case "owning": u.grammar.owning[first, default: []].append(cue)
                default: u.grammar.discovery[first, default: []].append(cue)
                }
            case ("Z", 2): u.grammar.reach = Int(f[1]) ?? 8
            default: return false
            }
            return true
        }
        let parts = CompiledCopy.sections(body)
        guard parts.count == 2 else { return nil }
        for f in CompiledCopy.lines(parts[0], keep: inWantedSet) where !apply(f) { return nil }
        // Cue order inside a first word does not matter to the reader: matches are ranked, not taken first.
        // Frames are read once the language rules are in, since their phrases are normalised by them.
        for (set, frame) in frames { u.data[set]?.frames.append(frame) }
        // For one line, typo candidates are only words starting with one of the line's letters (see `Language.index`).
        u.language.index(vocabulary: vocabulary, initials: line.map { Set($0.lowercased().utf8) })
        guard let line else {
            for f in CompiledCopy.lines(parts[1], keep: inWantedSet) where !apply(f) { return nil }
            return u
        }
        // The records are sorted by first word: for each of the line's words (in the same order), a binary search.
        let section = parts[1]
        /// The first record at or after `from` whose first word does not sort before `word`.
        func lowerBound(_ word: [UInt8], from: Int) -> Int {
            CompiledCopy.lowerBound(section, from: from) { firstWord($0).lexicographicallyPrecedes(word) }
        }
        let lineWords = Set(u.language.tokens(line).map(\.word)).map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        var forLine: [[String]] = []
        var from = section.startIndex
        for word in lineWords {
            var at = lowerBound(word, from: from)
            while at < section.endIndex {
                let end = CompiledCopy.lineEnd(section, from: at)
                let record = section[at..<end]
                guard firstWord(record).elementsEqual(word) else { break }
                if inWantedSet(record) { forLine += CompiledCopy.lines(record) }
                at = end + 1
            }
            from = min(at, section.endIndex)
        }
        for f in forLine where !apply(f) { return nil }
        return u
    }

    /// A keyed record's first word: its third field's, up to a space.
    static func firstWord<Record: Collection<UInt8>>(_ record: Record) -> Record.SubSequence where Record.Index == Int {
        var start = record.startIndex, tabs = 0
        while start < record.endIndex, tabs < 2 {
            if record[start] == 9 { tabs += 1 }
            start += 1
        }
        var end = start
        while end < record.endIndex, record[end] != 9, record[end] != 32 { end += 1 }
        return record[start..<end]
    }
}

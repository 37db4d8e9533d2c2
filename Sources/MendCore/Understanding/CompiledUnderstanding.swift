// A compiled copy of the understanding data, kept in a cache folder, so `mend understand` starts fast.
import Foundation

extension Understanding {
    /// Bump when the compiled form or the way data is compiled changes.
    static let compiledFormat = "mend-understanding-11"

    /// Loads `understanding/` through a compiled copy in `cache` when one matches the files' bytes;
    /// otherwise from the YAML, writing a fresh copy when the data has no error. Any cache problem
    /// just means the slower path.
    public static func load(directory: URL, cache: String?, salt: String, only: Set<String>? = nil, diagnostics: inout [Diagnostic]) -> Understanding {
        guard let cache else { return load(directory: directory, diagnostics: &diagnostics) }
        var hasher = Fingerprint()
        hasher.add(file: "format", text: compiledFormat + salt)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                return load(directory: directory, diagnostics: &diagnostics)
            }
            hasher.add(file: name, text: String(decoding: data, as: UTF8.self))
        }
        let file = (cache as NSString).appendingPathComponent("understanding-\(hasher.hex).txt")
        if let data = FileManager.default.contents(atPath: file), let understanding = decode(String(decoding: data, as: UTF8.self), only: only) {
            return understanding
        }
        var found: [Diagnostic] = []
        let understanding = load(directory: directory, diagnostics: &found)
        diagnostics += found
        if !found.contains(where: { $0.severity == .error }), let text = understanding.encoded() {
            let manager = FileManager.default
            try? manager.createDirectory(atPath: cache, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = file + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
            if manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) {
                if rename(temporary, file) != 0 { try? manager.removeItem(atPath: temporary) }
                // Older copies (other data, other builds) are of no more use.
                for name in (try? manager.contentsOfDirectory(atPath: cache)) ?? []
                where name.hasPrefix("understanding-") && name.hasSuffix(".txt") && (cache as NSString).appendingPathComponent(name) != file {
                    try? manager.removeItem(atPath: (cache as NSString).appendingPathComponent(name))
                }
            }
        }
        return understanding
    }

    private static let unit = "\u{1F}"

    /// The compiled form: one record a line, fields split by tabs. Nil when some text cannot be written so.
    func encoded() -> String? {
        for d in data.values {
            for text in d.labels.map(\.title) + d.cues.values.joined().map(\.text) where text.contains("\t") || text.contains(Understanding.unit) { return nil }
        }
        var lines: [String] = [Understanding.compiledFormat]
        func list<S: Sequence>(_ items: S) -> String where S.Element == String { items.sorted().joined(separator: Understanding.unit) }
        let l = language
        for (k, v) in l.replace { lines.append("R\t\(k)\t\(v.joined(separator: " "))") }
        for (k, v) in l.typos { lines.append("T\t\(k)\t\(v)") }
        for (k, v) in l.contractions { lines.append("C\t\(k)\t\(v)") }
        for (name, set) in [("is", l.isWords), ("neg", l.negators), ("contrast", l.contrast), ("clause", l.clauseContrast), ("fill", l.fillers), ("known", l.known), ("part", l.participles), ("vocab", l.vocabulary)] {
            lines.append("S\t\(name)\t\(list(set))")
        }
        for p in l.notNegating { lines.append("P\tnot\t\(p.joined(separator: " "))") }
        for p in l.hedges { lines.append("P\thedge\t\(p.joined(separator: " "))") }
        lines.append("N\t\(l.negationScope)")
        for set in Catalog.setOrder {
            guard let d = data[set] else { continue }
            lines.append("X\t\(set)\t\(d.threshold)\t\(list(d.negated.map { "\($0.key)=\($0.value)" }))\t\(d.also.joined(separator: Understanding.unit))")
            for label in d.labels { lines.append("L\t\(set)\t\(label.id)\t\(label.title)") }
            for cue in d.cues.values.joined() { lines.append("Q\t\(set)\t\(cue.words.joined(separator: " "))\t\(cue.label)\t\(cue.weight)\t\(cue.text)") }
            for (key, label) in d.examples { lines.append("E\t\(set)\t\(key)\t\(label)") }
            for (word, (label, weight)) in d.words { lines.append("W\t\(set)\t\(word)\t\(label)\t\(weight)") }
            for (main, lesser) in d.over { lines.append("O\t\(set)\t\(main)\t\(lesser.joined(separator: Understanding.unit))") }
            for (main, need) in d.overNeeds { lines.append("M\t\(set)\t\(main)\t\(need)") }
            for f in d.frames {
                lines.append("F\t\(set)\t\(f.label)\t\(f.weight)\t\(f.texts.first.joined(separator: Understanding.unit))\t\(f.texts.then.joined(separator: Understanding.unit))\t\(f.texts.unless.joined(separator: Understanding.unit))")
            }
            if !d.coverUps.isEmpty { lines.append("V\t\(set)\t\(list(d.coverUps))\t\(list(d.coverWords))\t\(list(d.coverRefs))") }
        }
        let g = grammar
        for (name, set) in [("first", g.first), ("third", g.third), ("firstPos", g.firstPossessive), ("thirdPos", g.thirdPossessive),
                            ("firstObj", g.firstObject), ("thirdObj", g.thirdObject), ("passive", g.passive), ("prep", g.prepositions),
                            ("experiencer", g.experiencer), ("states", g.states), ("determiners", g.determiners), ("openers", g.openers),
                            ("agentMarkers", g.agentMarkers), ("guilt", g.guilt), ("reporting", g.reporting),
                            ("victim", g.victimStates), ("and", g.coordinators)] {
            lines.append("G\t\(name)\t\(list(set))")
        }
        for cue in g.acts.values.joined() { lines.append("A\tacts\t\(cue.words.joined(separator: " "))\t\(cue.text)") }
        for cue in g.discovery.values.joined() { lines.append("A\tdiscovery\t\(cue.words.joined(separator: " "))\t\(cue.text)") }
        for cue in g.unaware.values.joined() { lines.append("A\tunaware\t\(cue.words.joined(separator: " "))\t\(cue.text)") }
        lines.append("Z\t\(g.reach)")
        // Anything with a tab, a line break or the unit separator inside would not read back.
        for line in lines where line.contains("\n") || line.contains("\r") { return nil }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads the compiled form back; nil when it is not one.
    /// `only`: decode just these sets (and the language rules and grammar), for a faster start.
    static func decode(_ text: String, only: Set<String>? = nil) -> Understanding? {
        // Split by bytes: far faster than splitting Characters, and the format is plain UTF-8.
        let bytes = Array(text.utf8)
        let wanted = only.map { Set($0.map { Array($0.utf8) }) }
        var records: [[String]] = []
        var lineStart = 0
        for (i, b) in bytes.enumerated() where b == 10 {
            defer { lineStart = i + 1 }
            let line = bytes[lineStart..<i]
            // Records of one set (L, Q, E, W, X, O, V, F) name it in their second field: skip sets not asked for.
            if let wanted, let kind = line.first, [76, 81, 69, 87, 88, 79, 86, 70].contains(kind), line.count > 2, line[lineStart + 1] == 9 {
                let rest = line.dropFirst(2)
                let end = rest.firstIndex(of: 9) ?? rest.endIndex
                if !wanted.contains(Array(rest[rest.startIndex..<end])) { continue }
            }
            records.append(line.split(separator: 9, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) })
        }
        guard records.first == [compiledFormat] else { return nil }
        var u = Understanding()
        var vocabulary: Set<String> = []
        var frames: [(String, Frame)] = []
        func items(_ s: String) -> [String] { s.utf8.split(separator: 0x1F).map { String(decoding: $0, as: UTF8.self) } }
        func words(_ s: String) -> [String] { s.utf8.split(separator: 32).map { String(decoding: $0, as: UTF8.self) } }
        for f in records.dropFirst() {
            guard let kind = f.first else { return nil }
            switch (kind, f.count) {
            case ("R", 3): u.language.replace[f[1]] = words(f[2])
            case ("T", 3): u.language.typos[f[1]] = f[2]
            case ("C", 3): u.language.contractions.append((f[1], f[2]))
            case ("S", 3):
                let set = Set(items(f[2]))
                switch f[1] {
                case "is": u.language.isWords = set
                case "neg": u.language.negators = set
                case "contrast": u.language.contrast = set
                case "clause": u.language.clauseContrast = set
                case "fill": u.language.fillers = set
                case "known": u.language.known = set
                case "part": u.language.participles = set
                default: vocabulary = set
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
                guard let first = w.first, let weight = Double(f[4]) else { return nil }
                u.data[f[1]]?.cues[first, default: []].append(Cue(words: w, label: f[3], weight: weight, text: f[5]))
            case ("E", 4): u.data[f[1]]?.examples[f[2]] = f[3]
            case ("W", 5): u.data[f[1]]?.words[f[2]] = (f[3], Double(f[4]) ?? 0)
            case ("O", 4): for other in items(f[3]) { u.data[f[1]]?.addOver(f[2], other) }
            case ("M", 4): u.data[f[1]]?.overNeeds[f[2]] = Double(f[3]) ?? 2
            case ("F", 7):
                var frame = Frame(label: f[2], weight: Double(f[3]) ?? 2)
                frame.texts = (items(f[4]), items(f[5]), items(f[6]))
                for (k, phrases) in [("first", frame.texts.first), ("then", frame.texts.then)] {
                    for phrase in phrases {
                        let w = u.language.phrase(phrase)
                        guard let head = w.first else { continue }
                        let cue = Cue(words: w, label: f[2], weight: 1, text: phrase)
                        if k == "first" { frame.first[head, default: []].append(cue) } else { frame.then[head, default: []].append(cue) }
                    }
                }
                frame.unless = Set(frame.texts.unless.flatMap { u.language.phrase($0) })
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
                default: u.grammar.prepositions = set
                }
            case ("A", 4):
                let w = words(f[2])
                guard let first = w.first else { return nil }
                let cue = Cue(words: w, label: f[1], weight: 1, text: f[3])
                switch f[1] {
                case "acts": u.grammar.acts[first, default: []].append(cue)
                case "unaware": u.grammar.unaware[first, default: []].append(cue)
                default: u.grammar.discovery[first, default: []].append(cue)
                }
            case ("Z", 2): u.grammar.reach = Int(f[1]) ?? 8
            default: return nil
            }
        }
        // Cue order inside a first word does not matter to the reader: matches are ranked, not taken first.
        // Frames are read once the language rules are in, since their phrases are normalised by them.
        for (set, frame) in frames { u.data[set]?.frames.append(frame) }
        u.language.index(vocabulary: vocabulary)
        return u
    }
}

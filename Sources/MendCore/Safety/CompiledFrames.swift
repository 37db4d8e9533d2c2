// A compiled copy of the crisis frames (dialogs/safety/frames.yaml), one record a line, so a start skips compiling.
import Foundation

extension CrisisFrames {
    /// Bump when the compiled form or the way frames.yaml is compiled changes.
    static let compiledFormat = "mend-frames-3"

    /// frames.yaml through a compiled copy in `cache` (see CompiledCopy); nil cache: compiled every time.
    static func load(url: URL, cache: CacheFolder?, diagnostics: inout [Diagnostic]) -> CrisisFrames {
        CompiledCopy.load("frames", format: compiledFormat, files: [url.path], cache: cache, diagnostics: &diagnostics,
                          decode: { decode($0) }, encode: { $0.encoded() }, compile: { CrisisFramesLoader.load(url: url, diagnostics: &$0) })
    }

    private static func ints(_ list: [Int]) -> String { list.map(String.init).joined(separator: ",") }

    /// Five sections, so one line can be read without the rest (see `Partial`):
    /// 1. `W` window and file, `C` a concept's name and the concepts its phrases refer to, `S` spelling,
    ///    `SS` what stems can start a concept;
    /// 2. `I` a word and its id, sorted by the word's bytes (so one line's words are found by halving);
    /// 3. `SW` what concepts a word (by id) can start, sorted by the id;
    /// 4. `F` a frame;
    /// 5. per concept: `P` a phrase (steps split by `;`, each `words|stems|concepts|optional`), `B`/`O` the
    ///    phrase indexes by first word and the others.
    /// Nil when a word holds a character the records use.
    func encoded() -> [String]? {
        func safe(_ s: String) -> Bool { !s.contains(where: { "\t\n,;|".contains($0) }) }
        guard safe(file), conceptNames.allSatisfy(safe), wordIDs.keys.allSatisfy(safe), startsWithStem.keys.allSatisfy(safe),
              phrases.count == conceptNames.count, byFirstWord.count == conceptNames.count, otherPhrases.count == conceptNames.count,
              phrases.allSatisfy({ $0.allSatisfy { $0.allSatisfy { $0.stems.allSatisfy(safe) } } }),
              frames.allSatisfy({ !$0.source.contains("\t") && !$0.source.contains("\n") && safe($0.category) && safe($0.action) }),
              spelling.allSatisfy({ safe($0.key) && $0.value.allSatisfy(safe) }) else { return nil }
        let ints = CrisisFrames.ints
        var head = ["W\t\(window)\t\(file)"]
        for (c, name) in conceptNames.enumerated() {
            let refs = Set(phrases[c].flatMap { $0.flatMap(\.concepts) }).sorted()
            head.append("C\t\(name)\t\(ints(refs))")
        }
        head += spelling.sorted(by: { $0.key < $1.key }).map { "S\t\($0.key)\t\($0.value.joined(separator: ","))" }
        head += startsWithStem.sorted(by: { $0.key < $1.key }).map { "SS\t\($0.key)\t\(ints($0.value))" }
        let words = wordIDs.map { (bytes: Array($0.key.utf8), word: $0.key, id: $0.value) }
            .sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.map { "I\t\($0.word)\t\($0.id)" }
        let starts = startsWithWord.sorted(by: { $0.key < $1.key }).map { "SW\t\($0.key)\t\(ints($0.value))" }
        let frameLines = frames.map { f in
            "F\t\(f.category)\t\(f.action)\t\(ints(f.parts))\t\(ints(f.gaps))\t\(ints(f.unless))\t\(f.line)\t\(f.column)\t\(f.source)"
        }
        var concepts: [String] = []
        for (c, list) in phrases.enumerated() {
            for phrase in list {
                let steps = phrase.map { "\(ints($0.words))|\($0.stems.joined(separator: ","))|\(ints($0.concepts))|\($0.optional ? 1 : 0)" }
                concepts.append("P\t\(c)\t" + steps.joined(separator: ";"))
            }
        }
        for (c, index) in byFirstWord.enumerated() {
            for (word, list) in index.sorted(by: { $0.key < $1.key }) { concepts.append("B\t\(c)\t\(word)\t\(ints(list))") }
        }
        for (c, list) in otherPhrases.enumerated() { concepts.append("O\t\(c)\t\(ints(list))") }
        let mark = CompiledCopy.sectionMark
        return head + [mark] + words + [mark] + starts + [mark] + frameLines + [mark] + concepts
    }

    /// Reads the whole copy back; nil when it is damaged.
    static func decode(_ body: CompiledCopy.Bytes) -> CrisisFrames? {
        guard var partial = Partial(body, asked: nil) else { return nil }
        return partial.complete(tokens: nil)
    }

    /// A copy read for one line, in two steps. First what the normaliser needs: the spelling and, of the frames'
    /// words, those it will ask about (`asked`, see `Normaliser.asked`). Then, once the line's words are known,
    /// `complete` reads only the frames whose every concept can start at one of those words, and the concepts
    /// those frames (and their concepts' phrases) use: every check of that line comes out as with the whole copy.
    struct Partial {
        var frames = CrisisFrames()
        private let sections: [CompiledCopy.Bytes]
        /// Per concept, the concepts its phrases refer to.
        private var refs: [[Int]] = []

        init?(_ body: CompiledCopy.Bytes, asked: Set<String>?) {
            sections = CompiledCopy.sections(body)
            guard sections.count == 5 else { return nil }
            var ok = true
            CompiledCopy.records(sections[0]) { fields in
                switch (fields[0].first, fields[0].count, fields.count) {
                case (87, 1, 3):    // W
                    guard let w = number(fields[1]) else { ok = false; return false }
                    frames.window = w
                    frames.file = text(fields[2])
                case (67, 1, 3):    // C
                    guard let list = numbers(fields[2]) else { ok = false; return false }
                    frames.conceptNames.append(text(fields[1]))
                    refs.append(list)
                case (83, 1, 3):    // S
                    frames.spelling[text(fields[1])] = fields[2].isEmpty ? [] : fields[2].split(separator: 44).map(text)
                case (83, 2, 3) where fields[0].last == 83:   // SS
                    guard let list = numbers(fields[2]) else { ok = false; return false }
                    frames.startsWithStem[text(fields[1])] = list
                default: ok = false; return false
                }
                return true
            }
            let count = frames.conceptNames.count
            guard ok, refs.allSatisfy({ $0.allSatisfy { $0 >= 0 && $0 < count } }),
                  frames.startsWithStem.values.allSatisfy({ $0.allSatisfy { $0 >= 0 && $0 < count } }), addWords(asked) else { return nil }
        }

        /// `I` records, only those of `wanted` words when given (each found by halving: they are sorted by word).
        private mutating func addWords(_ wanted: Set<String>?) -> Bool {
            var ok = true
            func add(_ fields: [CompiledCopy.Bytes]) -> Bool {
                guard fields.count == 3, fields[0].elementsEqual([73]), let id = number(fields[2]) else { ok = false; return false }
                frames.wordIDs[text(fields[1])] = id
                return true
            }
            guard let wanted else {
                CompiledCopy.records(sections[1], add)
                return ok
            }
            let section = sections[1]
            for word in wanted {
                let key = Array(word.utf8)
                let at = CompiledCopy.lowerBound(section, from: section.startIndex) { $0.dropFirst(2).prefix { $0 != 9 }.lexicographicallyPrecedes(key) }
                let end = CompiledCopy.lineEnd(section, from: at)
                guard at < end, section[at..<end].dropFirst(2).prefix(while: { $0 != 9 }).elementsEqual(key) else { continue }
                CompiledCopy.records(section[at..<end], add)
                guard ok else { return false }
            }
            return ok
        }

        /// The rest of the copy; `tokens`: the line's plain words (nil: everything).
        mutating func complete(tokens: [String]?) -> CrisisFrames? {
            let count = frames.conceptNames.count
            guard addWords(tokens.map(Set.init)) else { return nil }
            // What can start where: for one line, only at its own words.
            var ok = true
            func starts(_ fields: [CompiledCopy.Bytes]) -> Bool {
                guard fields.count == 3, fields[0].elementsEqual([83, 87]), let w = number(fields[1]), let list = numbers(fields[2]),
                      list.allSatisfy({ $0 >= 0 && $0 < count }) else { ok = false; return false }
                frames.startsWithWord[w] = list
                return true
            }
            if let tokens {
                // The records are sorted by id: each of the line's words' ids found by halving.
                let section = sections[2]
                for id in Set(tokens.compactMap { frames.wordIDs[$0] }) {
                    let at = CompiledCopy.lowerBound(section, from: section.startIndex) { record in
                        number(record.dropFirst(3).prefix { $0 != 9 }).map { $0 < id } ?? false
                    }
                    let end = CompiledCopy.lineEnd(section, from: at)
                    guard at < end, number(section[at..<end].dropFirst(3).prefix(while: { $0 != 9 })) == id else { continue }
                    CompiledCopy.records(section[at..<end], starts)
                    guard ok else { return nil }
                }
            } else {
                CompiledCopy.records(sections[2], starts)
            }
            guard ok else { return nil }
            // The concepts that can start somewhere in the line (a superset of what a check finds: it sets idioms aside).
            var present: [Bool]?
            if let tokens {
                var can = Array(repeating: false, count: count)
                for t in tokens where t != PlainLine.sentenceEnd && t != PlainLine.comma {
                    if let id = frames.wordIDs[t], let list = frames.startsWithWord[id] { for c in list { can[c] = true } }
                    for (stem, list) in frames.startsWithStem where t.hasPrefix(stem) { for c in list { can[c] = true } }
                }
                present = can
            }
            CompiledCopy.records(sections[3]) { fields in
                guard fields.count == 9, fields[0].elementsEqual([70]), let parts = numbers(fields[3]),
                      parts.allSatisfy({ $0 >= 0 && $0 < count }) else { ok = false; return false }
                // A frame needs every one of its concepts in the line.
                if let present, !parts.allSatisfy({ present[$0] }) { return true }
                guard let gaps = numbers(fields[4]), gaps.count == parts.count, let unless = numbers(fields[5]),
                      unless.allSatisfy({ $0 >= 0 && $0 < count }), let line = number(fields[6]), let column = number(fields[7]) else { ok = false; return false }
                frames.frames.append(Frame(category: text(fields[1]), action: text(fields[2]), parts: parts, gaps: gaps, unless: unless,
                                           source: text(fields[8]), line: line, column: column))
                return true
            }
            guard ok else { return nil }
            // The concepts those frames use, and the ones their phrases refer to.
            var wanted: [Bool]?
            if tokens != nil {
                var want = Array(repeating: false, count: count)
                var stack = frames.frames.flatMap { $0.parts + $0.unless }
                while let c = stack.popLast() {
                    if want[c] { continue }
                    want[c] = true
                    stack += refs[c]
                }
                wanted = want
            }
            frames.phrases = Array(repeating: [], count: count)
            frames.byFirstWord = Array(repeating: [:], count: count)
            frames.otherPhrases = Array(repeating: [], count: count)
            let keep = wanted.map { want in
                { (record: CompiledCopy.Bytes) -> Bool in
                    let at = record.dropFirst(2).prefix { $0 != 9 }
                    guard let c = number(at), c >= 0, c < count else { return true }   // damaged: read, so refused
                    return want[c]
                }
            }
            func each(_ fields: [CompiledCopy.Bytes]) -> Bool {
                guard let c = number(fields[1]), c >= 0, c < count else { ok = false; return false }
                switch (fields[0].first, fields[0].count, fields.count) {
                case (80, 1, 3):    // P
                    var steps: [Step] = []
                    for code in fields[2].split(separator: 59, omittingEmptySubsequences: false) {   // ;
                        let parts = code.split(separator: 124, omittingEmptySubsequences: false)     // |
                        guard parts.count == 4, let words = numbers(parts[0]), let concepts = numbers(parts[2]),
                              concepts.allSatisfy({ $0 >= 0 && $0 < count }) else { ok = false; return false }
                        let stems = parts[1].isEmpty ? [] : parts[1].split(separator: 44).map(text)
                        steps.append(Step(words: words, stems: stems, concepts: concepts, optional: parts[3].first == 49))
                    }
                    frames.phrases[c].append(steps)
                case (66, 1, 4):    // B
                    guard let w = number(fields[2]), let list = numbers(fields[3]) else { ok = false; return false }
                    frames.byFirstWord[c][w] = list
                case (79, 1, 3):    // O
                    guard let list = numbers(fields[2]) else { ok = false; return false }
                    frames.otherPhrases[c] = list
                default: ok = false; return false
                }
                return true
            }
            // The `P`, then `B`, then `O` records, each kind sorted by concept: for a few concepts, a binary search
            // for each one's records reads them in the same order as going through them all.
            if let wanted, wanted.lazy.filter({ $0 }).count <= 32 {
                let section = sections[4]
                /// Where a record sorts: its kind, then its concept; nil when damaged.
                func order(_ record: CompiledCopy.Bytes) -> (Int, Int)? {
                    let kinds: [UInt8] = [80, 66, 79]
                    guard record.count > 2, let kind = kinds.firstIndex(of: record[record.startIndex]), record[record.startIndex + 1] == 9,
                          let c = number(record.dropFirst(2).prefix { $0 != 9 }) else { return nil }
                    return (kind, c)
                }
                /// The first record at or after `from` that does not sort before `target`.
                func lowerBound(_ target: (Int, Int), from: Int) -> Int {
                    CompiledCopy.lowerBound(section, from: from) { record in order(record).map { $0 < target } ?? false }
                }
                var from = section.startIndex
                for kind in 0..<3 {
                    for c in wanted.indices where wanted[c] {
                        let start = lowerBound((kind, c), from: from), end = lowerBound((kind, c + 1), from: start)
                        CompiledCopy.records(section[start..<end], each)
                        guard ok else { return nil }
                        from = end
                    }
                }
            } else {
                CompiledCopy.records(sections[4], keep: keep, each)
            }
            // Every phrase index points at a phrase of its concept.
            guard ok, (0..<count).allSatisfy({ c in
                let n = frames.phrases[c].count
                return frames.otherPhrases[c].allSatisfy { $0 >= 0 && $0 < n } && frames.byFirstWord[c].values.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < n } }
            }) else { return nil }
            return frames
        }
    }

    private static func text(_ bytes: CompiledCopy.Bytes) -> String { String(decoding: bytes, as: UTF8.self) }

    /// A whole number written in ASCII digits (a leading "-" allowed); nil for anything else.
    private static func number(_ bytes: CompiledCopy.Bytes) -> Int? {
        var n = 0, negative = false, digits = 0
        var k = bytes.startIndex
        while k < bytes.endIndex {
            let b = bytes[k]
            defer { k += 1 }
            if b == 45, k == bytes.startIndex { negative = true; continue }
            guard b >= 48, b <= 57, digits < 18 else { return nil }
            n = n * 10 + Int(b - 48)
            digits += 1
        }
        return digits > 0 ? (negative ? -n : n) : nil
    }

    /// Numbers split by commas; empty bytes are an empty list.
    private static func numbers(_ bytes: CompiledCopy.Bytes) -> [Int]? {
        if bytes.isEmpty { return [] }
        var out: [Int] = []
        var from = bytes.startIndex
        while true {
            let to = bytes[from...].firstIndex(of: 44) ?? bytes.endIndex
            guard let n = number(bytes[from..<to]) else { return nil }
            out.append(n)
            if to == bytes.endIndex { return out }
            from = to + 1
        }
    }
}

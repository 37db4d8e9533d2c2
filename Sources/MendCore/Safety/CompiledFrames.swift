// A compiled copy of the crisis frames (dialogs/safety/frames.yaml), one record a line, so a start skips compiling.
import Foundation

extension CrisisFrames {
    /// Bump when the compiled form or the way frames.yaml is compiled changes.
    static let compiledFormat = "mend-frames-1"

    /// frames.yaml through a compiled copy in `cache` (see CompiledCopy); nil cache: compiled every time.
    static func load(url: URL, cache: CacheFolder?, diagnostics: inout [Diagnostic]) -> CrisisFrames {
        CompiledCopy.load("frames", format: compiledFormat, files: [url], cache: cache, diagnostics: &diagnostics,
                          decode: { decode($0) }, encode: { $0.encoded() }, compile: { CrisisFramesLoader.load(url: url, diagnostics: &$0) })
    }

    private static func ints(_ list: [Int]) -> String { list.map(String.init).joined(separator: ",") }

    /// Records: `W` window and file, `C` a concept name, `I` a word and its id, `P` a concept's phrase
    /// (steps split by `;`, each `words|stems|concepts|optional`), `B`/`O` the phrase indexes by first word
    /// and the others, `SW`/`SS` what can start a concept, `F` a frame, `S` spelling. Nil when a word
    /// holds a character the records use.
    func encoded() -> [String]? {
        func safe(_ s: String) -> Bool { !s.contains(where: { "\t\n,;|".contains($0) }) }
        guard safe(file), conceptNames.allSatisfy(safe), wordIDs.keys.allSatisfy(safe), startsWithStem.keys.allSatisfy(safe),
              phrases.allSatisfy({ $0.allSatisfy { $0.allSatisfy { $0.stems.allSatisfy(safe) } } }),
              frames.allSatisfy({ !$0.source.contains("\t") && !$0.source.contains("\n") && safe($0.category) && safe($0.action) }),
              spelling.allSatisfy({ safe($0.key) && $0.value.allSatisfy(safe) }) else { return nil }
        let ints = CrisisFrames.ints
        var lines = ["W\t\(window)\t\(file)"]
        lines += conceptNames.map { "C\t\($0)" }
        lines += wordIDs.sorted { $0.value < $1.value }.map { "I\t\($0.key)\t\($0.value)" }
        for (c, list) in phrases.enumerated() {
            for phrase in list {
                let steps = phrase.map { "\(ints($0.words))|\($0.stems.joined(separator: ","))|\(ints($0.concepts))|\($0.optional ? 1 : 0)" }
                lines.append("P\t\(c)\t" + steps.joined(separator: ";"))
            }
        }
        for (c, index) in byFirstWord.enumerated() {
            for (word, list) in index.sorted(by: { $0.key < $1.key }) { lines.append("B\t\(c)\t\(word)\t\(ints(list))") }
        }
        for (c, list) in otherPhrases.enumerated() { lines.append("O\t\(c)\t\(ints(list))") }
        for (word, list) in startsWithWord.sorted(by: { $0.key < $1.key }) { lines.append("SW\t\(word)\t\(ints(list))") }
        for (stem, list) in startsWithStem.sorted(by: { $0.key < $1.key }) { lines.append("SS\t\(stem)\t\(ints(list))") }
        for f in frames {
            lines.append("F\t\(f.category)\t\(f.action)\t\(ints(f.parts))\t\(ints(f.gaps))\t\(ints(f.unless))\t\(f.line)\t\(f.column)\t\(f.source)")
        }
        for (from, to) in spelling.sorted(by: { $0.key < $1.key }) { lines.append("S\t\(from)\t\(to.joined(separator: ","))") }
        return lines
    }

    /// Reads the records straight from their bytes (the copy is large; String splitting would cost more
    /// than compiling).
    static func decode(_ body: ArraySlice<UInt8>) -> CrisisFrames? {
        var f = CrisisFrames()
        var phraseRecords: [(Int, [Step])] = []
        var firstWord: [(Int, Int, [Int])] = []
        var others: [(Int, [Int])] = []
        var start = body.startIndex
        while start < body.endIndex {
            let end = CompiledCopy.lineEnd(body, from: start)
            let line = body[start..<end]
            start = end + 1
            var fields: [ArraySlice<UInt8>] = []
            var from = line.startIndex
            while true {
                let to = line[from...].firstIndex(of: 9) ?? line.endIndex
                fields.append(line[from..<to])
                if to == line.endIndex { break }
                from = to + 1
            }
            func text(_ i: Int) -> String { String(decoding: fields[i], as: UTF8.self) }
            func int(_ i: Int) -> Int? { number(fields[i]) }
            func list(_ i: Int) -> [Int]? { numbers(fields[i]) }
            switch (fields.first.map { String(decoding: $0, as: UTF8.self) } ?? "", fields.count) {
            case ("P", 3):
                guard let c = int(1) else { return nil }
                var steps: [Step] = []
                for code in fields[2].split(separator: 59, omittingEmptySubsequences: false) {   // ;
                    let parts = code.split(separator: 124, omittingEmptySubsequences: false)     // |
                    guard parts.count == 4, let words = numbers(parts[0]), let concepts = numbers(parts[2]) else { return nil }
                    let stems = parts[1].isEmpty ? [] : parts[1].split(separator: 44).map { String(decoding: $0, as: UTF8.self) }
                    steps.append(Step(words: words, stems: stems, concepts: concepts, optional: parts[3].first == 49))
                }
                phraseRecords.append((c, steps))
            case ("B", 4):
                guard let c = int(1), let w = int(2), let l = list(3) else { return nil }
                firstWord.append((c, w, l))
            case ("O", 3):
                guard let c = int(1), let l = list(2) else { return nil }
                others.append((c, l))
            case ("SW", 3):
                guard let w = int(1), let l = list(2) else { return nil }
                f.startsWithWord[w] = l
            case ("SS", 3):
                guard let l = list(2) else { return nil }
                f.startsWithStem[text(1)] = l
            case ("I", 3):
                guard let id = int(2) else { return nil }
                f.wordIDs[text(1)] = id
            case ("C", 2): f.conceptNames.append(text(1))
            case ("W", 3):
                guard let w = int(1) else { return nil }
                f.window = w
                f.file = text(2)
            case ("F", 9):
                guard let parts = list(3), let gaps = list(4), let unless = list(5), let line = int(6), let column = int(7) else { return nil }
                f.frames.append(Frame(category: text(1), action: text(2), parts: parts, gaps: gaps, unless: unless,
                                      source: text(8), line: line, column: column))
            case ("S", 3): f.spelling[text(1)] = fields[2].isEmpty ? [] : fields[2].split(separator: 44).map { String(decoding: $0, as: UTF8.self) }
            default: return nil
            }
        }
        let count = f.conceptNames.count
        f.phrases = Array(repeating: [], count: count)
        f.byFirstWord = Array(repeating: [:], count: count)
        f.otherPhrases = Array(repeating: [], count: count)
        for (c, steps) in phraseRecords { guard c < count else { return nil }; f.phrases[c].append(steps) }
        for (c, w, l) in firstWord { guard c < count else { return nil }; f.byFirstWord[c][w] = l }
        for (c, l) in others { guard c < count else { return nil }; f.otherPhrases[c] = l }
        return f
    }

    /// A whole number written in ASCII digits (a leading "-" allowed); nil for anything else.
    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var n = 0, negative = false, digits = 0
        for (k, b) in zip(bytes.indices, bytes) {
            if b == 45, k == bytes.startIndex { negative = true; continue }
            guard b >= 48, b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
            digits += 1
        }
        return digits > 0 ? (negative ? -n : n) : nil
    }

    /// Numbers split by commas; empty bytes are an empty list.
    private static func numbers(_ bytes: ArraySlice<UInt8>) -> [Int]? {
        if bytes.isEmpty { return [] }
        var out: [Int] = []
        for part in bytes.split(separator: 44, omittingEmptySubsequences: false) {
            guard let n = number(part) else { return nil }
            out.append(n)
        }
        return out
    }
}

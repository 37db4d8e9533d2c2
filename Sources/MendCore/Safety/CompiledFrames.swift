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
    private static func ints(_ field: String) -> [Int]? {
        if field.isEmpty { return [] }
        var out: [Int] = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part) else { return nil }
            out.append(n)
        }
        return out
    }

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
        let ints = CrisisFrames.ints as ([Int]) -> String
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

    static func decode(_ body: ArraySlice<UInt8>) -> CrisisFrames? {
        var f = CrisisFrames()
        var phraseRecords: [(Int, [Step])] = []
        var firstWord: [(Int, Int, [Int])] = []
        var others: [(Int, [Int])] = []
        for fields in CompiledCopy.lines(body) {
            switch (fields.first ?? "", fields.count) {
            case ("W", 3):
                guard let w = Int(fields[1]) else { return nil }
                f.window = w
                f.file = fields[2]
            case ("C", 2): f.conceptNames.append(fields[1])
            case ("I", 3):
                guard let id = Int(fields[2]) else { return nil }
                f.wordIDs[fields[1]] = id
            case ("P", 3):
                guard let c = Int(fields[1]) else { return nil }
                var steps: [Step] = []
                for code in fields[2].split(separator: ";", omittingEmptySubsequences: false) {
                    let parts = code.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 4, let words = ints(parts[0]), let concepts = ints(parts[2]) else { return nil }
                    steps.append(Step(words: words, stems: parts[1].isEmpty ? [] : parts[1].split(separator: ",").map(String.init),
                                      concepts: concepts, optional: parts[3] == "1"))
                }
                phraseRecords.append((c, steps))
            case ("B", 4):
                guard let c = Int(fields[1]), let w = Int(fields[2]), let list = ints(fields[3]) else { return nil }
                firstWord.append((c, w, list))
            case ("O", 3):
                guard let c = Int(fields[1]), let list = ints(fields[2]) else { return nil }
                others.append((c, list))
            case ("SW", 3):
                guard let w = Int(fields[1]), let list = ints(fields[2]) else { return nil }
                f.startsWithWord[w] = list
            case ("SS", 3):
                guard let list = ints(fields[2]) else { return nil }
                f.startsWithStem[fields[1]] = list
            case ("F", 9):
                guard let parts = ints(fields[3]), let gaps = ints(fields[4]), let unless = ints(fields[5]),
                      let line = Int(fields[6]), let column = Int(fields[7]) else { return nil }
                f.frames.append(Frame(category: fields[1], action: fields[2], parts: parts, gaps: gaps, unless: unless,
                                      source: fields[8], line: line, column: column))
            case ("S", 3): f.spelling[fields[1]] = fields[2].isEmpty ? [] : fields[2].split(separator: ",").map(String.init)
            default: return nil
            }
        }
        let count = f.conceptNames.count
        f.phrases = Array(repeating: [], count: count)
        f.byFirstWord = Array(repeating: [:], count: count)
        f.otherPhrases = Array(repeating: [], count: count)
        for (c, steps) in phraseRecords { guard c < count else { return nil }; f.phrases[c].append(steps) }
        for (c, w, list) in firstWord { guard c < count else { return nil }; f.byFirstWord[c][w] = list }
        for (c, list) in others { guard c < count else { return nil }; f.otherPhrases[c] = list }
        return f
    }
}

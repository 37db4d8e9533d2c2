// Learning from labelled example lines: a small logistic model over words and word pairs, trained when the data is compiled.
import Foundation

/// A reader learned from example lines (`examples/*.tsv` beside the rules). It sees words the rules have
/// no entry for, so it backs them up: it speaks only where the rules found nothing, and only above its
/// own threshold. Deterministic: the same lines always give the same model.
struct LearnedReader: Sendable, Equatable {
    var labels: [String] = []
    /// Feature -> one weight per label (a model just trained).
    var weights: [String: [Float]] = [:]
    /// The same, straight from a compiled copy's bytes (a model read from the cache): nothing is decoded until asked.
    var table = FeatureTable()
    var bias: [Float] = []

    var isEmpty: Bool { labels.isEmpty }

    /// The fewest known features a line must have before the model says anything.
    static let fewestFeatures = 3

    func weights(of feature: String) -> [Float]? {
        weights[feature] ?? table.row(of: feature, labels: labels.count)
    }

    /// A boundary between clauses or sentences in a word list: pairs never cross it.
    static let boundaries: Set<String> = ["#", ",", ".", "!", "?", ";", ":"]

    /// The features of a line's plain words: each word (marked `~` when a negation covers it), each pair
    /// of neighbours, and each pair one word apart ("never ever hurt" still pairs "never" with "hurt");
    /// pairs stay within a clause.
    /// `function`: words too common to mean anything alone ("the", "about"): they count only in pairs.
    static func features(_ words: [String], negated: [Bool], function: Set<String> = []) -> [String] {
        var out = Set<String>()
        for (i, w) in words.enumerated() where !boundaries.contains(w) {
            if !function.contains(w) { out.insert(i < negated.count && negated[i] ? "~" + w : w) }
            // A pair inside a negation is marked too: "wont be taking any revenge" is not "taking any revenge".
            let mark = i + 1 < negated.count && negated[i + 1] ? "~" : ""
            if i + 1 < words.count, !boundaries.contains(words[i + 1]) {
                out.insert(mark + w + " " + words[i + 1])
                if i + 2 < words.count, !boundaries.contains(words[i + 2]) { out.insert(mark + w + " _ " + words[i + 2]) }
            }
        }
        return out.sorted()
    }

    /// Which words a negation covers: those after a negator, up to `scope` words, within the clause.
    static func negation(_ words: [String], negators: Set<String>, scope: Int = 4) -> [Bool] {
        var out = [Bool](repeating: false, count: words.count)
        for (i, w) in words.enumerated() where negators.contains(w) {
            var j = i + 1
            while j < words.count, j <= i + scope, !boundaries.contains(words[j]) { out[j] = true; j += 1 }
        }
        return out
    }

    /// The label the model would give, its probability, and the features that pushed it most.
    /// `besides`: a label never given (the crisis reader's "none"): the likeliest other label is, and
    /// `rest` is the probability of that label (0 without one).
    func read(_ features: [String], besides: String? = nil) -> (label: String, probability: Double, evidence: [String], rest: Double)? {
        guard !labels.isEmpty else { return nil }
        let rows = features.compactMap { f in weights(of: f).map { (f, $0) } }
        let known = rows.map(\.0)
        // A reading from one or two known features ("know" left over once "dying to" is set aside) is noise.
        guard known.count >= LearnedReader.fewestFeatures else { return nil }
        let scale = 1 / Float(known.count).squareRoot()
        var scores = bias
        for (_, row) in rows { for (k, w) in row.enumerated() { scores[k] += w * scale } }
        let top = scores.max() ?? 0
        let exps = scores.map { exp(Double($0 - top)) }
        let total = exps.reduce(0, +)
        guard let best = exps.indices.filter({ labels[$0] != besides }).max(by: { exps[$0] < exps[$1] }) else { return nil }
        let pushes: [(feature: String, weight: Float)] = rows.map { ($0.0, $0.1[best]) }
        let why = pushes.filter { $0.weight > 0 }.sorted { a, b in a.weight != b.weight ? a.weight > b.weight : a.feature < b.feature }.prefix(4).map(\.feature)
        let rest = labels.firstIndex(of: besides ?? "").map { exps[$0] / total } ?? 0
        return (labels[best], exps[best] / total, why, rest)
    }

    /// Trains on (label, features) lines: multinomial logistic regression by stochastic gradient descent,
    /// in a fixed order shuffled by a fixed seed. Features seen in fewer than `minimumLines` lines are left out.
    static func train(_ lines: [(label: String, features: [String])], epochs: Int = 12, minimumLines: Int = 2) -> LearnedReader {
        let labels = Array(Set(lines.map(\.label))).sorted()
        guard labels.count > 1 else { return LearnedReader() }
        var lineCount: [String: Int] = [:]
        for line in lines { for f in line.features { lineCount[f, default: 0] += 1 } }
        let kept = lineCount.filter { $0.value >= minimumLines }.keys.sorted()
        var id: [String: Int] = [:]
        for (i, f) in kept.enumerated() { id[f] = i }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var rows: [(Int, [Int], Float)] = lines.compactMap { line in
            let ids = line.features.compactMap { id[$0] }
            return ids.isEmpty ? nil : (labelIndex[line.label]!, ids, 1 / Float(ids.count).squareRoot())
        }
        let k = labels.count
        var w = [Float](repeating: 0, count: kept.count * k)
        var b = [Float](repeating: 0, count: k)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var scores = [Float](repeating: 0, count: k)
        for epoch in 0..<epochs {
            // Fisher-Yates with a fixed generator: the same data always trains the same model.
            for i in stride(from: rows.count - 1, to: 0, by: -1) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                rows.swapAt(i, Int((seed >> 33) % UInt64(i + 1)))
            }
            let rate = Float(0.5 / (1 + Double(epoch) * 0.3))
            for (y, ids, scale) in rows {
                for j in 0..<k { scores[j] = b[j] }
                for f in ids { for j in 0..<k { scores[j] += w[f * k + j] * scale } }
                let top = scores.max() ?? 0
                var total: Float = 0
                for j in 0..<k { scores[j] = Foundation.exp(scores[j] - top); total += scores[j] }
                for j in 0..<k {
                    let g = scores[j] / total - (j == y ? 1 : 0)
                    b[j] -= rate * g * 0.1
                    for f in ids { w[f * k + j] -= rate * (g * scale + 0.0001 * w[f * k + j]) }
                }
            }
        }
        var model = LearnedReader(labels: labels, weights: [:], bias: b)
        for (i, f) in kept.enumerated() {
            let row = Array(w[(i * k)..<(i * k + k)])
            // A feature that moves no label is left out of the copy.
            if row.contains(where: { abs($0) >= 0.005 }) { model.weights[f] = row }
        }
        return model
    }

    // MARK: the compiled form

    /// Records: `L` the labels, `B` the biases, then one `F` record a feature, sorted, so one line's
    /// features can be found without reading the rest.
    func encoded() -> [String]? {
        guard labels.allSatisfy({ !$0.contains("\t") && !$0.contains(" ") }),
              weights.keys.allSatisfy({ !$0.contains("\t") && !$0.contains("\n") }) else { return nil }
        func numbers(_ row: [Float]) -> String { row.map { String($0) }.joined(separator: " ") }
        var lines = ["L\t" + labels.joined(separator: " "), "B\t" + numbers(bias)]
        for f in weights.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) { lines.append("F\t\(f)\t\(numbers(weights[f]!))") }
        return lines
    }

    /// Reads a model back from the records of a copy: `header` the `L` and `B` records, `range` the bytes
    /// of `copy` holding its `F` records (sorted), left as they are. Nil when damaged.
    /// `prefix`: how many bytes each `F` record carries before its `F` (a model's name and a tab).
    static func decode(header: [[String]], features copy: MappedCopy, range: Range<Int>, prefix: Int = 0) -> LearnedReader? {
        var model = LearnedReader()
        for r in header {
            switch (r.first, r.count) {
            case ("L", 2): model.labels = r[1].split(separator: " ").map(String.init)
            case ("B", 2):
                let parts = r[1].split(separator: " ").map { Float($0) }
                guard !parts.contains(where: { $0 == nil }) else { return nil }
                model.bias = parts.map { $0! }
            default: return nil
            }
        }
        guard model.bias.count == model.labels.count, model.labels.count > 1, let table = FeatureTable(copy, range: range, prefix: prefix) else { return nil }
        model.table = table
        return model
    }
}

/// `F<TAB>feature<TAB>weights` records, sorted by the feature's bytes, searched in place in a copy's bytes.
struct FeatureTable: Sendable, Equatable {
    /// The copy holding the records (nil for an empty table).
    var copy: MappedCopy?
    /// Where each record's feature starts in the copy's bytes (just after `F<TAB>`).
    var starts: [Int32] = []
    /// Where the records lie in the copy's bytes.
    var range: Range<Int> = 0..<0

    init() {}

    /// Nil unless every line of `range` is an `F` record (after `prefix` bytes) with a feature and weights.
    init?(_ copy: MappedCopy, range: Range<Int>, prefix: Int = 0) {
        guard let base = copy.bytes.baseAddress else { return nil }
        self.copy = copy
        self.range = range
        var at = range.lowerBound
        var previous = -1, previousLength = 0
        while at < range.upperBound {
            let end = min(copy.lineEnd(from: at), range.upperBound)
            guard end - at > prefix + 4, base[at + prefix] == 70, base[at + prefix + 1] == 9 else { return nil }
            let from = at + prefix + 2
            // A feature, a tab and its weights; features in strictly rising order, or the search would miss some.
            guard let tab = copy.first(9, in: from..<end), tab > from, tab + 1 < end else { return nil }
            let length = tab - from
            if previous >= 0 {
                let order = memcmp(base + previous, base + from, min(previousLength, length))
                guard order < 0 || (order == 0 && previousLength < length) else { return nil }
            }
            previous = from
            previousLength = length
            starts.append(Int32(from))
            at = end + 1
        }
    }

    /// Nil unless every line is an `F` record (after `prefix` bytes) with a feature and weights.
    init?(_ body: ArraySlice<UInt8>, prefix: Int = 0) {
        let copy = MappedCopy(records: body)
        self.init(copy, range: 0..<copy.bytes.count, prefix: prefix)
    }

    static func == (a: FeatureTable, b: FeatureTable) -> Bool {
        func records(_ t: FeatureTable) -> ArraySlice<UInt8> {
            guard let copy = t.copy, !t.range.isEmpty else { return [] }
            return Array(copy.bytes[t.range])[...]
        }
        return records(a) == records(b)
    }

    /// The weights of a feature, parsed only now; nil when the model has no such feature.
    func row(of feature: String, labels: Int) -> [Float]? {
        guard let copy, !starts.isEmpty, let base = copy.bytes.baseAddress else { return nil }
        let key = Array(feature.utf8)
        let count = range.upperBound
        var low = 0, high = starts.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let start = Int(starts[mid])
            let order = compare(key, at: start, base: base, count: count)
            if order == 0 { return parse(after: start + key.count + 1, labels: labels, base: base, count: count) }
            if order < 0 { high = mid - 1 } else { low = mid + 1 }
        }
        return nil
    }

    /// -1, 0 or 1: how `key` sorts against the feature at `start` (which ends at a tab).
    private func compare(_ key: [UInt8], at start: Int, base: UnsafePointer<UInt8>, count: Int) -> Int {
        var i = 0
        while true {
            let b = start + i < count ? base[start + i] : 9
            let fieldEnded = b == 9
            if i == key.count { return fieldEnded ? 0 : -1 }
            if fieldEnded { return 1 }
            if key[i] != b { return key[i] < b ? -1 : 1 }
            i += 1
        }
    }

    /// The numbers after a feature, read from the bytes as they stand (no string made): `-0.25`, `1.5e-05`.
    private func parse(after start: Int, labels: Int, base bytes: UnsafePointer<UInt8>, count: Int) -> [Float]? {
        var row: [Float] = []
        row.reserveCapacity(labels)
        var i = start
        while row.count < labels {
            while i < count, bytes[i] == 32 { i += 1 }
            var negative = false
            if i < count, bytes[i] == 45 { negative = true; i += 1 }
            var mantissa: Double = 0, scale: Double = 1, digits = 0, fraction = false
            while i < count {
                let b = bytes[i]
                if b >= 48 && b <= 57 {
                    mantissa = mantissa * 10 + Double(b - 48)
                    if fraction { scale *= 10 }
                    digits += 1
                } else if b == 46 && !fraction {
                    fraction = true
                } else { break }
                i += 1
            }
            guard digits > 0 else { return nil }
            var exponent = 0
            if i < count, bytes[i] == 101 || bytes[i] == 69 {
                i += 1
                var minus = false
                if i < count, bytes[i] == 45 || bytes[i] == 43 { minus = bytes[i] == 45; i += 1 }
                var n = 0, seen = false
                while i < count, bytes[i] >= 48, bytes[i] <= 57 { n = n * 10 + Int(bytes[i] - 48); i += 1; seen = true }
                guard seen else { return nil }
                exponent = minus ? -n : n
            }
            var value = mantissa / scale
            if exponent != 0 { value *= pow(10, Double(exponent)) }
            row.append(Float(negative ? -value : value))
            guard i < count, bytes[i] == 32 || bytes[i] == 10 else { return nil }
            if bytes[i] == 10, row.count < labels { return nil }
        }
        return row
    }
}

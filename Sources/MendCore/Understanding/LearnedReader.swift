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
        // Collected in a list, sorted, and each kept once: what a set would keep, without hashing every one.
        var out: [String] = []
        out.reserveCapacity(words.count * 3)
        for (i, w) in words.enumerated() where !boundaries.contains(w) {
            if !function.contains(w) { out.append(i < negated.count && negated[i] ? "~" + w : w) }
            // A pair inside a negation is marked too: "wont be taking any revenge" is not "taking any revenge".
            let mark = i + 1 < negated.count && negated[i + 1] ? "~" : ""
            if i + 1 < words.count, !boundaries.contains(words[i + 1]) {
                out.append(mark + w + " " + words[i + 1])
                if i + 2 < words.count, !boundaries.contains(words[i + 2]) { out.append(mark + w + " _ " + words[i + 2]) }
            }
        }
        out.sort()
        var kept: [String] = []
        kept.reserveCapacity(out.count)
        for f in out where f != kept.last { kept.append(f) }
        return kept
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
    /// Each feature becomes a number once, each line a list of numbers once, and the epochs then work on flat
    /// arrays of numbers alone: no string or dictionary is touched in the inner loop.
    /// `vectors`: false teaches four labels one number at a time too (for the test that both give the same model).
    static func train(_ lines: [(label: String, features: [String])], epochs: Int = 12, minimumLines: Int = 2, vectors: Bool = true) -> LearnedReader {
        let labels = Array(Set(lines.map(\.label))).sorted()
        guard labels.count > 1 else { return LearnedReader() }
        // Every feature gets a first number in the order it is met, and a count of the lines it is in.
        let guess = lines.reduce(0) { $0 + $1.features.count } / 2
        var first: [String: Int] = Dictionary(minimumCapacity: guess)
        var names: [String] = []
        var lineCount: [Int] = []
        names.reserveCapacity(guess)
        lineCount.reserveCapacity(guess)
        var met: [[Int]] = []
        met.reserveCapacity(lines.count)
        for line in lines {
            var ids: [Int] = []
            ids.reserveCapacity(line.features.count)
            for f in line.features {
                if let n = first[f] {
                    lineCount[n] += 1
                    ids.append(n)
                } else {
                    first[f] = names.count
                    ids.append(names.count)
                    names.append(f)
                    lineCount.append(1)
                }
            }
            met.append(ids)
        }
        // The features kept, in the order of their names: a feature's final number is its place in that order.
        let kept = names.indices.filter { lineCount[$0] >= minimumLines }.sorted { names[$0] < names[$1] }
        var final = [Int](repeating: -1, count: names.count)
        for (i, n) in kept.enumerated() { final[n] = i }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        // The lines' features, one flat list: line r's are ids[starts[r]..<starts[r + 1]].
        var ys: [Int] = [], scales: [Float] = [], ids: [Int] = [], starts: [Int] = [0]
        for (line, numbers) in zip(lines, met) {
            let before = ids.count
            for n in numbers where final[n] >= 0 { ids.append(final[n]) }
            let count = ids.count - before
            guard count > 0 else { continue }
            ys.append(labelIndex[line.label]!)
            scales.append(1 / Float(count).squareRoot())
            starts.append(ids.count)
        }
        let k = labels.count
        var w = [Float](repeating: 0, count: kept.count * k)
        var b = [Float](repeating: 0, count: k)
        var scores = [Float](repeating: 0, count: k)
        // The lines in the order of this epoch: shuffling these numbers shuffles the lines.
        var order = Array(ys.indices)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        /// Fisher-Yates with a fixed generator: the same data always trains the same model.
        func shuffle() {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                order.swapAt(i, Int((seed >> 33) % UInt64(i + 1)))
            }
        }
        if k == 4 && vectors {
            // Four labels (the crisis reader): a feature's four weights in one vector, each lane doing the very
            // operations of the loop below in the same order, so the weights come out bit for bit the same.
            var w4 = [SIMD4<Float>](repeating: .zero, count: kept.count)
            var b4 = SIMD4<Float>(b[0], b[1], b[2], b[3])
            w4.withUnsafeMutableBufferPointer { w in
                ids.withUnsafeBufferPointer { ids in
                    for epoch in 0..<epochs {
                        shuffle()
                        let rate = Float(0.5 / (1 + Double(epoch) * 0.3))
                        for r in order {
                            let y = ys[r], scale = scales[r]
                            let line = ids[starts[r]..<starts[r + 1]]
                            var s = b4
                            for f in line { s += w[f] * scale }
                            var top = s[0]
                            for j in 1..<4 where s[j] > top { top = s[j] }
                            var e = SIMD4<Float>.zero
                            var total: Float = 0
                            for j in 0..<4 { e[j] = Foundation.exp(s[j] - top); total += e[j] }
                            var g = e / total
                            g[y] -= 1
                            b4 -= rate * g * 0.1
                            // Each weight moves once a line, by its own label's g: the order of the loops does not matter.
                            for f in line { w[f] -= rate * (g * scale + 0.0001 * w[f]) }
                        }
                    }
                }
            }
            b = [b4[0], b4[1], b4[2], b4[3]]
            for (i, v) in w4.enumerated() { for j in 0..<4 { w[i * 4 + j] = v[j] } }
        } else {
            w.withUnsafeMutableBufferPointer { w in
                b.withUnsafeMutableBufferPointer { b in
                    scores.withUnsafeMutableBufferPointer { scores in
                        ids.withUnsafeBufferPointer { ids in
                            for epoch in 0..<epochs {
                                shuffle()
                                let rate = Float(0.5 / (1 + Double(epoch) * 0.3))
                                for r in order {
                                    let y = ys[r], scale = scales[r]
                                    let line = ids[starts[r]..<starts[r + 1]]
                                    for j in 0..<k { scores[j] = b[j] }
                                    for f in line { for j in 0..<k { scores[j] += w[f * k + j] * scale } }
                                    var top = scores[0]
                                    for j in 1..<k where scores[j] > top { top = scores[j] }
                                    var total: Float = 0
                                    for j in 0..<k { scores[j] = Foundation.exp(scores[j] - top); total += scores[j] }
                                    for j in 0..<k {
                                        let g = scores[j] / total - (j == y ? 1 : 0)
                                        b[j] -= rate * g * 0.1
                                        for f in line { w[f * k + j] -= rate * (g * scale + 0.0001 * w[f * k + j]) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var model = LearnedReader(labels: labels, weights: [:], bias: b)
        for (i, n) in kept.enumerated() {
            let row = Array(w[(i * k)..<(i * k + k)])
            // A feature that moves no label is left out of the copy.
            if row.contains(where: { abs($0) >= 0.005 }) { model.weights[names[n]] = row }
        }
        return model
    }

    // MARK: the compiled form

    /// Records: `L` the labels, `B` the biases, then one `F` record a feature, sorted, so one line's
    /// features can be found without reading the rest.
    func encoded() -> [String]? {
        // (Looked for in the bytes: Foundation's `contains` made writing a copy slow.)
        guard labels.allSatisfy({ !$0.utf8.contains(9) && !$0.utf8.contains(32) }),
              weights.keys.allSatisfy({ !$0.utf8.contains(9) && !$0.utf8.contains(10) }) else { return nil }
        func numbers(_ row: [Float]) -> String { row.map { String($0) }.joined(separator: " ") }
        var lines = ["L\t" + labels.joined(separator: " "), "B\t" + numbers(bias)]
        // Sorted by their bytes (each feature's bytes made once, not once a comparison).
        let keys = weights.keys.map { (bytes: Array($0.utf8), feature: $0) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        lines.reserveCapacity(keys.count + 2)
        for key in keys { lines.append("F\t\(key.feature)\t\(numbers(weights[key.feature]!))") }
        return lines
    }

    /// Reads a model back from the records of a copy: `header` the `L` and `B` records, `range` the bytes
    /// of `copy` holding its `F` records (sorted), left as they are. Nil when damaged.
    /// `prefix`: how many bytes each `F` record carries before its `F` (a model's name and a tab).
    static func decode(header: [[String]], features copy: MappedCopy, range: Range<Int>, prefix: Int = 0, checked: Bool = false) -> LearnedReader? {
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
        guard model.bias.count == model.labels.count, model.labels.count > 1, let table = FeatureTable(copy, range: range, prefix: prefix, checked: checked) else { return nil }
        model.table = table
        return model
    }
}

/// `F<TAB>feature<TAB>weights` records, sorted by the feature's bytes, searched in place in a copy's bytes:
/// nothing is read at load, so a start touches only the few pages a line's features fall on.
struct FeatureTable: Sendable, Equatable {
    /// The copy holding the records (nil for an empty table).
    var copy: MappedCopy?
    /// Where the records lie in the copy's bytes.
    var range: Range<Int> = 0..<0
    /// How many bytes each record carries before its `F` (a model's name and a tab).
    var prefix = 0
    /// Where each record's feature starts (just after `F<TAB>`), when the table was checked: a reader that reads
    /// many lines (a conversation, an evaluation) searches these; one line searches the bytes themselves.
    var starts: [Int32] = []

    init() {}

    /// The records of `range`, taken as they are: a mapped copy is whole (its end mark counts its bytes), and a record
    /// the search meets that is not one reads as no feature. `checked`: every line is first checked to be an `F`
    /// record with a feature and weights, in strictly rising order (nil otherwise), and where each starts is kept.
    init?(_ copy: MappedCopy, range: Range<Int>, prefix: Int = 0, checked: Bool = false) {
        guard let base = copy.bytes.baseAddress else { return nil }
        self.copy = copy
        self.range = range
        self.prefix = prefix
        guard checked else { return }
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

    /// Nil unless every line is an `F` record (after `prefix` bytes) with a feature and weights, in order.
    init?(_ body: ArraySlice<UInt8>, prefix: Int = 0) {
        let copy = MappedCopy(records: body)
        self.init(copy, range: 0..<copy.bytes.count, prefix: prefix, checked: true)
    }

    static func == (a: FeatureTable, b: FeatureTable) -> Bool {
        func records(_ t: FeatureTable) -> ArraySlice<UInt8> {
            guard let copy = t.copy, !t.range.isEmpty else { return [] }
            return Array(copy.bytes[t.range])[...]
        }
        return records(a) == records(b)
    }

    /// The weights of a feature, parsed only now; nil when the model has no such feature. A binary search over the
    /// records' bytes: from a middle byte back to the start of its line.
    func row(of feature: String, labels: Int) -> [Float]? {
        guard let copy, !range.isEmpty, let base = copy.bytes.baseAddress else { return nil }
        let key = Array(feature.utf8)
        let count = range.upperBound
        if !starts.isEmpty {
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
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let middle = low + (high - low) / 2
            var start = middle
            while start > low, base[start - 1] != 10 { start -= 1 }
            let end = min(copy.lineEnd(from: start), count)
            guard end - start > prefix + 4, base[start + prefix] == 70, base[start + prefix + 1] == 9 else { return nil }
            let from = start + prefix + 2
            let order = compare(key, at: from, base: base, count: end)
            if order == 0 { return parse(after: from + key.count + 1, labels: labels, base: base, count: count) }
            if order < 0 { high = start } else { low = end + 1 }
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

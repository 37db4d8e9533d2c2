// learned.yaml: where a learned reader finds its example lines, and how sure it must be to speak.
import Foundation
import Yams

/// The settings of one learned reader (understanding or crisis), from its folder's `learned.yaml`.
struct LearnedSettings: Sendable, Equatable {
    /// Folders of example lines, labelled in the folder's own layout (paths).
    var examples: [String] = []
    /// Folders of understanding examples whose every line counts as ordinary (crisis reader only).
    var ordinary: [String] = []
    /// How sure the reader must be, per set (understanding) or for any category (key `crisis`).
    var thresholds: [String: Double] = [:]
    /// How sure of another label the reader must be to turn a guess of the rules into a question (understanding only).
    var doubts: [String: Double] = [:]
    /// How sure a set's reader must be to speak where the rules saw no word of the set, when the line answers
    /// that set's own question (never for a line read in passing for another set).
    var alone: [String: Double] = [:]
    var epochs = 12
    /// Words that negate what follows (crisis reader; the understanding reader uses language.yaml's).
    var negators: Set<String> = []
    /// Words that count only in pairs, never alone.
    var function: Set<String> = []
    /// Crisis reader only: it speaks only on a line holding one of these words (`kill*`: any word starting so);
    /// empty: on any line.
    var risk: [String] = []
    /// The settings file and every example file: what a compiled model depends on (paths).
    var files: [String] = []
    /// The folders of `examples` and `ordinary` as written in learned.yaml (beside it).
    var exampleNames: [String] = []
    var ordinaryNames: [String] = []

    /// The example files, and the ordinary ones, to teach from.
    var exampleFiles: [URL] { examples.flatMap { ExampleLines.paths(in: $0) }.map { URL(fileURLWithPath: $0, isDirectory: false) } }
    var ordinaryFiles: [URL] { ordinary.flatMap { ExampleLines.paths(in: $0) }.map { URL(fileURLWithPath: $0, isDirectory: false) } }

    /// `folder/path` with `.` and `..` taken out, as written (no link followed), like `standardizedFileURL`;
    /// nil unless it names a folder.
    static func folder(_ path: String, in folder: String) -> String? {
        var parts: [String] = []
        for part in CompiledCopy.path(folder, path).split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(String(part))
        }
        let dir = "/" + CompiledCopy.join(parts, "/")
        var info = stat()
        guard stat(dir, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return dir
    }

    static let topKeys = ["examples", "ordinary", "thresholds", "doubts", "alone", "epochs", "negators", "function-words", "risk-words"]

    /// Nil when the folder has no learned.yaml (then there is no learned reader).
    static func load(folder: URL, keys: Set<String>, diagnostics: inout [Diagnostic]) -> LearnedSettings? {
        let url = folder.appendingPathComponent("learned.yaml", isDirectory: false)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return nil }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        // Parsed plain (numbers are read from text where asked): the default schema's resolver costs milliseconds at each start.
        guard let root = reader.parse(text, plain: true),
              let pairs = reader.mapping(root, what: "learned.yaml", allowed: topKeys, required: ["examples", "thresholds"]) else { return nil }
        var settings = LearnedSettings()
        for (key, _, value) in pairs {
            switch key {
            case "examples", "ordinary":
                for item in reader.sequence(value, what: key) {
                    guard let path = reader.string(item, what: "a folder") else { continue }
                    guard let dir = LearnedSettings.folder(path, in: folder.path) else {
                        reader.error(item, "no folder '\(path)' beside learned.yaml")
                        continue
                    }
                    if key == "examples" {
                        settings.examples.append(dir)
                        settings.exampleNames.append(path)
                    } else {
                        settings.ordinary.append(dir)
                        settings.ordinaryNames.append(path)
                    }
                }
            case "thresholds", "doubts", "alone":
                for (name, keyNode, v) in reader.namedMapping(value, what: key) ?? [] {
                    guard keys.contains(name) else {
                        reader.error(keyNode, "unknown key '\(name)' (known: \(keys.sorted().joined(separator: ", ")))")
                        continue
                    }
                    guard let t = reader.double(v, what: "the \(key) of \(name)") else { continue }
                    guard t > 0, t <= (name == "against-ordinary" ? 10 : 1) else { reader.error(v, "a threshold is a probability above 0 and at most 1 (against-ordinary: a ratio up to 10)"); continue }
                    switch key {
                    case "thresholds": settings.thresholds[name] = t
                    case "doubts": settings.doubts[name] = t
                    default: settings.alone[name] = t
                    }
                }
            case "negators":
                settings.negators = Set(reader.strings(value, what: "negators").map { $0.lowercased() })
            case "function-words":
                settings.function = Set(reader.strings(value, what: "function-words").map { $0.lowercased() })
            case "risk-words":
                settings.risk = reader.strings(value, what: "risk-words").map { $0.lowercased().replacingOccurrences(of: "'", with: "") }
            case "epochs":
                guard let n = reader.double(value, what: "epochs") else { continue }
                guard n >= 1, n <= 100, n == n.rounded() else { reader.error(value, "epochs is a whole number from 1 to 100"); continue }
                settings.epochs = Int(n)
            default: break
            }
        }
        settings.files = [url.path] + (settings.examples + settings.ordinary).flatMap { ExampleLines.paths(in: $0) }
        return settings
    }
}

extension LearnedSettings {
    /// Bump when the compiled form of the settings changes.
    static let compiledFormat = "mend-learned-settings-3"

    /// `load` through a compiled copy of learned.yaml in `cache` (see CompiledCopy): a warm start parses no YAML.
    /// `kind` names the copy (one a folder).
    /// `folder` is a path: a warm start makes no URL.
    static func load(folder dir: String, keys: Set<String>, cache: CacheFolder?, kind: String, diagnostics: inout [Diagnostic]) -> LearnedSettings? {
        guard cache != nil else { return load(folder: URL(fileURLWithPath: dir, isDirectory: true), keys: keys, diagnostics: &diagnostics) }
        let file = CompiledCopy.path(dir, "learned.yaml")
        guard access(file, F_OK) == 0 else { return nil }
        let settings: LearnedSettings? = CompiledCopy.load(
            kind, format: compiledFormat + " " + CompiledCopy.join(keys.sorted(), ","), files: [file], cache: cache, diagnostics: &diagnostics,
            decode: { (body: CompiledCopy.Bytes) -> LearnedSettings?? in decode(body, folder: dir).map { .some($0) } },
            encode: { (settings: LearnedSettings?) -> [String]? in settings?.encoded() },
            compile: { (found: inout [Diagnostic]) -> LearnedSettings? in load(folder: URL(fileURLWithPath: dir, isDirectory: true), keys: keys, diagnostics: &found) })
        return settings
    }

    /// Records: `X` and `O` a folder of examples or ordinary lines, `T`, `D` and `A` a threshold, doubt or alone, `P` the
    /// epochs, `N` the negators, `W` the function words, `K` the risk words. Nil when some text cannot be written so.
    func encoded() -> [String]? {
        let words = negators.sorted() + function.sorted() + risk
        for text in exampleNames + ordinaryNames + thresholds.keys + doubts.keys + alone.keys + words
        where text.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 0x1F }) { return nil }
        var lines = exampleNames.map { "X\t" + $0 } + ordinaryNames.map { "O\t" + $0 }
        for name in thresholds.keys.sorted() { lines.append("T\t\(name)\t\(thresholds[name]!)") }
        for name in doubts.keys.sorted() { lines.append("D\t\(name)\t\(doubts[name]!)") }
        for name in alone.keys.sorted() { lines.append("A\t\(name)\t\(alone[name]!)") }
        lines.append("P\t\(epochs)")
        lines.append("N\t" + CompiledCopy.list(negators.sorted()))
        lines.append("W\t" + CompiledCopy.list(function.sorted()))
        if !risk.isEmpty { lines.append("K\t" + CompiledCopy.list(risk)) }
        return lines
    }

    /// Reads the records back; nil when they are not whole, or a folder they name is gone (then learned.yaml is
    /// read again, and says so).
    static func decode(_ body: CompiledCopy.Bytes, folder: String) -> LearnedSettings? {
        var settings = LearnedSettings()
        var epochs: Int?
        for f in CompiledCopy.lines(body) {
            switch (f.first, f.count) {
            case ("X", 2), ("O", 2):
                guard let dir = LearnedSettings.folder(f[1], in: folder) else { return nil }
                if f[0] == "X" {
                    settings.examples.append(dir)
                    settings.exampleNames.append(f[1])
                } else {
                    settings.ordinary.append(dir)
                    settings.ordinaryNames.append(f[1])
                }
            case ("T", 3), ("D", 3), ("A", 3):
                guard let value = Double(f[2]) else { return nil }
                switch f[0] {
                case "T": settings.thresholds[f[1]] = value
                case "D": settings.doubts[f[1]] = value
                default: settings.alone[f[1]] = value
                }
            case ("P", 2): epochs = Int(f[1])
            case ("N", 2): settings.negators = Set(CompiledCopy.items(f[1]))
            case ("W", 2): settings.function = Set(CompiledCopy.items(f[1]))
            case ("K", 2): settings.risk = CompiledCopy.items(f[1])
            default: return nil
            }
        }
        guard let epochs else { return nil }
        settings.epochs = epochs
        settings.files = [CompiledCopy.path(folder, "learned.yaml")] + (settings.examples + settings.ordinary).flatMap { ExampleLines.paths(in: $0) }
        return settings
    }
}

extension LearnedReader {
    /// Bump when the features, the training or the compiled form change.
    static let compiledFormat = "mend-learned-4"

    /// A learned reader through a compiled copy (see CompiledCopy): `depends` are the other files whose
    /// contents change how lines become features. A copy is mapped and searched in place, never decoded whole.
    /// `checked`: the copy is checked whole and its features indexed (for a reader of many lines; see `FeatureTable`).
    static func load(_ kind: String, settings: LearnedSettings, depends: [String], cache: CacheFolder?, checked: Bool = true,
                     diagnostics: inout [Diagnostic], train: (inout [Diagnostic]) -> LearnedReader) -> LearnedReader {
        CompiledCopy.loadMapped(kind, format: compiledFormat + " epochs " + String(settings.epochs) + " " + CompiledCopy.join(settings.negators.sorted(), ",") + " " + CompiledCopy.join(settings.function.sorted(), ","),
                                files: settings.files + depends, cache: cache, diagnostics: &diagnostics,
                                decode: { models($0, checked: checked)[""] ?? nil }, encode: { $0.encoded() }, compile: train)
    }

    /// The models of a copy's body, by the name each record starts with (`name<TAB>`; "" when records carry
    /// no name). A model's `F` records must follow its `L` and `B` records, all together. Nil for a damaged model.
    static func models(_ body: ArraySlice<UInt8>, named: Bool = false, only: Set<String>? = nil) -> [String: LearnedReader?] {
        models(MappedCopy(records: body), named: named, only: only, checked: true)
    }

    /// `checked`: each model's records are checked whole first (see `FeatureTable`).
    static func models(_ copy: MappedCopy, named: Bool = false, only: Set<String>? = nil, checked: Bool = false) -> [String: LearnedReader?] {
        var out: [String: LearnedReader?] = [:]
        let bytes = copy.bytes
        guard let base = bytes.baseAddress else { return out }
        var start = 0
        var name = "", nameBytes: [UInt8] = [], header: [[String]] = [], featuresFrom = -1
        /// Where the records starting with the name of the record at `start` (`length` bytes, then a tab) end:
        /// a model's records are all together, so a binary search over line starts finds it.
        func endOfRun(from start: Int, length: Int) -> Int {
            func sameName(_ at: Int) -> Bool { at + length < bytes.count && memcmp(base + at, base + start, length) == 0 && base[at + length] == 9 }
            var low = start, high = bytes.count
            while true {
                let middle = low + (high - low) / 2
                var probe = middle
                while probe > low, base[probe - 1] != 10 { probe -= 1 }
                if probe <= low { probe = copy.lineEnd(from: middle) + 1 }
                if probe >= high { return high }
                if sameName(probe) { low = probe } else { high = probe }
            }
        }
        func finish(_ end: Int) {
            guard featuresFrom >= 0 || !header.isEmpty else { return }
            if only?.contains(name) ?? true {
                out[name] = decode(header: header, features: copy, range: (featuresFrom >= 0 ? featuresFrom : end)..<end, prefix: named ? nameBytes.count + 1 : 0, checked: checked)
            }
            header = []
            featuresFrom = -1
        }
        while start < bytes.count {
            let end = copy.lineEnd(from: start)
            var at = start
            // The record's name, compared as bytes (a string is made only when it changes).
            var length = 0
            if named, let tab = copy.first(9, in: start..<end) {
                length = tab - start
                at = tab + 1
            }
            if length != nameBytes.count || (length > 0 && memcmp(base + start, nameBytes, length) != 0) {
                finish(start)
                nameBytes = Array(UnsafeBufferPointer(rebasing: bytes[start..<(start + length)]))
                name = String(decoding: nameBytes, as: UTF8.self)
                // Every model asked for is read: the rest of the copy is not needed.
                if let only, only.allSatisfy({ out[$0] != nil }) { break }
            }
            if at < end, base[at] == 70 /* F */ {
                if featuresFrom < 0 { featuresFrom = start }
                // The rest of the model's `F` records are searched in place by its feature table (checked there when
                // asked), or not needed at all: jump to the next model's first record.
                start = named ? endOfRun(from: start, length: length) : bytes.count
                continue
            } else {
                if featuresFrom >= 0 { out[name] = .some(nil); featuresFrom = -1 }
                let record = String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)
                header.append(record.utf8.split(separator: 9, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) })
            }
            start = end + 1
        }
        finish(bytes.count)
        return out
    }
}

// learned.yaml: where a learned reader finds its example lines, and how sure it must be to speak.
import Foundation
import Yams

/// The settings of one learned reader (understanding or crisis), from its folder's `learned.yaml`.
struct LearnedSettings: Sendable, Equatable {
    /// Folders of example lines, labelled in the folder's own layout.
    var examples: [URL] = []
    /// Folders of understanding examples whose every line counts as ordinary (crisis reader only).
    var ordinary: [URL] = []
    /// How sure the reader must be, per set (understanding) or for any category (key `crisis`).
    var thresholds: [String: Double] = [:]
    /// How sure of another label the reader must be to turn a guess of the rules into a question (understanding only).
    var doubts: [String: Double] = [:]
    var epochs = 12
    /// Words that negate what follows (crisis reader; the understanding reader uses language.yaml's).
    var negators: Set<String> = []
    /// The settings file and every example file: what a compiled model depends on.
    var files: [URL] = []

    static let topKeys = ["examples", "ordinary", "thresholds", "doubts", "epochs", "negators"]

    /// Nil when the folder has no learned.yaml (then there is no learned reader).
    static func load(folder: URL, keys: Set<String>, diagnostics: inout [Diagnostic]) -> LearnedSettings? {
        let url = folder.appendingPathComponent("learned.yaml")
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
                    let dir = folder.appendingPathComponent(path).standardizedFileURL
                    var isDir: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
                        reader.error(item, "no folder '\(path)' beside learned.yaml")
                        continue
                    }
                    if key == "examples" { settings.examples.append(dir) } else { settings.ordinary.append(dir) }
                }
            case "thresholds", "doubts":
                for (name, keyNode, v) in reader.namedMapping(value, what: key) ?? [] {
                    guard keys.contains(name) else {
                        reader.error(keyNode, "unknown key '\(name)' (known: \(keys.sorted().joined(separator: ", ")))")
                        continue
                    }
                    guard let t = reader.double(v, what: "the \(key) of \(name)") else { continue }
                    guard t > 0, t <= 1 else { reader.error(v, "a threshold is a probability above 0 and at most 1"); continue }
                    if key == "thresholds" { settings.thresholds[name] = t } else { settings.doubts[name] = t }
                }
            case "negators":
                settings.negators = Set(reader.strings(value, what: "negators").map { $0.lowercased() })
            case "epochs":
                guard let n = reader.double(value, what: "epochs") else { continue }
                guard n >= 1, n <= 100, n == n.rounded() else { reader.error(value, "epochs is a whole number from 1 to 100"); continue }
                settings.epochs = Int(n)
            default: break
            }
        }
        settings.files = [url] + (settings.examples + settings.ordinary).flatMap(ExampleLines.files(in:))
        return settings
    }
}

extension LearnedReader {
    /// Bump when the features, the training or the compiled form change.
    static let compiledFormat = "mend-learned-1"

    /// A learned reader through a compiled copy (see CompiledCopy): `depends` are the other files whose
    /// contents change how lines become features. `only`: decode just these features.
    static func load(_ kind: String, settings: LearnedSettings, depends: [URL], cache: CacheFolder?, only: Set<String>?,
                     diagnostics: inout [Diagnostic], train: (inout [Diagnostic]) -> LearnedReader) -> LearnedReader {
        CompiledCopy.load(kind, format: compiledFormat + " epochs \(settings.epochs) " + settings.negators.sorted().joined(separator: ","), files: settings.files + depends, cache: cache,
                          diagnostics: &diagnostics, decode: { decode(CompiledCopy.lines($0, keep: keeping(features: only)), only: only) },
                          encode: { $0.encoded() }, compile: train)
    }

    /// A record filter, looking at bytes only: with `sets`, records start with a set name and only those of
    /// these sets are kept; with `features`, of the `F` records only those of these features are kept.
    static func keeping(sets: Set<String>? = nil, features: Set<String>?) -> ((ArraySlice<UInt8>) -> Bool)? {
        if sets == nil && features == nil { return nil }
        // No array made per record (a model has tens of thousands): bytes compared in place.
        let wantedSets = sets.map(CompiledCopy.oneOf)
        let wanted = features.map(CompiledCopy.oneOf)
        return { record in
            var from = record.startIndex
            if let wantedSets {
                guard let tab = record.firstIndex(of: 9), wantedSets(record[from..<tab]) else { return false }
                from = tab + 1
            }
            guard let wanted, from < record.endIndex, record[from] == 70 /* F */ else { return true }
            from += 2
            guard from < record.endIndex, let to = record[from...].firstIndex(of: 9) else { return false }
            return wanted(record[from..<to])
        }
    }
}

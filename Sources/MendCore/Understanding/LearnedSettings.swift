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
    /// How sure a set's reader must be to speak where the rules saw no word of the set, when the line answers
    /// that set's own question (never for a line read in passing for another set).
    var alone: [String: Double] = [:]
    var epochs = 12
    /// Words that negate what follows (crisis reader; the understanding reader uses language.yaml's).
    var negators: Set<String> = []
    /// Words that count only in pairs, never alone.
    var function: Set<String> = []
    /// The settings file and every example file: what a compiled model depends on.
    var files: [URL] = []

    static let topKeys = ["examples", "ordinary", "thresholds", "doubts", "alone", "epochs", "negators", "function-words"]

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
    static let compiledFormat = "mend-learned-2"

    /// A learned reader through a compiled copy (see CompiledCopy): `depends` are the other files whose
    /// contents change how lines become features. A copy is searched in place, never decoded whole.
    static func load(_ kind: String, settings: LearnedSettings, depends: [URL], cache: CacheFolder?,
                     diagnostics: inout [Diagnostic], train: (inout [Diagnostic]) -> LearnedReader) -> LearnedReader {
        CompiledCopy.load(kind, format: compiledFormat + " epochs \(settings.epochs) " + settings.negators.sorted().joined(separator: ",") + " " + settings.function.sorted().joined(separator: ","),
                          files: settings.files + depends, cache: cache, diagnostics: &diagnostics,
                          decode: { models($0)[""] ?? nil }, encode: { $0.encoded() }, compile: train)
    }

    /// The models of a copy's body, by the name each record starts with (`name<TAB>`; "" when records carry
    /// no name). A model's `F` records must follow its `L` and `B` records, all together. Nil for a damaged model.
    static func models(_ body: ArraySlice<UInt8>, named: Bool = false, only: Set<String>? = nil) -> [String: LearnedReader?] {
        var out: [String: LearnedReader?] = [:]
        var start = body.startIndex
        var name = "", header: [[String]] = [], featuresFrom = -1
        func finish(_ end: Int) {
            guard featuresFrom >= 0 || !header.isEmpty else { return }
            if only?.contains(name) ?? true {
                out[name] = decode(header: header, features: body[(featuresFrom >= 0 ? featuresFrom : end)..<end], prefix: named ? name.utf8.count + 1 : 0)
            }
            header = []
            featuresFrom = -1
        }
        while start < body.endIndex {
            let end = CompiledCopy.lineEnd(body, from: start)
            var at = start
            var recordName = ""
            if named, let tab = body[start..<end].firstIndex(of: 9) {
                recordName = String(decoding: body[start..<tab], as: UTF8.self)
                at = tab + 1
            }
            if recordName != name { finish(start); name = recordName }
            if at < end, body[at] == 70 /* F */ {
                if featuresFrom < 0 { featuresFrom = start }
            } else {
                if featuresFrom >= 0 { out[name] = .some(nil); featuresFrom = -1 }
                header.append(CompiledCopy.lines(body[at..<end])[0])
            }
            start = end + 1
        }
        finish(body.endIndex)
        return out
    }
}

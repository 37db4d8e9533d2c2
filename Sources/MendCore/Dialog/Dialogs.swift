// Everything in a dialogs folder, loaded once: flows, understanding, safety, words, messages, points, apology rules.
import Foundation

/// An advice point of CONTENT.md, listed in `points.yaml`, covered by the nodes that mark it.
public struct AdvicePoint: Sendable, Equatable {
    public var id: String
    public var role: Role?
    public var title: String
    public var place: Place
}

/// The stock sentences the engine itself says (asking again, help, notices), from `messages.yaml`.
public struct Messages: Sendable, Equatable {
    public var texts: [String: [String]]

    /// Every key the engine uses; the validator requires them all.
    public static let required = [
        "welcome",
        "not-understood",
        "so-far",
        "not-understood-again",
        "role-corrected",
        "scripts-set-aside",
        "scripts-set-aside-violence",
        "ask-own-doing",
        "feeling-corrected",
        "corrected",
        "taken",
        "all-seen",
        "why-name",
        "about-me",
        "region-taken",
        "country-before",
        "about-me-question",
        "question-word",
        "pick-a-number",
        "ask-in-words",
        "understood",
        "nothing-to-undo",
        "undone",
        "restarted",
        "role-switched",
        "script-given",
        "script-saved",
        "no-script-to-save",
        "scripts-kept",
        "no-scripts-kept",
        "help",
        "help-choices",
        "help-ask",
        "help-ask-optional",
        "help-apology",
        "help-ended",
        "resources",
        "resources-fallback",
        "region-choose",
        "not-therapy",
        "ended",
        "apology-clean",
        "apology-clean-notes",
        "apology-when",
        "apology-flags",
        "apology-revise",
        "blocked-repair",
        "skip-word",
        "stop-word",
        "stopped",
        "resumed",
        "resumed-earlier",
        "resumed-moved-back",
        "resumed-begins-again",
        "getting-ready",
    ]

    public func text(_ key: String, variant: Int = 0) -> String {
        guard let list = texts[key], !list.isEmpty else { return "" }
        return list[abs(variant) % list.count]
    }
}

/// The whole dialog folder, validated.
public struct Dialogs: Sendable {
    public var directory: String
    public var flows: [String: Flow]
    public var understanding: Understanding
    public var safety: Safety
    public var words: Words
    public var messages: Messages
    public var points: [AdvicePoint]
    /// The apology checker is read when a draft is first checked, when a clean compiled copy is kept.
    var apologyOnFirstUse: OnFirstUse<ApologyChecker>
    public var apology: ApologyChecker {
        get { apologyOnFirstUse.value }
        set { apologyOnFirstUse = OnFirstUse(value: newValue) }
    }
    /// Everyday replies that pick a choice by meaning ("ok" for "Go on"), from `replies.yaml` when present.
    public var replies = Replies()
    /// Retelling what someone did as "you ..." for scripts, from `understanding/retell.yaml` when present.
    public var retelling = Retelling()
    /// A fingerprint of every file's bytes: a saved conversation records it to notice edited dialogs.
    public var fingerprint: String

    public func flow(for role: Role) -> Flow? {
        flows.values.first { $0.role == role }
    }

    public func node(_ frame: Frame) -> Node? { flows[frame.flow]?.node(frame.node) }
}

/// The result of loading a folder: the dialogs when nothing is wrong enough to stop, and every diagnostic.
public struct LoadResult: Sendable {
    public var dialogs: Dialogs?
    public var diagnostics: [Diagnostic]
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Path as the user would type it: relative to the working directory when under it.
func displayPath(_ url: URL) -> String {
    let path = url.standardizedFileURL.path
    let cwd = FileManager.default.currentDirectoryPath
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    return path
}

/// Reads a UTF-8 file, turning a missing or undecodable file into a diagnostic.
func readText(_ url: URL, file: String, diagnostics: inout [Diagnostic]) -> String? {
    guard let data = FileManager.default.contents(atPath: url.path) else {
        diagnostics.append(Diagnostic(file: file, line: 1, column: 1, message: "cannot read this file (missing or unreadable)"))
        return nil
    }
    guard let text = String(data: data, encoding: .utf8) else {
        diagnostics.append(Diagnostic(file: file, line: 1, column: 1, message: "this file is not UTF-8 text"))
        return nil
    }
    return text
}

public enum DialogLoader {
    /// Loads and validates a dialogs folder. Never throws: every problem is a diagnostic.
    /// `cache`: where compiled copies of the understanding, crisis and apology data may be kept (nil: none).
    public static func load(directory: String, cache: CacheFolder? = nil) -> LoadResult {
        var diagnostics: [Diagnostic] = []
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            return LoadResult(dialogs: nil, diagnostics: [Diagnostic(file: directory, line: 1, column: 1, message: "no dialogs folder here; pass --dialogs DIR or set MEND_DIALOGS")])
        }
        var hasher = Fingerprint()

        // Flows: every .yaml under flows/.
        var flows: [String: Flow] = [:]
        let flowDir = root.appendingPathComponent("flows")
        for url in yamlFiles(in: flowDir) {
            let file = displayPath(url)
            guard let text = readText(url, file: file, diagnostics: &diagnostics) else { continue }
            hasher.add(file: url.lastPathComponent, text: text)
            let reader = YAMLReader(file: file)
            if let flow = FlowLoader.load(text: text, file: file, reader: reader) {
                if let other = flows[flow.id] {
                    reader.error(at: flow.place, "flow '\(flow.id)' is already defined in \(other.place.file)")
                } else if !flow.id.isEmpty {
                    flows[flow.id] = flow
                }
            }
            diagnostics += reader.diagnostics
        }
        if yamlFiles(in: flowDir).isEmpty {
            diagnostics.append(Diagnostic(file: displayPath(flowDir), line: 1, column: 1, message: "no flow files (*.yaml) in this folder"))
        }

        let understandingDir = root.appendingPathComponent("understanding")
        // The two are independent (as in loadReading): the reader loads on a second thread, the safety check on this one;
        // on a first start both teach their learned readers. Their diagnostics are kept in the same order as before.
        // The apology checker (compiled then) follows the reader on its thread, the lighter one.
        final class Reader: @unchecked Sendable {
            var understanding = Understanding()
            var diagnostics: [Diagnostic] = []
            var apology: OnFirstUse<ApologyChecker>?
            var apologyDiagnostics: [Diagnostic] = []
        }
        let reader = Reader()
        let beside = Beside {
            reader.understanding = Understanding.load(directory: understandingDir, cache: cache, diagnostics: &reader.diagnostics)
            reader.apology = ApologyChecker.loadOnFirstUse(url: root.appendingPathComponent("apology.yaml"), cache: cache, diagnostics: &reader.apologyDiagnostics)
        }
        var safetyDiagnostics: [Diagnostic] = []
        let safety = Safety.load(directory: root.appendingPathComponent("safety"), cache: cache, diagnostics: &safetyDiagnostics)
        beside.wait()
        let understanding = reader.understanding
        let apology = reader.apology!
        diagnostics += reader.diagnostics + safetyDiagnostics + reader.apologyDiagnostics
        if FileManager.default.fileExists(atPath: root.appendingPathComponent("transcript.yaml").path) {
            _ = TranscriptWords.load(directory: directory, diagnostics: &diagnostics)
        }
        for sub in ["understanding", "safety"] {
            for url in yamlFiles(in: root.appendingPathComponent(sub)) {
                if let text = try? String(contentsOf: url, encoding: .utf8) { hasher.add(file: sub + "/" + url.lastPathComponent, text: text) }
            }
        }

        var words = Words()
        var messages = Messages(texts: [:])
        var points: [AdvicePoint] = []
        for name in ["words.yaml", "messages.yaml", "points.yaml", "apology.yaml"] {
            let url = root.appendingPathComponent(name)
            let file = displayPath(url)
            if name == "apology.yaml" {
                if let text = try? String(contentsOf: url, encoding: .utf8) { hasher.add(file: name, text: text) }
                continue
            }
            guard let text = readText(url, file: file, diagnostics: &diagnostics) else { continue }
            hasher.add(file: name, text: text)
            let reader = YAMLReader(file: file)
            switch name {
            case "words.yaml": words = Words.load(text: text, reader: reader)
            case "messages.yaml": messages = loadMessages(text: text, reader: reader)
            default: points = loadPoints(text: text, reader: reader)
            }
            diagnostics += reader.diagnostics
        }

        var replies = Replies()
        let repliesURL = root.appendingPathComponent("replies.yaml")
        if FileManager.default.fileExists(atPath: repliesURL.path), let text = readText(repliesURL, file: displayPath(repliesURL), diagnostics: &diagnostics) {
            hasher.add(file: "replies.yaml", text: text)
            let reader = YAMLReader(file: displayPath(repliesURL))
            replies = Replies.load(text: text, reader: reader, understanding: understanding)
            diagnostics += reader.diagnostics
        }

        var dialogs = Dialogs(directory: directory, flows: flows, understanding: understanding, safety: safety,
                              words: words, messages: messages, points: points, apologyOnFirstUse: apology,
                              fingerprint: hasher.hex)
        dialogs.replies = replies
        dialogs.retelling = Retelling.load(url: understandingDir.appendingPathComponent("retell.yaml"), diagnostics: &diagnostics)
        // The checks depend only on the files (their fingerprint) and the program: a folder found clean is not checked again.
        let checked = dialogs
        _ = CompiledCopy.load("validated", format: "mend-validated-1 " + hasher.hex, files: [], cache: cache, diagnostics: &diagnostics,
                              decode: { _ in true }, encode: { _ in [] }, compile: { $0 += Validator.check(checked); return true })
        let hasErrors = diagnostics.contains { $0.severity == .error }
        return LoadResult(dialogs: hasErrors ? nil : dialogs, diagnostics: diagnostics)
    }

    /// Only what reading a line needs (understanding and safety), for `mend understand`: much faster to start.
    /// `cache` is a folder for compiled copies (nil: none). `sets`: the sets that will be read (nil: all); with a
    /// compiled copy, only those are decoded. Help lines are not read: nothing here shows them.
    /// `line`: when only this one line will be read, only what it can use is decoded (the readings are the same).
    /// `read`: the sets that will be read (their learned readers are loaded); nil: those of `sets`.
    public static func loadReading(directory: String, cache: CacheFolder? = nil, sets: Set<String>? = nil, line: String? = nil,
                                   read: Set<String>? = nil) -> (understanding: Understanding, safety: Safety, errors: [Diagnostic]) {
        // Paths, not URLs (Foundation's URL is slow to start): an absolute folder, as a URL would make it.
        var root = directory
        if !root.hasPrefix("/"), let cwd = getcwd(nil, 0) {
            root = String(cString: cwd) + "/" + root
            free(cwd)
        }
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        // The two are independent: the reader loads on a second thread while the safety check loads on this one.
        final class Reader: @unchecked Sendable {
            var understanding = Understanding()
            var diagnostics: [Diagnostic] = []
        }
        let reader = Reader()
        let beside = Beside {
            reader.understanding = Understanding.load(path: CompiledCopy.path(root, "understanding"), cache: cache, only: sets, line: line, read: read,
                                                      diagnostics: &reader.diagnostics)
        }
        var diagnostics: [Diagnostic] = []
        let safety = Safety.load(path: CompiledCopy.path(root, "safety"), cache: cache, helpLines: false, line: line, diagnostics: &diagnostics)
        beside.wait()
        return (reader.understanding, safety, (reader.diagnostics + diagnostics).filter { $0.severity == .error })
    }

    static func yamlFiles(in dir: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { dir.appendingPathComponent($0, isDirectory: false) }
    }

    /// One message of a dialogs folder's messages.yaml (its first variant), read on its own; nil when it cannot be read.
    public static func message(_ key: String, directory: String) -> String? {
        let url = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent("messages.yaml")
        guard let source = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let text = loadMessages(text: source, reader: YAMLReader(file: displayPath(url))).text(key)
        return text.isEmpty ? nil : text
    }

    static func loadMessages(text: String, reader: YAMLReader) -> Messages {
        guard let root = reader.parse(text, plain: true) else { return Messages(texts: [:]) }
        var texts: [String: [String]] = [:]
        for (key, keyNode, value) in reader.namedMapping(root, what: "messages.yaml") ?? [] {
            if !Messages.required.contains(key) {
                let hint = closest(key, in: Messages.required).map { " (did you mean '\($0)'?)" } ?? ""
                reader.warning(keyNode, "'\(key)' is not a message the program uses\(hint)")
            }
            texts[key] = reader.strings(value, what: "message '\(key)'")
        }
        for key in Messages.required where texts[key] == nil {
            reader.error(root, "messages.yaml is missing the message '\(key)'")
        }
        return Messages(texts: texts)
    }

    static func loadPoints(text: String, reader: YAMLReader) -> [AdvicePoint] {
        guard let root = reader.parse(text, plain: true) else { return [] }
        var result: [AdvicePoint] = []
        for (id, keyNode, body) in reader.namedMapping(root, what: "points.yaml") ?? [] {
            guard let fields = reader.mapping(body, what: "point '\(id)'", allowed: ["role", "title"], required: ["title"]) else { continue }
            var point = AdvicePoint(id: id, role: nil, title: "", place: reader.place(keyNode))
            for (k, kn, v) in fields {
                if k == "title" { point.title = reader.string(v, what: "title") ?? "" }
                if k == "role", let r = reader.string(v, what: "role") {
                    if r == "both" { point.role = nil } else if let role = Role(rawValue: r) { point.role = role } else {
                        reader.error(kn, "role should be hurt, hurting or both")
                    }
                }
            }
            result.append(point)
        }
        return result
    }
}

/// Work run on a thread of its own (or at once, when no thread can be made); `wait` returns once it is done.
final class Beside: @unchecked Sendable {
    private var thread: pthread_t?
    private let work: () -> Void

    init(_ work: @escaping () -> Void) {
        self.work = work
        let me = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, { raw in
            let me = Unmanaged<Beside>.fromOpaque(raw!).takeRetainedValue()
            me.work()
            return nil
        }, me) == 0 {
            self.thread = thread
        } else {
            Unmanaged<Beside>.fromOpaque(me).release()
            work()
        }
    }

    func wait() {
        guard let thread else { return }
        pthread_join(thread, nil)
        self.thread = nil
    }

    /// `work` on each half of `items` (the second half on a thread of its own), joined in order: the same as
    /// `work(items)` whenever `work` treats each item on its own.
    static func inHalves<Item, Result>(_ items: [Item], _ work: @escaping ([Item]) -> [Result]) -> [Result] {
        guard items.count > 1 else { return work(items) }
        let box = Held<[Result]>([])
        let second = Array(items[(items.count / 2)...])
        let beside = Beside { box.value = work(second) }
        let first = work(Array(items[..<(items.count / 2)]))
        beside.wait()
        return first + box.value
    }
}

/// A value one thread fills in and another reads after joining it.
final class Held<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// A value made the first time it is asked for (then kept); safe to share between threads.
final class OnFirstUse<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var make: (@Sendable () -> Value)?
    private var made: Value?

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }
    init(value: Value) { made = value }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let value = make?() ?? made!
        made = value
        make = nil
        return value
    }
}

/// FNV-1a over file names and contents, in a fixed order.
struct Fingerprint {
    private var entries: [(String, [UInt8])] = []
    mutating func add(file: String, text: String) { entries.append((file, Array(text.utf8))) }
    mutating func add(file: String, bytes: [UInt8]) { entries.append((file, bytes)) }
    var hex: String {
        var hash: UInt64 = 0xcbf29ce484222325
        func mix(_ bytes: UnsafeBufferPointer<UInt8>) {
            var h = hash
            for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
            hash = h
        }
        let zero: [UInt8] = [0]
        for (name, bytes) in entries.sorted(by: { $0.0 < $1.0 }) {
            Array(name.utf8).withUnsafeBufferPointer(mix)
            zero.withUnsafeBufferPointer(mix)
            bytes.withUnsafeBufferPointer(mix)
            zero.withUnsafeBufferPointer(mix)
        }
        return String(hash, radix: 16)
    }
}

// Labelled example lines (`examples/*.tsv`), the lessons of the learned readers, each problem reported at file:line:column.
import Foundation

/// One labelled line a content writer wrote down as an example.
struct ExampleLine: Sendable, Equatable {
    /// The set it belongs to (understanding examples); nil for crisis examples.
    var set: String?
    var label: String
    var text: String
    var place: Place
}

enum ExampleLines {
    /// How the columns of a file are laid out.
    enum Layout {
        /// `set<TAB>label<TAB>text`: understanding examples; label `-` marks a line a careful reader would ask about.
        case understanding(labels: [String: Set<String>])
        /// `category<TAB>text[<TAB>kind]`: crisis examples, category `none` for an ordinary line.
        case crisis(categories: Set<String>)
    }

    /// The `.tsv` files of a folder, sorted by name (none when the folder is missing).
    static func files(in folder: URL) -> [URL] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".tsv") }.sorted()
        return names.map { folder.appendingPathComponent($0, isDirectory: false) }
    }

    /// The `.tsv` files of a folder (a path), sorted by name, as paths (none when the folder is missing).
    static func paths(in folder: String) -> [String] { CompiledCopy.files(in: folder, suffix: ".tsv") }

    /// Every example of the files. A line with too few columns, an unknown set or label, or a text already
    /// listed under another label of the same set is an error.
    static func load(_ urls: [URL], layout: Layout, diagnostics: inout [Diagnostic]) -> [ExampleLine] {
        var out: [ExampleLine] = []
        var seen: [String: (label: String, place: Place)] = [:]
        for url in urls {
            let file = displayPath(url)
            guard let text = readText(url, file: file, diagnostics: &diagnostics) else { continue }
            for (n, raw) in lines(text).enumerated() {
                let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
                if blank(line) || line.hasPrefix("#") { continue }
                let fields = split(line, at: 9).map(String.init)
                func column(_ i: Int) -> Int { fields.prefix(i).reduce(1) { $0 + $1.count + 1 } }
                func fail(_ i: Int, _ message: String) {
                    diagnostics.append(Diagnostic(file: file, line: n + 1, column: column(i), message: message))
                }
                var example: ExampleLine
                switch layout {
                case let .understanding(labels):
                    guard fields.count >= 3 else { fail(0, "an example is `set<TAB>label<TAB>text`; this line has \(fields.count) column(s)"); continue }
                    guard let known = labels[fields[0]] else { fail(0, "unknown set '\(fields[0])' (known: \(labels.keys.sorted().joined(separator: ", ")))"); continue }
                    guard fields[1] == "-" || known.contains(fields[1]) else { fail(1, "'\(fields[1])' is not a label of \(fields[0]) (known: \(known.sorted().joined(separator: ", ")), or - for unclear)"); continue }
                    example = ExampleLine(set: fields[0], label: fields[1], text: fields[2], place: Place(file: file, line: n + 1, column: column(2)))
                case let .crisis(categories):
                    guard fields.count >= 2 else { fail(0, "an example is `category<TAB>text`, optionally `<TAB>kind`; this line has \(fields.count) column(s)"); continue }
                    guard categories.contains(fields[0]) else { fail(0, "unknown category '\(fields[0])' (known: \(categories.sorted().joined(separator: ", ")))"); continue }
                    example = ExampleLine(set: nil, label: fields[0], text: fields[1], place: Place(file: file, line: n + 1, column: column(1)))
                }
                if blank(example.text[...]) { fail(layout.textColumn, "the example's text is empty"); continue }
                let key = (example.set ?? "") + "\t" + plainKey(example.text)
                if let earlier = seen[key], earlier.label != example.label {
                    fail(layout.textColumn, "this line is listed as '\(earlier.label)' at \(earlier.place.file):\(earlier.place.line) and as '\(example.label)' here; an example belongs to one label")
                    continue
                }
                seen[key] = (example.label, example.place)
                out.append(example)
            }
        }
        return out
    }

    /// The lines of a text, as `split(separator: "\n", omittingEmptySubsequences: false)` gives them, found in its
    /// bytes (splitting by characters made reading the examples slow). A "\n" character is a line feed byte with no
    /// carriage return just before it (the two together are one character, "\r\n", which that split does not cut).
    static func lines(_ text: String) -> [Substring] {
        split(text[...], at: 10)
    }

    /// A text cut at every `byte` (a tab or a line feed: each always a character of its own, except a line feed
    /// after a carriage return), keeping empty pieces: what splitting by that character gives, found in the bytes.
    static func split(_ text: Substring, at byte: UInt8) -> [Substring] {
        var out: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var previous: UInt8 = 0
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            if b == byte, byte != 10 || previous != 13 {
                out.append(text[start..<i])
                start = utf8.index(after: i)
            }
            previous = b
            i = utf8.index(after: i)
        }
        out.append(text[start..<utf8.endIndex])
        return out
    }

    /// Whether a line holds only spaces (what trimming `.whitespaces` would leave empty), without Foundation's
    /// trimming, which made reading the examples slow: any visible ASCII character settles it at once.
    static func blank(_ line: Substring) -> Bool {
        if line.utf8.contains(where: { $0 > 32 && $0 < 127 }) { return false }
        return line.unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) }
    }

    /// A text in lower case with its runs of white space made one space: two lines alike but for these are one example.
    static func plainKey(_ text: String) -> String {
        guard text.utf8.allSatisfy({ $0 < 128 }) else { return text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        // ASCII: the same, byte by byte (white space: tab, line feed, vertical tab, form feed, carriage return, space).
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for b in text.utf8 {
            if (b >= 9 && b <= 13) || b == 32 {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(32); pendingSpace = false }
            out.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension ExampleLines.Layout {
    var textColumn: Int {
        switch self {
        case .understanding: 2
        case .crisis: 1
        }
    }
}

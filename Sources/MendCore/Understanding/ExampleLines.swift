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

    /// Every example of the files. A line with too few columns, an unknown set or label, or a text already
    /// listed under another label of the same set is an error.
    static func load(_ urls: [URL], layout: Layout, diagnostics: inout [Diagnostic]) -> [ExampleLine] {
        var out: [ExampleLine] = []
        var seen: [String: (label: String, place: Place)] = [:]
        for url in urls {
            let file = displayPath(url)
            guard let text = readText(url, file: file, diagnostics: &diagnostics) else { continue }
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
                if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
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
                if example.text.trimmingCharacters(in: .whitespaces).isEmpty { fail(layout.textColumn, "the example's text is empty"); continue }
                let key = (example.set ?? "") + "\t" + example.text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
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
}

extension ExampleLines.Layout {
    var textColumn: Int {
        switch self {
        case .understanding: 2
        case .crisis: 1
        }
    }
}

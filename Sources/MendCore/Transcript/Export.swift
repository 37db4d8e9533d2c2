// Exporting a conversation: one document model, written as Markdown, HTML, plain text (and JSON, in ExportJSON).
import Foundation

public enum ExportFormat: String, Sendable, CaseIterable {
    case md, json, txt, html
}

/// What an export is made from: the saved events, read as a transcript, and the words for headings.
public struct ExportSource: Sendable {
    public var id: String
    public var transcript: Transcript
    public var damage: LogDamage?
    public var words: TranscriptWords

    public init(id: String, events: [LogEvent], damage: LogDamage? = nil, words: TranscriptWords) {
        self.id = id
        transcript = Transcript(events: events)
        self.damage = damage
        self.words = words
    }
}

public enum Exporter {
    public static func render(_ format: ExportFormat, _ source: ExportSource) -> String {
        switch format {
        case .json: return ExportJSON.render(source)
        case .md: return Markdown.render(Document(source))
        case .html: return HTMLPage.render(Document(source))
        case .txt: return PlainText.render(Document(source))
        }
    }

    /// The default file name: dated by the conversation's id (which begins with its start time).
    public static func defaultBase(id: String) -> String { "mend-" + id }
}

/// A conversation as it finally stood, for people to read: no undone steps, no housekeeping commands.
struct Document {
    enum Part {
        case you(String)
        case mend(String)
        case notice(String)
        case choices([String])
        case script(title: String, text: String, when: String)
        case list(title: String, items: [String])
        case marker(String)
    }

    var title: String
    var meta: [String] = []
    var notes: [String] = []
    var parts: [Part] = []
    var closing: [String] = []
    var keptTitle: String
    var kept: [(text: String, when: String)]
    var noKept: String
    var footer: String

    init(_ source: ExportSource) {
        let w = source.words
        let t = source.transcript
        title = w.text("title")
        if let started = t.start?.time { meta.append(w.text("started", ["date": readableDate(started)])) }
        if let role = t.finalState?.role ?? t.start?.role.flatMap(Role.init(rawValue:)) {
            meta.append(w.text("role-" + role.rawValue))
        }
        if t.entries.contains(where: { $0.undone }) { notes.append(w.text("undone-note")) }
        var lastChoices: [String] = []
        for entry in t.entries {
            guard entry.shown else {
                // Hidden steps can still ask a question again (as /back does): remember its choices.
                for case let .choices(items) in entry.outputs { lastChoices = items }
                continue
            }
            switch entry.kind {
            case .resumed:
                parts.append(.marker(w.text("resumed", ["date": entry.time.map(readableDate) ?? ""])))
                continue
            case .answer, .course, .command:
                // A number picked from choices is shown with the choice's words, so the transcript reads on its own.
                var said = entry.text ?? ""
                if let n = Int(said.trimmingCharacters(in: .whitespaces)), n >= 1, n <= lastChoices.count {
                    said += " (" + lastChoices[n - 1] + ")"
                }
                parts.append(.you(said))
            case .opening:
                break
            }
            for output in entry.outputs {
                switch output {
                case let .say(text): parts.append(.mend(text))
                case let .notice(text): parts.append(.notice(text))
                case let .choices(items):
                    parts.append(.choices(items))
                    lastChoices = items
                case let .script(s): parts.append(.script(title: w.text("words-offered"), text: s.text, when: s.when))
                case let .helpLines(lines, _):
                    parts.append(.list(title: w.text("help-lines"), items: lines.map { line in
                        var text = "\(line.name): \(line.contact)"
                        if !line.hours.isEmpty { text += " (\(line.hours))" }
                        return text
                    }))
                case let .apology(flags):
                    parts.append(.list(title: w.text("apology-notes"), items: flags.map { "“\($0.quote)”: \($0.why) \($0.better)" }))
                case .crisis: parts.append(.notice(w.text("crisis")))
                case .understood, .ended: break
                }
            }
        }
        if source.damage != nil { closing.append(w.text("damaged")) }
        keptTitle = w.text("kept")
        kept = t.kept.map { ($0.text, $0.when) }
        noKept = w.text("no-kept")
        footer = w.text("footer")
    }
}

/// "2026-11-23T08:40:58Z" as "2026-11-23 08:40 UTC"; anything else unchanged.
public func readableDate(_ iso: String) -> String {
    let c = Array(iso)
    guard c.count >= 16, c[10] == "T" else { return iso }
    let zone = iso.hasSuffix("Z") ? " UTC" : ""
    return String(c[0..<10]) + " " + String(c[11..<16]) + zone
}

/// Text a user or a dialog wrote, made inert: control characters, terminal escapes and bidi overrides become U+FFFD.
func inertText(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x0A, 0x09: out.append(scalar)
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: out.append("\u{FFFD}")
        default: out.append(scalar)
        }
    }
    return String(out)
}

enum Markdown {
    static func render(_ d: Document) -> String {
        var out = "# " + escape(d.title) + "\n\n"
        for m in d.meta { out += "*" + escape(m) + "*  \n" }
        if !d.meta.isEmpty { out += "\n" }
        for n in d.notes { out += "> " + escape(n) + "\n\n" }
        for part in d.parts {
            switch part {
            case let .you(text): out += "**You:** " + escape(text) + "\n\n"
            case let .mend(text): out += escape(text) + "\n\n"
            case let .notice(text): out += "*" + escape(text) + "*\n\n"
            case let .choices(items):
                for (i, item) in items.enumerated() { out += "\(i + 1). " + escape(item) + "\n" }
                out += "\n"
            case let .script(title, text, when):
                out += "*" + escape(title) + "*\n\n" + quote("“" + text + "”", when)
            case let .list(title, items):
                out += "*" + escape(title) + "*\n\n" + items.map { "- " + escape($0) + "\n" }.joined() + "\n"
            case let .marker(text): out += "---\n\n*" + escape(text) + "*\n\n"
            }
        }
        for c in d.closing { out += "> " + escape(c) + "\n\n" }
        out += "## " + escape(d.keptTitle) + "\n\n"
        if d.kept.isEmpty { out += escape(d.noKept) + "\n\n" }
        for k in d.kept { out += quote("“" + k.text + "”", k.when) }
        out += "---\n\n*" + escape(d.footer) + "*\n"
        return out
    }

    /// A block quote of the words, then when to use them; every line stays inside the quote.
    static func quote(_ text: String, _ when: String) -> String {
        "> " + escape(text).replacingOccurrences(of: "\n", with: "\n> ") + "\n>\n> "
            + escape(when).replacingOccurrences(of: "\n", with: "\n> ") + "\n\n"
    }

    /// Markdown syntax in the text shows as itself: inline marks are backslash-escaped, and so is what
    /// would start a block (a heading, a list, a quote, a rule) at the beginning of a line.
    static func escape(_ text: String) -> String {
        let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "&", "~", "|", "#"]
        var lines: [String] = []
        for raw in inertText(text).split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for ch in raw.drop(while: { $0 == " " || $0 == "\t" }) {
                if special.contains(ch) { line.append("\\") }
                line.append(ch)
            }
            if let first = line.first, "-+=".contains(first) { line = "\\" + line }
            let digits = line.prefix(while: \.isASCII).prefix(while: \.isNumber)
            if !digits.isEmpty, let after = line.dropFirst(digits.count).first, after == "." || after == ")" {
                line = digits + "\\" + line.dropFirst(digits.count)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

enum HTMLPage {
    static let style = """
    body{font-family:Georgia,'Times New Roman',serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222;background:#fff}
    h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}
    .meta{color:#555;margin:0}.note,.notice{color:#555;font-style:italic}
    .you{margin:1.2em 0 .4em;padding:.4em .8em;background:#f1f4f8;border-left:4px solid #7a95b8}
    .you b{font-family:sans-serif;font-size:.85em;color:#445}
    .script{margin:.6em 0 1em;padding:.5em 1em;border-left:4px solid #5a9a78;background:#f3f8f5}
    .script q{font-size:1.1em}.script .when{color:#555;margin:.3em 0 0}
    .title{font-family:sans-serif;font-size:.85em;color:#445;margin-bottom:0}
    .marker{text-align:center;color:#777;border-top:1px dashed #bbb;padding-top:.5em}
    footer{margin-top:3em;color:#777;font-size:.85em;border-top:1px solid #ccc}
    @media print{body{margin:0;max-width:none;font-size:11pt}.you,.script{background:none}
    .script,.you{break-inside:avoid}h2{break-after:avoid}}
    """

    static func render(_ d: Document) -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(escape(d.title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <h1>\(escape(d.title))</h1>

        """
        for m in d.meta { out += "<p class=\"meta\">\(escape(m))</p>\n" }
        for n in d.notes { out += "<p class=\"note\">\(escape(n))</p>\n" }
        for part in d.parts {
            switch part {
            case let .you(text): out += "<p class=\"you\"><b>You</b><br>\(escape(text))</p>\n"
            case let .mend(text): out += "<p>\(escape(text))</p>\n"
            case let .notice(text): out += "<p class=\"notice\">\(escape(text))</p>\n"
            case let .choices(items): out += "<ol>\n" + items.map { "<li>\(escape($0))</li>\n" }.joined() + "</ol>\n"
            case let .script(title, text, when):
                out += "<div class=\"script\"><p class=\"title\">\(escape(title))</p><p><q>\(escape(text))</q></p><p class=\"when\">\(escape(when))</p></div>\n"
            case let .list(title, items):
                out += "<p class=\"title\">\(escape(title))</p>\n<ul>\n" + items.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
            case let .marker(text): out += "<p class=\"marker\">\(escape(text))</p>\n"
            }
        }
        for c in d.closing { out += "<p class=\"note\">\(escape(c))</p>\n" }
        out += "<h2>\(escape(d.keptTitle))</h2>\n"
        if d.kept.isEmpty { out += "<p class=\"note\">\(escape(d.noKept))</p>\n" }
        for k in d.kept {
            out += "<div class=\"script\"><p><q>\(escape(k.text))</q></p><p class=\"when\">\(escape(k.when))</p></div>\n"
        }
        out += "<footer><p>\(escape(d.footer))</p></footer>\n</body>\n</html>\n"
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in inertText(text) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += "<br>"
            default: out.append(ch)
            }
        }
        return out
    }
}

enum PlainText {
    static let width = 78

    static func render(_ d: Document) -> String {
        var out = d.title + "\n" + String(repeating: "=", count: d.title.count) + "\n"
        for m in d.meta { out += m + "\n" }
        out += "\n"
        for n in d.notes { out += wrap(n) + "\n\n" }
        for part in d.parts {
            switch part {
            case let .you(text): out += wrap(text, first: "> ", rest: "  ") + "\n\n"
            case let .mend(text): out += wrap(text) + "\n\n"
            case let .notice(text): out += wrap(text) + "\n\n"
            case let .choices(items):
                for (i, item) in items.enumerated() { out += wrap(item, first: "  \(i + 1). ", rest: "     ") + "\n" }
                out += "\n"
            case let .script(title, text, when):
                out += title + "\n" + wrap("“" + text + "”", first: "    ", rest: "    ") + "\n" + wrap(when, first: "    ", rest: "    ") + "\n\n"
            case let .list(title, items):
                out += title + "\n" + items.map { wrap($0, first: "  * ", rest: "    ") + "\n" }.joined() + "\n"
            case let .marker(text): out += "-- " + text + " --\n\n"
            }
        }
        for c in d.closing { out += wrap(c) + "\n\n" }
        out += d.keptTitle + "\n" + String(repeating: "-", count: d.keptTitle.count) + "\n"
        if d.kept.isEmpty { out += wrap(d.noKept) + "\n" }
        for k in d.kept { out += wrap("“" + k.text + "”", first: "    ", rest: "    ") + "\n" + wrap(k.when, first: "    ", rest: "    ") + "\n\n" }
        out += "\n" + wrap(d.footer) + "\n"
        return out
    }

    /// Inert text wrapped at 78 columns with the given first-line and hanging indents.
    static func wrap(_ text: String, first: String = "", rest: String = "") -> String {
        wordWrap(inertText(text), width: width, first: first, rest: rest)
    }
}

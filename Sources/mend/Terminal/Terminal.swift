// The one place that prints: colour only on a terminal and never with NO_COLOR, wrapping, and no raw escapes.
import Foundation
import MendCore

enum Terminal {
    nonisolated(unsafe) static var color = false
    nonisolated(unsafe) static var width = 0

    /// Decides colour and wrapping once, from the flags, NO_COLOR and whether stdout (and, for a
    /// conversation, stdin) is a terminal: a piped conversation gets no escape codes at all.
    static func setUp(noColor: Bool, conversation: Bool = false) {
        let tty = isatty(STDOUT_FILENO) == 1 && (!conversation || isatty(STDIN_FILENO) == 1)
        let env = ProcessInfo.processInfo.environment
        color = tty && !noColor && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
        width = tty ? columns() : 0
    }

    static func columns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// Removes control characters and escape sequences, keeping newlines and tabs.
    static func inert(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: out.append(scalar)
            case 0x00...0x1F, 0x7F, 0x80...0x9F: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Wraps to the terminal width with a hanging indent; no wrapping when not on a terminal.
    static func wrap(_ text: String, indent: String = "", hanging: String? = nil) -> String {
        let hang = hanging ?? indent
        guard width > 20 else { return text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }.joined(separator: "\n") }
        return wordWrap(text, width: width - 1, first: indent, rest: hang)
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ message: String) {
        let line = inert(message).replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("mend: \(line)\n".utf8))
    }

    /// A calm line on standard error that is not a problem (no "mend:" before it).
    static func note(_ text: String) {
        let line = inert(text).replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Shows what the engine said.
    static func show(_ outputs: [Output], messages: Messages) {
        for output in outputs {
            switch output {
            case let .say(text):
                write(wrap(inert(text)))
            case let .notice(text):
                write(paint(wrap(inert(text)), "2"))
            case let .choices(choices):
                for (i, c) in choices.enumerated() {
                    write(wrap(inert(c), indent: "  " + paint("\(i + 1).", "1") + " ", hanging: "     "))
                }
            case let .script(script):
                write(paint(wrap(inert(messages.text("script-given"))), "2"))
                write(paint(wrap("“" + inert(script.text) + "”", indent: "    "), "1;36"))
                write(paint(wrap(inert(script.when), indent: "    "), "2"))
            case let .helpLines(lines, _):
                for line in lines {
                    var text = "\(line.name): \(line.contact)"
                    if !line.hours.isEmpty { text += " (\(line.hours))" }
                    if !line.audience.isEmpty { text += " - \(line.audience)" }
                    write(wrap(inert(text), indent: "  * ", hanging: "    "))
                }
            case let .apology(flags):
                for flag in flags {
                    let quote = flag.quote.isEmpty ? "" : paint("\"\(inert(flag.quote))\"", "1;33") + ": "
                    write(wrap(quote + inert(flag.why), indent: "  - ", hanging: "    "))
                    write(paint(wrap(inert(flag.better), indent: "    "), "2"))
                }
            case .understood, .crisis, .ended:
                break
            }
        }
    }
}

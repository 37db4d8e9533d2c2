// Reading the user's lines: GNU readline on a terminal (completion, this session's recall, Ctrl-C clears), plain lines otherwise.
@preconcurrency import CReadline
import Foundation

enum ReadResult {
    case line(String)
    case end
    case tooLong
    case notText
}

/// What readline's completion may offer: the slash commands and the current choices.
nonisolated(unsafe) var completionWords: [String] = []
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionIndex = 0

private func completionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 {
        let prefix = text.map { String(cString: $0) } ?? ""
        completionMatches = completionWords.filter { $0.lowercased().hasPrefix(prefix.lowercased()) }
        completionIndex = 0
    }
    guard completionIndex < completionMatches.count else { return nil }
    defer { completionIndex += 1 }
    return strdup(completionMatches[completionIndex])
}

private func complete(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1
    return rl_completion_matches(text, completionGenerator)
}

private func onInterrupt(_ signal: Int32) {
    // Ctrl-C clears the line being typed and shows a fresh prompt; the conversation goes on.
    rl_replace_line("", 0)
    rl_crlf()
    rl_on_new_line()
    rl_redisplay()
}

final class LineReader {
    static let maxLine = 64 * 1024
    let interactive: Bool
    private var buffer: [UInt8] = []
    private var atEOF = false

    init() {
        interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        if interactive {
            rl_readline_name = UnsafePointer(strdup("mend"))
            rl_attempted_completion_function = complete
            // Words break on spaces only, so "/he" completes as a whole.
            rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n"))
            rl_catch_signals = 1
            signal(SIGINT, onInterrupt)
            using_history()
            stifle_history(500)
        }
    }

    func read(prompt: String) -> ReadResult {
        interactive ? readInteractive(prompt: prompt) : readPlain()
    }

    private func readInteractive(prompt: String) -> ReadResult {
        guard let raw = readline(prompt) else { return .end }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(raw) }
        return .line(line)
    }

    /// Plain lines from a pipe: bounded, and refusing what is not text.
    private func readPlain() -> ReadResult {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let bytes = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return decode(bytes)
            }
            if buffer.count > LineReader.maxLine { return .tooLong }
            if atEOF {
                if buffer.isEmpty { return .end }
                let bytes = buffer
                buffer = []
                return decode(bytes)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = Foundation.read(STDIN_FILENO, &chunk, chunk.count)
            if n <= 0 { atEOF = true } else { buffer += chunk[0..<n] }
        }
    }

    private func decode(_ bytes: [UInt8]) -> ReadResult {
        var bytes = bytes
        if bytes.last == 13 { bytes.removeLast() }
        if bytes.count > LineReader.maxLine { return .tooLong }
        if bytes.contains(0) { return .notText }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .notText }
        return .line(text)
    }
}

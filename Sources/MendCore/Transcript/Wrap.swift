// Word wrapping with a first-line and a hanging indent, shared by the terminal and the plain-text export.

/// Wraps each paragraph of `text` so no line is longer than `width` (a long word stands alone on its line).
public func wordWrap(_ text: String, width: Int, first: String = "", rest: String = "") -> String {
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = lines.isEmpty ? first : rest
        var hasWord = false
        for word in paragraph.split(separator: " ") {
            if hasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                hasWord = false
            }
            line += (hasWord ? " " : "") + word
            hasWord = true
        }
        lines.append(line)
    }
    return lines.joined(separator: "\n")
}

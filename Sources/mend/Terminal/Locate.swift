// Finding the dialogs folder and the data folder, so an installed binary works from any directory.
import Foundation
import MendCore

enum Locate {
    /// --dialogs, then $MEND_DIALOGS, then the installed share folder, then the source tree's dialogs/.
    static func dialogs(flag: String?) throws -> String {
        if let flag { return flag }
        if let env = variable("MEND_DIALOGS") { return env }
        // Plain string work on absolute paths (Foundation's URL is slow to start): this runs at every start.
        let share = parent(executable, levels: 2) + "/share/mend/dialogs"
        if isDirectory(share) { return share }
        // The source tree: this file is Sources/mend/Terminal/Locate.swift.
        let source = parent(#filePath, levels: 4) + "/dialogs"
        if isDirectory(source) { return source }
        throw Failure(message: "cannot find the dialogs folder; pass --dialogs DIR or set MEND_DIALOGS")
    }

    /// An absolute path without its last `levels` components ("/a/b/c", 2: "/a"); "" for the root.
    /// Plain bytes: splitting and joining would make the runtime look up conformances, and this runs at every start.
    static func parent(_ path: String, levels: Int) -> String {
        let bytes = Array(path.utf8)
        var starts: [Int] = [], ends: [Int] = []
        var from = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 47 {
            if i > from { starts.append(from); ends.append(i) }
            from = i + 1
        }
        var out: [UInt8] = []
        for k in 0..<max(0, starts.count - levels) {
            out.append(47)
            for i in starts[k]..<ends[k] { out.append(bytes[i]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An environment variable, nil when unset or empty (getenv: cheaper than building the whole environment).
    static func variable(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The running binary's path, symlinks resolved (plain system calls: this runs at every start).
    static let executable: String = {
        #if os(Linux)
        if let path = realpath("/proc/self/exe", nil) {
            defer { free(path) }
            return String(cString: path)
        }
        #endif
        return (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath().path
    }()

    /// Loads dialogs for a conversation or a tool; refuses (exit 2) when they do not validate.
    static func loadDialogs(flag: String?) throws -> Dialogs {
        let dir = try dialogs(flag: flag)
        sayWhenTeaching(dialogs: dir)
        let result = DialogLoader.load(directory: dir, cache: cache())
        guard let dialogs = result.dialogs else {
            let first = result.errors.first.map { String(describing: $0) } ?? "unknown problem"
            throw Failure(message: "the dialogs in \(dir) have \(result.errors.count) error(s); fix them first (mend validate \(dir)). First: \(first)")
        }
        return dialogs
    }

    /// When the learned readers must be taught on this start (after an update or an edit of the dialogs), one calm
    /// line on standard error, so the wait does not look like a hang; only when standard error is a terminal.
    static func sayWhenTeaching(dialogs dir: String) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        Teaching.onStart = {
            if let text = DialogLoader.message("getting-ready", directory: dir) { Terminal.note(text) }
        }
    }

    /// $MEND_HOME, else $XDG_DATA_HOME/mend, else ~/.local/share/mend.
    static func home() -> String {
        let env = ProcessInfo.processInfo.environment
        if let home = env["MEND_HOME"], !home.isEmpty { return home }
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/mend" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/mend"
    }

    /// Where compiled copies of data may be kept: $XDG_CACHE_HOME/mend, else ~/.cache/mend, salted with the program's stamp.
    static func cache() -> CacheFolder? {
        let path: String
        if let xdg = variable("XDG_CACHE_HOME") { path = xdg + "/mend" } else {
            guard let home = variable("HOME") else { return nil }
            path = home + "/.cache/mend"
        }
        return CacheFolder(path: path, salt: programStamp())
    }

    /// The running binary's size and date, so a rebuilt program never trusts an older program's cache.
    static func programStamp() -> String {
        var info = stat()
        guard stat(executable, &info) == 0 else { return "" }
        #if os(Linux)
        let time = info.st_mtim
        #else
        let time = info.st_mtimespec
        #endif
        return "\(info.st_size)-\(time.tv_sec).\(time.tv_nsec)"
    }

    /// --region, else the locale's territory (en_GB.UTF-8 is GB), else nil (the international fallback).
    static func region(flag: String?) -> String? {
        if let flag { return flag.uppercased() }
        let env = ProcessInfo.processInfo.environment
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = env[key], !value.isEmpty else { continue }
            let base = value.split(separator: ".").first.map(String.init) ?? value
            let parts = base.split(whereSeparator: { $0 == "_" || $0 == "-" })
            if parts.count >= 2, parts[1].count == 2 { return parts[1].uppercased() }
            return nil
        }
        return nil
    }
}

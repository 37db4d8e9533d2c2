// Running `mend` in a real pseudo-terminal: spawn in its own session, wait for text, type keys, send signals.
import Foundation

/// glibc's POSIX_SPAWN_SETSID (a macro Swift does not import).
private let spawnSetSID: Int32 = 0x80

struct PTYError: Error, CustomStringConvertible {
    var description: String
}

/// A program running with a pseudo-terminal as its controlling terminal and its stdin, stdout and stderr.
/// Output is collected as it comes; `expect` waits for text in what arrived since the last match.
final class PTYSession {
    let pid: pid_t
    private var master: Int32
    /// Everything the program wrote, raw (escape sequences included).
    private(set) var output = Data()
    /// Where in `text` the next `expect` starts looking.
    private var matchedUpTo: String.Index?
    private var exitStatus: Int32?

    /// Starts `mendBinary` (or `executable`) with `args`. `env` is the whole environment; by default a
    /// private HOME and MEND_HOME are not set here: pass them (see `ptyEnvironment`).
    init(args: [String], env: [String: String], executable: String = mendBinary, columns: UInt16 = 100, rows: UInt16 = 30) throws {
        var m: Int32 = -1, s: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw PTYError(description: "openpty failed: \(String(cString: strerror(errno)))") }
        _ = fcntl(m, F_SETFD, FD_CLOEXEC)
        _ = fcntl(s, F_SETFD, FD_CLOEXEC)
        guard let name = ttyname(s).map({ String(cString: $0) }) else {
            close(m); close(s)
            throw PTYError(description: "ttyname failed")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid, the terminal becomes the child's controlling terminal (so Ctrl-C is SIGINT).
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(spawnSetSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(s)
        guard rc == 0 else {
            close(m)
            throw PTYError(description: "posix_spawn \(executable) failed: \(String(cString: strerror(rc)))")
        }
        pid = child
        master = m
        _ = fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil {
            Foundation.kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if master >= 0 { close(master) }
    }

    /// The output as text with escape sequences and carriage returns removed, as a person would read it.
    var text: String { PTYSession.plain(String(decoding: output, as: UTF8.self)) }

    static func plain(_ raw: String) -> String {
        var out = ""
        var it = raw.unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "\u{1B}" {
                guard let next = it.next() else { break }
                if next == "[" {
                    while let d = it.next(), !(0x40...0x7E).contains(d.value) {}
                } else if next == "]" {
                    while let d = it.next(), d != "\u{07}", d != "\u{1B}" {}
                }
            } else if c == "\r" || c == "\u{01}" || c == "\u{02}" || c == "\u{07}" {
                continue
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Reads whatever is available, waiting up to `timeout` seconds for the first byte. False at end of output.
    @discardableResult
    func pump(timeout: Double) -> Bool {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&fds, 1, Int32(max(0, timeout * 1000)))
        guard ready > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var any = false
        while true {
            let n = read(master, &buffer, buffer.count)
            if n > 0 {
                output.append(contentsOf: buffer[0..<n])
                any = true
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { return true }
            return any  // EIO or 0: the other side closed
        }
    }

    /// Waits until `needle` appears in the readable output after the last match; throws with the tail on timeout.
    @discardableResult
    func expect(_ needle: String, timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let current = text
            let from = matchedUpTo.flatMap { $0 <= current.endIndex ? $0 : nil } ?? current.startIndex
            if let range = current.range(of: needle, range: from..<current.endIndex) {
                matchedUpTo = range.upperBound
                return String(current[from..<range.upperBound])
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                throw PTYError(description: "timed out waiting for \(needle.debugDescription); the screen ends with:\n\(String(current.suffix(800)))")
            }
            if !pump(timeout: min(left, 0.2)) && exitStatus == nil {
                // The program closed the terminal: one last look, then give up.
                let last = text
                if last.range(of: needle, range: from..<last.endIndex) == nil {
                    throw PTYError(description: "the program ended before \(needle.debugDescription) appeared; the screen ends with:\n\(String(last.suffix(800)))")
                }
            }
        }
    }

    /// Types `s` (use "\r" for Enter, "\u{03}" for Ctrl-C, "\u{04}" for Ctrl-D, "\t" for Tab).
    func send(_ s: String) {
        let bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else if errno == EAGAIN || errno == EINTR { usleep(1000) } else { return }
        }
    }

    func kill(_ signal: Int32 = SIGKILL) {
        Foundation.kill(pid, signal)
    }

    /// Waits for the program to end; its exit code, or 128 + the signal that ended it.
    @discardableResult
    func waitExit(timeout: Double = 10) throws -> Int32 {
        if let exitStatus { return exitStatus }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if Date() > deadline { throw PTYError(description: "the program did not end within \(timeout)s") }
            pump(timeout: 0.05)
        }
        pump(timeout: 0)
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        return code
    }
}

/// An environment for a pty session: TERM set, a private HOME and MEND_HOME, no NO_COLOR or MEND_DIALOGS.
func ptyEnvironment(home: String, extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = home
    env["MEND_HOME"] = home + "/data"
    env["TERM"] = "xterm"
    env["LANG"] = "C.UTF-8"
    env.removeValue(forKey: "NO_COLOR")
    env.removeValue(forKey: "MEND_DIALOGS")
    env.removeValue(forKey: "INPUTRC")
    for (k, v) in extra { env[k] = v }
    return env
}

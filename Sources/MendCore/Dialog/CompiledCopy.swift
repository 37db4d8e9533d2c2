// Compiled copies of data files in a cache folder, so the program starts fast; any problem with a copy just means compiling again.
import Foundation

/// A cache folder for compiled copies, and what tells one build of the program from another.
public struct CacheFolder: Sendable {
    public var path: String
    /// Mixed into every copy's name: a rebuilt program never trusts an older program's copies.
    public var salt: String
    public init(path: String, salt: String) {
        self.path = path
        self.salt = salt
    }
}

/// The one mechanism every compiled kind of data uses. A copy is a text file of records, one a line,
/// fields split by tabs, named after a hash of the source files' bytes, the format and the salt, so a
/// changed data file or program never reads an old copy. It holds only data from `dialogs/`, never
/// anything a user typed; files are 0600 in a 0700 folder. A copy is written only when compiling
/// reported nothing at all (no error, no warning), so reading one can never hide a diagnostic.
enum CompiledCopy {
    /// A copy's records as bytes where they lie: in a mapped copy (see `MappedCopy`), never copied out of it.
    /// Indices are the copy's own, as an array slice's are its array's.
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// The value compiled from `files`, read from a copy in `cache` when one matches, else compiled
    /// (and a copy kept). `decode` gets the records between the format line and the end mark (mapped, not
    /// read: only the pages it touches are brought in, and only while it runs); nil from it (a damaged copy)
    /// means compiling. `encode` gives the records, or nil when the value cannot be written so. A missing,
    /// unreadable or read-only cache is never an error.
    static func load<Value>(_ kind: String, format: String, files: [String], cache: CacheFolder?, diagnostics: inout [Diagnostic],
                            decode: (Bytes) -> Value?, encode: (Value) -> [String]?,
                            compile: (inout [Diagnostic]) -> Value) -> Value {
        loadMapped(kind, format: format, files: files, cache: cache, diagnostics: &diagnostics,
                   decode: { copy in withExtendedLifetime(copy) { decode(copy.bytes[...]) } }, encode: encode, compile: compile)
    }

    /// `load` for a copy searched in place rather than decoded: the copy is mapped into memory, not read, so
    /// only the pages a reading touches are ever brought in (and nothing is copied). `decode` gets the records.
    static func loadMapped<Value>(_ kind: String, format: String, files: [String], cache: CacheFolder?, diagnostics: inout [Diagnostic],
                                  decode: (MappedCopy) -> Value?, encode: (Value) -> [String]?,
                                  compile: (inout [Diagnostic]) -> Value) -> Value {
        guard let cache, let file = name(kind, format: format, files: files, cache: cache) else { return compile(&diagnostics) }
        if let copy = MappedCopy(path: file, format: format), let value = decode(copy) {
            return value
        }
        var found: [Diagnostic] = []
        let value = compile(&found)
        diagnostics += found
        if found.isEmpty, let lines = encode(value) {
            // The end mark counts the records' bytes too: a mapped copy is checked without reading it all.
            let body = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
            keep(format + "\n" + body + "end \(lines.count) bytes \(body.utf8.count)\n", at: file, kind: kind, in: cache.path)
        }
        return value
    }

    /// The copy of `files` kept in `cache` (mapped), when there is one and it is whole (its format line and end
    /// mark check out); nil otherwise, and then only `load` (which compiles) can say what the files hold.
    static func kept(_ kind: String, format: String, files: [String], cache: CacheFolder?) -> MappedCopy? {
        guard let cache, let file = name(kind, format: format, files: files, cache: cache) else { return nil }
        return MappedCopy(path: file, format: format)
    }

    /// Whether a copy of `files` is kept (so reading them later can report nothing: it was written only when
    /// compiling them reported nothing). Reads and hashes the files, but not the copy.
    static func isKept(_ kind: String, format: String, files: [String], cache: CacheFolder?) -> Bool {
        guard let cache, let file = name(kind, format: format, files: files, cache: cache) else { return false }
        return access(file, R_OK) == 0
    }

    /// Where the copy of `files` is kept; nil when a file cannot be read. The name hashes the files' bytes; to spare
    /// reading and hashing them at every start, a note (`kind-stat.key`) remembers the name for the files' size,
    /// times, inode and device: when any of those differ (a file was written, even to the same size), the bytes are
    /// hashed again. A note is written only for files last changed over two seconds before, so a change within a
    /// file system's time granularity can never hide behind an unchanged time.
    private static func name(_ kind: String, format: String, files: [String], cache: CacheFolder) -> String? {
        // Built and compared as bytes: strings made piece by piece, and Foundation's string search, cost more than the stat calls.
        var signature = Array("\(format)\n\(cache.salt)\n".utf8)
        signature.reserveCapacity(signature.count + files.count * 160)
        var newest = 0
        for path in files {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            // path, size, modified and changed (seconds.nanoseconds), inode, device: tab-separated, a line a file.
            signature += path.utf8
            signature.append(9)
            appendDecimal(Int(info.st_size), to: &signature)
            signature.append(9)
            appendDecimal(Int(info.st_mtim.tv_sec), to: &signature)
            signature.append(46)
            appendDecimal(Int(info.st_mtim.tv_nsec), to: &signature)
            signature.append(9)
            appendDecimal(Int(info.st_ctim.tv_sec), to: &signature)
            signature.append(46)
            appendDecimal(Int(info.st_ctim.tv_nsec), to: &signature)
            signature.append(9)
            appendDecimal(UInt64(info.st_ino), to: &signature)
            signature.append(9)
            appendDecimal(UInt64(info.st_dev), to: &signature)
            signature.append(10)
            newest = max(newest, info.st_mtim.tv_sec, info.st_ctim.tv_sec)
        }
        let note = cache.path + "/" + kind + "-stat.key"
        if let bytes = readBytes(note), bytes.count > signature.count, bytes.starts(with: signature) {
            let rest = bytes[signature.count...]
            let copy = String(decoding: rest[..<(rest.firstIndex(of: 10) ?? rest.endIndex)], as: UTF8.self)
            if copy.hasPrefix(kind + "-"), copy.hasSuffix(".txt"), !copy.utf8.contains(47) { return cache.path + "/" + copy }
        }
        var hasher = Fingerprint()
        hasher.add(file: "\u{0}format", text: format + "\n" + cache.salt)
        for path in files {
            guard let bytes = readBytes(path) else { return nil }
            hasher.add(file: fileName(path), bytes: bytes)
        }
        let copy = "\(kind)-\(hasher.hex).txt"
        if newest < time(nil) - 2 { keepNote(String(decoding: signature, as: UTF8.self) + copy + "\n", at: note, in: cache.path) }
        return cache.path + "/" + copy
    }

    /// A number's decimal digits (as `String(n)` writes them), appended as bytes.
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(45) }
        appendDecimal(UInt64(value.magnitude), to: &bytes)
    }

    private static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value, count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            } while n > 0
            bytes += d[(20 - count)...]
        }
    }

    /// A path's last component ("/a/b.yaml": "b.yaml").
    static func fileName(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 47) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// `folder/name`, as plain text (Foundation's URL is slow to build at every start).
    static func path(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The files of a folder whose names end in `suffix` (`except` left out), sorted by name, as paths: plain system calls.
    static func files(in folder: String, suffix: String, except: String? = nil) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasSuffix(suffix), name != except, name != ".", name != ".." { names.append(name) }
        }
        return names.sorted().map { path(folder, $0) }
    }

    /// Writes a small note whole (a temporary file renamed into place) into an existing cache folder; failing is never an error.
    private static func keepNote(_ text: String, at file: String, in folder: String) {
        guard access(folder, W_OK) == 0 else { return }
        // Named for this process and a random number: two threads may keep the same copy at once.
        let temporary = file + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written != bytes.count || rename(temporary, file) != 0 { unlink(temporary) }
    }

    /// Where the body of a copy lies in its bytes: nil unless they start with the format line and end with the end
    /// mark that counts the records before it, and the bytes they take ("end N bytes B").
    static func body(of bytes: UnsafeBufferPointer<UInt8>, format: String) -> Range<Int>? {
        let head = Array((format + "\n").utf8)
        guard let base = bytes.baseAddress, bytes.count > head.count, memcmp(base, head, head.count) == 0, bytes[bytes.count - 1] == 10 else { return nil }
        let beforeLast = bytes.count - 1
        var lastStart = beforeLast
        while lastStart > 0, bytes[lastStart - 1] != 10 { lastStart -= 1 }
        guard lastStart >= head.count else { return nil }
        let last = String(decoding: UnsafeBufferPointer(rebasing: bytes[lastStart..<beforeLast]), as: UTF8.self)
        let parts = last.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "end", parts[2] == "bytes", let count = Int(parts[1]), let size = Int(parts[3]),
              size == lastStart - head.count, count >= 0 else { return nil }
        // A body of records ends with a line break (or is empty).
        guard size == 0 || bytes[lastStart - 1] == 10 else { return nil }
        return head.count..<lastStart
    }

    /// A whole file's bytes, with plain system calls (this runs for every copy at every start); nil when unreadable.
    static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        if size == 0 { return [] }
        var done = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            while done < size {
                let n = read(fd, base + done, size - done)
                if n <= 0 { break }
                done += n
            }
            count = done
        }
        return done == size ? bytes : nil
    }

    /// Writes a copy whole (a temporary file renamed into place), then removes older copies of the same kind.
    private static func keep(_ text: String, at file: String, kind: String, in folder: String) {
        let manager = FileManager.default
        try? manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = file + ".\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, file) != 0 {
            try? manager.removeItem(atPath: temporary)
            return
        }
        // Copies for other data or other builds are of no more use.
        for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix(kind + "-") && name.hasSuffix(".txt") && (folder as NSString).appendingPathComponent(name) != file {
            try? manager.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }

    // MARK: records

    /// The lines of a body, each split into its tab-separated fields. `keep` sees a line's bytes first and may skip it.
    static func lines(_ body: Bytes, keep: ((Bytes) -> Bool)? = nil) -> [[String]] {
        var out: [[String]] = []
        var start = body.startIndex
        while start < body.endIndex {
            let end = lineEnd(body, from: start)
            let line = body[start..<end]
            start = end + 1
            if let keep, !keep(line) { continue }
            var fields: [String] = []
            var from = line.startIndex
            while true {
                let to = line[from...].firstIndex(of: 9) ?? line.endIndex
                fields.append(String(decoding: line[from..<to], as: UTF8.self))
                if to == line.endIndex { break }
                from = to + 1
            }
            out.append(fields)
        }
        return out
    }

    /// Each line of a body as its tab-separated fields, still bytes (no strings made), to `body` until it says
    /// false. `keep` sees a line's bytes first and may skip it.
    static func records(_ body: Bytes, keep: ((Bytes) -> Bool)? = nil, _ each: ([Bytes]) -> Bool) {
        var start = body.startIndex
        var fields: [Bytes] = []
        while start < body.endIndex {
            let end = lineEnd(body, from: start)
            let line = body[start..<end]
            start = end + 1
            if let keep, !keep(line) { continue }
            fields.removeAll(keepingCapacity: true)
            var from = line.startIndex
            while true {
                let to = line[from...].firstIndex(of: 9) ?? line.endIndex
                fields.append(line[from..<to])
                if to == line.endIndex { break }
                from = to + 1
            }
            if !each(fields) { return }
        }
    }

    /// Where the line starting at `start` ends (its line break, or the end): memchr, far faster than a Swift loop.
    /// In records (lines) kept in some order: where the first record at or after `from` starts for which
    /// `before` (the record sorts before what is sought) is false; the end when there is none.
    static func lowerBound(_ section: Bytes, from: Int, before: (Bytes) -> Bool) -> Int {
        var low = from, high = section.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            var start = middle
            while start > low, section[start - 1] != 10 { start -= 1 }
            let end = lineEnd(section, from: start)
            if before(section[start..<end]) { low = min(end + 1, high) } else { high = start }
        }
        return low
    }

    static func lineEnd(_ body: Bytes, from start: Int) -> Int {
        guard start < body.endIndex, let base = body.base.baseAddress, let found = memchr(base + start, 10, body.endIndex - start) else { return body.endIndex }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// A line between sections of a copy, so a decoder can read one part without scanning the others.
    static let sectionMark = "--"

    /// The sections of a body, split at `sectionMark` lines.
    /// A mark is a line of just `--`: found by jumping from dash to dash (memchr), not from line to line.
    static func sections(_ body: Bytes) -> [Bytes] {
        var out: [Bytes] = []
        var sectionStart = body.startIndex, at = body.startIndex
        if let base = body.base.baseAddress {
            while at < body.endIndex, let found = memchr(base + at, 45, body.endIndex - at) {
                let i = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if i == body.startIndex || base[i - 1] == 10, i + 1 < body.endIndex, base[i + 1] == 45, i + 2 == body.endIndex || base[i + 2] == 10 {
                    out.append(body[sectionStart..<i])
                    sectionStart = min(i + 3, body.endIndex)
                    at = sectionStart
                } else {
                    at = i + 1
                }
            }
        }
        out.append(body[sectionStart..<body.endIndex])
        return out
    }

    /// Whether some bytes spell one of a few words (no string made: for skipping records by a field).
    static func oneOf(_ words: Set<String>) -> (Bytes) -> Bool {
        var byLength: [Int: [[UInt8]]] = [:]
        var firsts = [Bool](repeating: false, count: 256)
        for word in words {
            let bytes = Array(word.utf8)
            byLength[bytes.count, default: []].append(bytes)
            if let first = bytes.first { firsts[Int(first)] = true }
        }
        let empty = words.contains("")
        return { bytes in
            guard let first = bytes.first else { return empty }
            guard firsts[Int(first)], let list = byLength[bytes.count] else { return false }
            return list.contains { $0.elementsEqual(bytes) }
        }
    }

    /// Of `words`, those in a list field (items split by the unit separator).
    static func listed(_ words: Set<String>, in field: String) -> Set<String> {
        var field = field
        let list = words.map { Array($0.utf8) }
        var found: Set<String> = []
        field.withUTF8 { bytes in
            var from = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x1F {
                let item = UnsafeBufferPointer(rebasing: bytes[from..<i])
                if list.contains(where: { $0.count == item.count && $0.elementsEqual(item) }) { found.insert(String(decoding: item, as: UTF8.self)) }
                from = i + 1
            }
        }
        return found
    }

    /// Texts joined by a separator, with a plain loop: `joined` is generic, and its first use makes the runtime
    /// look up conformances (a scan of every loaded library), which a start pays for.
    static func join(_ items: [String], _ separator: String) -> String {
        var out = ""
        for (i, item) in items.enumerated() {
            if i > 0 { out += separator }
            out += item
        }
        return out
    }

    /// A list of words or phrases in one field, split by the unit separator (never typed in data).
    static func list<S: Sequence>(_ items: S) -> String where S.Element == String { items.joined(separator: "\u{1F}") }
    static func items(_ field: String) -> [String] { split(field, by: 0x1F) }
    /// Space-separated words.
    static func words(_ field: String) -> [String] { split(field, by: 32) }

    private static func split(_ field: String, by separator: UInt8) -> [String] {
        var out: [String] = []
        var field = field
        field.withUTF8 { bytes in
            var from = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == separator {
                if i > from { out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<i]), as: UTF8.self)) }
                from = i + 1
            }
        }
        return out
    }

    /// Free text in a field: backslash, tab, line breaks and the unit separator escaped.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 || $0 == 0x1F }) else { return text }
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{1F}": out += "\\u"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func unescape(_ field: String) -> String {
        guard field.utf8.contains(92) else { return field }
        var out = ""
        var escaped = false
        for c in field.unicodeScalars {
            if escaped {
                switch c {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                case "u": out += "\u{1F}"
                default: out.unicodeScalars.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// A compiled copy's records, mapped read-only into memory (or held in memory, for records made in memory);
/// searched in place. Copies are replaced by renaming, never written over, so a mapping stays whole.
final class MappedCopy: @unchecked Sendable {
    /// The records (between the format line and the end mark).
    let bytes: UnsafeBufferPointer<UInt8>
    private let region: UnsafeMutableRawPointer?
    private let length: Int
    private let mapped: Bool

    /// The copy at `path`, nil unless it is whole (see `CompiledCopy.body(of:format:)`).
    init?(path: String, format: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let start = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), start != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        let all = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: size)
        guard let body = CompiledCopy.body(of: all, format: format) else {
            munmap(start, size)
            return nil
        }
        region = start
        length = size
        mapped = true
        bytes = UnsafeBufferPointer(rebasing: all[body])
    }

    /// Records already in memory (a copy of them is held).
    init(records: ArraySlice<UInt8>) {
        length = records.count
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(length, 1), alignment: 1)
        records.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(memory), byteCount: $0.count) }
        region = memory
        mapped = false
        bytes = UnsafeBufferPointer(start: memory.assumingMemoryBound(to: UInt8.self), count: length)
    }

    deinit {
        guard let region else { return }
        if mapped { munmap(region, length) } else { region.deallocate() }
    }

    /// Where the line starting at `start` ends (its line break, or the end).
    func lineEnd(from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress, let found = memchr(base + start, 10, bytes.count - start) else { return bytes.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// The first `byte` in `range`, if any.
    func first(_ byte: UInt8, in range: Range<Int>) -> Int? {
        guard !range.isEmpty, let base = bytes.baseAddress, let found = memchr(base + range.lowerBound, Int32(byte), range.count) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}

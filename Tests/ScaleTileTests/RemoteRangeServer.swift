import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A static file server on 127.0.0.1 with HTTP range requests, for testing GDAL's /vsicurl/.
///
/// GDAL reads remote rasters in byte ranges (`Range: bytes=a-b`, answered `206 Partial
/// Content`); a server without them (Python's `http.server`) makes it download whole files,
/// which would not show that ScaleTile reads remote scenes the way it reads local ones. One
/// thread accepts, one thread per connection answers `HEAD` and `GET` and closes, so GDAL's
/// parallel range reads are served side by side. Every request is recorded.
final class RemoteRangeServer: Sendable {
    /// The folder served as `/`.
    let root: String
    /// The port the kernel chose.
    let port: UInt16
    private let listener: Int32
    private let log = Mutex<[String]>([])
    /// Set once the listening socket is closed: a second close could close a descriptor the
    /// number was reused for (another test's pipe).
    private let stopped = Atomic<Bool>(false)

    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The request lines and ranges received so far: `GET /RGB.byte.tif bytes=0-16383`.
    var requests: [String] { log.withLock { $0 } }

    /// Serves `root` on an ephemeral port of 127.0.0.1.
    init(root: String) throws {
        self.root = root
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ServerError("bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting, once; connections being answered finish.
    func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while !stopped.load(ordering: .sequentiallyConsistent) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread { [self] in answer(connection) }.start()
        }
    }

    private func answer(_ connection: Int32) {
        defer { close(connection) }
        guard let request = readHeader(connection) else { return }
        let lines = request.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return respond(connection, status: "400 Bad Request", headers: [:], body: nil) }
        let method = String(parts[0])
        let path = String(parts[1]).removingPercentEncoding ?? String(parts[1])
        let range = lines.first { $0.lowercased().hasPrefix("range:") }
            .map { $0.dropFirst("range:".count).trimmingCharacters(in: .whitespaces) }
        log.withLock { $0.append("\(method) \(path)" + (range.map { " " + $0 } ?? "")) }

        guard !path.contains(".."), let data = FileManager.default.contents(atPath: root + path) else {
            return respond(connection, status: "404 Not Found", headers: ["Content-Length": "0"], body: method == "GET" ? Data() : nil)
        }
        if let range, let (first, last) = Self.byteRange(range, size: data.count) {
            let slice = data.subdata(in: first..<(last + 1))
            respond(connection, status: "206 Partial Content",
                    headers: ["Content-Range": "bytes \(first)-\(last)/\(data.count)", "Content-Length": "\(slice.count)", "Accept-Ranges": "bytes"],
                    body: method == "GET" ? slice : nil)
        } else {
            respond(connection, status: "200 OK", headers: ["Content-Length": "\(data.count)", "Accept-Ranges": "bytes"],
                    body: method == "GET" ? data : nil)
        }
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n`, clamped to the file; several ranges are answered
    /// with the whole file, which HTTP allows.
    static func byteRange(_ header: String, size: Int) -> (Int, Int)? {
        guard header.hasPrefix("bytes="), !header.contains(","), size > 0 else { return nil }
        let spec = header.dropFirst("bytes=".count).split(separator: "-", omittingEmptySubsequences: false)
        guard spec.count == 2 else { return nil }
        if spec[0].isEmpty, let suffix = Int(spec[1]) { return (max(0, size - suffix), size - 1) }
        guard let first = Int(spec[0]), first < size else { return nil }
        let last = Int(spec[1]).map { min($0, size - 1) } ?? size - 1
        return first <= last ? (first, last) : nil
    }

    private func readHeader(_ connection: Int32) -> String? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.range(of: Data("\r\n\r\n".utf8)) == nil {
            let n = recv(connection, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            received.append(contentsOf: buffer[0..<n])
            if received.count > 65_536 { return nil }
        }
        return String(decoding: received, as: UTF8.self)
    }

    private func respond(_ connection: Int32, status: String, headers: [String: String], body: Data?) {
        var head = "HTTP/1.1 \(status)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        var message = Data((head + "\r\n").utf8)
        if let body { message.append(body) }
        message.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

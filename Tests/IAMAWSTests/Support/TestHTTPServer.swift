import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A scripted HTTP/1.1 server on 127.0.0.1 for the client's tests: each connection gets the next scripted reply
/// (or the last one again when the script runs out), then is closed. Plain sockets, one thread per connection.
final class TestHTTPServer: @unchecked Sendable {
  /// What the server does with one request.
  enum Reply: Sendable {
    case respond(status: Int, headers: [(String, String)] = [], body: String)
    /// Closes the connection without answering (after reading the request).
    case drop

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
      .respond(status: status, headers: [("Content-Type", "application/x-amz-json-1.1")] + headers, body: body)
    }
    static func xml(_ status: Int, _ body: String) -> Reply { .respond(status: status, headers: [("Content-Type", "text/xml")], body: body) }
  }

  /// A request as received.
  struct Request: Sendable {
    var method: String
    var target: String
    var headers: [String: String]
    var body: String

    var path: String { String(target.prefix { $0 != "?" }) }
    var query: String { target.contains("?") ? String(target.drop { $0 != "?" }.dropFirst()) : "" }
  }

  let port: UInt16
  var url: String { "http://127.0.0.1:\(port)" }

  private let listener: Int32
  private let lock = NSLock()
  private var script: [Reply]
  private var next = 0
  private var received: [Request] = []
  private var open = 0
  private var peakOpen = 0
  private let delay: Double
  private var stopped = false

  /// - Parameters:
  ///   - script: the replies, in order.
  ///   - delay: seconds to wait before each reply (to hold calls in flight).
  init(_ script: [Reply], delay: Double = 0) throws {
    self.script = script
    self.delay = delay
    (listener, port) = try TestHTTPServer.listen()
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  /// A listening socket on 127.0.0.1 and the port the system gave it.
  private static func listen() throws -> (Int32, UInt16) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw POSIXError(.EIO) }
    var yes: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, Glibc.listen(listener, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    return (listener, UInt16(bigEndian: address.sin_port))
  }

  /// Stops accepting (once: a second close could close a descriptor another test has since been given). Each
  /// test stops its server: the accepting thread keeps it alive until then.
  func stop() {
    let first = lock.withLock { () -> Bool in
      defer { stopped = true }
      return !stopped
    }
    guard first else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  /// The requests received so far.
  var requests: [Request] { lock.withLock { received } }
  /// The most connections that were being served at once.
  var peakConnections: Int { lock.withLock { peakOpen } }

  private func acceptLoop() {
    while true {
      let connection = accept(listener, nil, nil)
      guard connection >= 0 else { return }
      Thread { [self] in serve(connection) }.start()
    }
  }

  private func serve(_ connection: Int32) {
    defer { close(connection) }
    lock.withLock {
      open += 1
      peakOpen = max(peakOpen, open)
    }
    defer { lock.withLock { open -= 1 } }
    guard let request = read(connection) else { return }
    let reply: Reply = lock.withLock {
      received.append(request)
      let reply = script[min(next, script.count - 1)]
      next += 1
      return reply
    }
    if delay > 0 { Thread.sleep(forTimeInterval: delay) }
    switch reply {
    case .drop:
      return
    case .respond(let status, let headers, let body):
      var text = "HTTP/1.1 \(status) \(status < 300 ? "OK" : "Error")\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
      for (name, value) in headers { text += "\(name): \(value)\r\n" }
      text += "\r\n" + body
      let bytes = Array(text.utf8)
      var sent = 0
      while sent < bytes.count {
        let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if count <= 0 { return }
        sent += count
      }
    }
  }

  /// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
  private func read(_ connection: Int32) -> Request? {
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    var headEnd: Int?
    var contentLength = 0
    while true {
      if let end = headEnd, data.count >= end + contentLength { break }
      let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
      if count <= 0 { return nil }
      data += buffer[0..<count]
      if headEnd == nil, let range = findHeadEnd(data) {
        headEnd = range
        let head = String(decoding: data[0..<range], as: UTF8.self)
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
          contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
      }
    }
    let end = headEnd!
    let lines = String(decoding: data[0..<end - 4], as: UTF8.self).components(separatedBy: "\r\n")
    let parts = lines[0].split(separator: " ")
    guard parts.count >= 2 else { return nil }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return Request(method: String(parts[0]), target: String(parts[1]), headers: headers,
                   body: String(decoding: data[end..<end + contentLength], as: UTF8.self))
  }

  private func findHeadEnd(_ data: [UInt8]) -> Int? {
    guard data.count >= 4 else { return nil }
    for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
      return index + 4
    }
    return nil
  }
}

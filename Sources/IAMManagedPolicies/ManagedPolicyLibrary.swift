import Foundation
import IAMCompression

/// One AWS managed policy at its default version.
public struct ManagedPolicy: Sendable, Hashable {
  /// The policy's name, such as `AmazonS3ReadOnlyAccess`.
  public let name: String
  /// Its path, such as `/` or `/job-function/`.
  public let path: String
  /// Its default version, such as `v3`.
  public let versionId: String
  /// When the policy was created, as the source gives it.
  public let createDate: String
  /// When the policy (its default version) was last updated, as the source gives it.
  public let updateDate: String
  let block: Int
  let offset: Int
  let length: Int

  /// `arn:aws:iam::aws:policy` + path + name.
  public var arn: String { ManagedPolicyLibrary.arnPrefix + path.dropFirst() + name }
}

/// Why the managed policy library cannot be read.
public struct ManagedPolicyLibraryError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Every AWS managed policy's default version: an index read on first use, and the documents, compressed in
/// blocks of a few dozen kilobytes that are inflated only when one of their policies is asked for.
///
/// ``shipped()`` is the library compiled into iamsim; ``ManagedPolicyBuilder`` makes new ones.
public final class ManagedPolicyLibrary: @unchecked Sendable {
  public static let arnPrefix = "arn:aws:iam::aws:policy/"

  /// Where the data comes from and how much there is.
  public struct Info: Sendable, Hashable {
    /// The sources the library was built from.
    public let source: String
    /// The newest update date of any policy.
    public let dataDate: String
    /// How many policies.
    public let count: Int
    /// SHA-256 of the index lines and the uncompressed documents (see ``ManagedPolicyBuilder``).
    public let sha256: String
    /// How many compressed blocks hold the documents.
    public let blockCount: Int
  }

  public let info: Info
  private let index: [UInt8]
  /// The byte ranges of the index's `P` lines, in name order.
  private let lines: [Range<Int>]
  private let compressedBlock: @Sendable (Int) -> [UInt8]?
  private let lock = NSLock()
  private var inflated: [Int: [UInt8]] = [:]
  private var allPolicies: [ManagedPolicy]?

  /// Reads a library from its index text and a way to get each compressed block.
  ///
  /// Only the header is read here, and where each entry's line is: a lookup by name or ARN scans the lines
  /// without building the others, so that a query on one policy stays cheap.
  public init(index: [UInt8], blocks: @escaping @Sendable (Int) -> [UInt8]?) throws(ManagedPolicyLibraryError) {
    var header: [String: String] = [:]
    var lines: [Range<Int>] = []
    var start = 0
    var number = 0
    while start < index.count {
      var end = start
      while end < index.count && index[end] != UInt8(ascii: "\n") { end += 1 }
      number += 1
      if number == 1 {
        guard index[start..<end].elementsEqual("\(ManagedPolicyBuilder.magic)\t1".utf8) else {
          throw ManagedPolicyLibraryError("not an iamsim managed policy index (format 1)")
        }
      } else if end - start > 2 && index[start] == UInt8(ascii: "P") && index[start + 1] == UInt8(ascii: "\t") {
        lines.append(start..<end)
      } else if end > start && index[start] != UInt8(ascii: "#") {
        let fields = index[start..<end].split(separator: UInt8(ascii: "\t"), maxSplits: 1)
        if fields.count == 2 { header[String(decoding: fields[0], as: UTF8.self)] = String(decoding: fields[1], as: UTF8.self) }
      }
      start = end + 1
    }
    guard let count = header["policies"].flatMap(Int.init), count == lines.count,
      let blockCount = header["blocks"].flatMap(Int.init)
    else {
      throw ManagedPolicyLibraryError("the managed policy index's counts do not match its entries")
    }
    info = Info(
      source: header["source"] ?? "unknown", dataDate: header["data-date"] ?? "unknown", count: count,
      sha256: header["sha256"] ?? "", blockCount: blockCount)
    self.index = index
    self.lines = lines
    compressedBlock = blocks
  }

  private func fields(_ line: Range<Int>) -> [ArraySlice<UInt8>] {
    index[line].split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
  }

  private func entry(_ line: Range<Int>) -> ManagedPolicy? {
    let fields = fields(line)
    guard fields.count == 9, let block = Int(String(decoding: fields[6], as: UTF8.self)),
      let offset = Int(String(decoding: fields[7], as: UTF8.self)), let length = Int(String(decoding: fields[8], as: UTF8.self))
    else { return nil }
    let text = { (index: Int) in String(decoding: fields[index], as: UTF8.self) }
    return ManagedPolicy(
      name: text(1), path: text(2), versionId: text(3), createDate: text(4), updateDate: text(5), block: block, offset: offset,
      length: length)
  }

  /// Every policy, ordered by name.
  public var policies: [ManagedPolicy] {
    lock.lock()
    defer { lock.unlock() }
    if let allPolicies { return allPolicies }
    let built = lines.compactMap(entry)
    allPolicies = built
    return built
  }

  /// The library compiled into iamsim, read on first use and kept for the life of the process.
  public static func shipped() throws(ManagedPolicyLibraryError) -> ManagedPolicyLibrary {
    try shippedLibrary.get()
  }

  private static let shippedLibrary = Result { () throws(ManagedPolicyLibraryError) -> ManagedPolicyLibrary in
    guard let index = SwiftEmbedding.bytes(ShippedPolicies.index, isBase64: ShippedPolicies.indexIsBase64) else {
      throw ManagedPolicyLibraryError("the managed policy index compiled into iamsim is damaged")
    }
    return try ManagedPolicyLibrary(index: index) { block in
      block < ShippedPolicies.blocks.count ? Base64.decode(ShippedPolicies.blocks[block]) : nil
    }
  }

  /// The policy with this ARN or name, ignoring case.
  ///
  /// - Complexity: O(n) in the size of the index, without allocating for the entries that do not match.
  public func policy(for reference: String) -> ManagedPolicy? {
    let wanted = Array(reference.utf8).map(ManagedPolicyLibrary.folded)
    let prefix = Array(ManagedPolicyLibrary.arnPrefix.utf8)
    let isARN = wanted.count > prefix.count && wanted[..<prefix.count].elementsEqual(prefix)
    // An ARN is the prefix, then the path without its leading `/`, then the name: compare `/` + rest with path + name.
    let key: ArraySlice<UInt8> = isARN ? ([UInt8(ascii: "/")] + wanted[prefix.count...])[...] : wanted[...]
    let tab = UInt8(ascii: "\t")
    for line in lines {
      let nameStart = line.lowerBound + 2
      var nameEnd = nameStart
      while nameEnd < line.upperBound && index[nameEnd] != tab { nameEnd += 1 }
      if isARN {
        var pathEnd = nameEnd + 1
        while pathEnd < line.upperBound && index[pathEnd] != tab { pathEnd += 1 }
        let pathLength = pathEnd - (nameEnd + 1)
        guard pathLength + (nameEnd - nameStart) == key.count,
          ManagedPolicyLibrary.equalFolded(index[(nameEnd + 1)..<pathEnd], key.prefix(pathLength)),
          ManagedPolicyLibrary.equalFolded(index[nameStart..<nameEnd], key.dropFirst(pathLength))
        else { continue }
      } else {
        guard nameEnd - nameStart == key.count, ManagedPolicyLibrary.equalFolded(index[nameStart..<nameEnd], key) else {
          continue
        }
      }
      return entry(line)
    }
    return nil
  }

  static func folded(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  static func equalFolded(_ stored: ArraySlice<UInt8>, _ wanted: ArraySlice<UInt8>) -> Bool {
    stored.count == wanted.count && zip(stored, wanted).allSatisfy { folded($0) == $1 }
  }

  /// The policy document, exactly as the library stores it (compact JSON).
  public func document(_ policy: ManagedPolicy) throws(ManagedPolicyLibraryError) -> [UInt8] {
    let block = try inflatedBlock(policy.block)
    guard policy.offset >= 0, policy.offset + policy.length <= block.count else {
      throw ManagedPolicyLibraryError("the document of \(policy.arn) lies outside its block")
    }
    return Array(block[policy.offset..<policy.offset + policy.length])
  }

  private func inflatedBlock(_ index: Int) throws(ManagedPolicyLibraryError) -> [UInt8] {
    lock.lock()
    defer { lock.unlock() }
    if let cached = inflated[index] { return cached }
    guard let compressed = compressedBlock(index) else {
      throw ManagedPolicyLibraryError("block \(index) of the managed policy library is missing or damaged")
    }
    do {
      let bytes = try Deflate.decompress(compressed, limit: 64 * 1024 * 1024)
      inflated[index] = bytes
      return bytes
    } catch {
      throw ManagedPolicyLibraryError("block \(index) of the managed policy library is damaged: \(error.message)")
    }
  }

  /// Recomputes the hash over every document and compares it with ``Info/sha256``.
  public func verify() throws(ManagedPolicyLibraryError) -> Bool {
    var documents: [[UInt8]] = []
    for policy in policies { documents.append(try document(policy)) }
    return ManagedPolicyBuilder.hash(policies: policies.map(ManagedPolicyBuilder.Entry.init), documents: documents) == info.sha256
  }

  /// Policies whose name or ARN matches a pattern, ignoring case: `*` and `?` wildcards, or a substring
  /// when the pattern has neither.
  public func policies(matching pattern: String) -> [ManagedPolicy] {
    let folded = pattern.lowercased()
    if !folded.contains("*") && !folded.contains("?") {
      return policies.filter { $0.name.lowercased().contains(folded) || $0.arn.lowercased().contains(folded) }
    }
    let wanted = Array(folded.utf8)
    return policies.filter {
      ManagedPolicyLibrary.wildcard(wanted, Array($0.name.lowercased().utf8))
        || ManagedPolicyLibrary.wildcard(wanted, Array($0.arn.lowercased().utf8))
    }
  }

  static func wildcard(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
    var p = 0
    var t = 0
    var star = -1
    var mark = 0
    while t < text.count {
      if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
        p += 1
        t += 1
      } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
        star = p
        mark = t
        p += 1
      } else if star >= 0 {
        p = star + 1
        mark += 1
        t = mark
      } else {
        return false
      }
    }
    while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
  }

  /// The names closest to a reference that names no policy (by edit distance, ignoring case), best first.
  public func suggestions(for reference: String, limit: Int = 3) -> [String] {
    var name = reference
    if name.lowercased().hasPrefix(ManagedPolicyLibrary.arnPrefix) {
      name = String(name.split(separator: "/").last ?? "")
    }
    let wanted = Array(name.lowercased().utf8)
    guard !wanted.isEmpty else { return [] }
    let bound = max(3, wanted.count / 3)
    var scored: [(distance: Int, name: String)] = []
    for policy in policies {
      let candidate = Array(policy.name.lowercased().utf8)
      if abs(candidate.count - wanted.count) > bound && !candidate.starts(with: wanted) { continue }
      var distance = ManagedPolicyLibrary.editDistance(wanted, candidate, bound: bound)
      if candidate.starts(with: wanted) || wanted.starts(with: candidate) { distance = min(distance, bound) }
      if distance <= bound { scored.append((distance, policy.name)) }
    }
    scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
    return scored.prefix(limit).map(\.name)
  }

  static func editDistance(_ a: [UInt8], _ b: [UInt8], bound: Int) -> Int {
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      current[0] = i
      var rowMinimum = current[0]
      for j in stride(from: 1, through: b.count, by: 1) {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        rowMinimum = min(rowMinimum, current[j])
      }
      if rowMinimum > bound { return bound + 1 }
      swap(&previous, &current)
    }
    return a.isEmpty ? b.count : previous[b.count]
  }
}

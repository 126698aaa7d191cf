import Foundation
import IAMCompression
import IAMPolicy

/// Why a managed policy source cannot be read.
public struct ManagedPolicyBuildError: Error, Sendable, Hashable, CustomStringConvertible {
  public let file: String
  public let message: String
  public init(file: String, _ message: String) {
    self.file = file
    self.message = message
  }
  public var description: String { "\(file): \(message)" }
}

/// The result of ``ManagedPolicyBuilder``: the policies, the index, the compressed blocks, and the Swift
/// source file that compiles them into iamsim.
public struct ManagedPolicyBuild: Sendable {
  /// The library the build describes, reading the blocks from this build.
  public let library: ManagedPolicyLibrary
  /// The index text.
  public let index: [UInt8]
  /// The raw DEFLATE blocks.
  public let blocks: [[UInt8]]
  /// Records read but left out (no ARN, not an AWS managed policy, deprecated), with why.
  public let skipped: [String]
  /// `Sources/IAMManagedPolicies/Shipped/ShippedPolicies.swift`.
  public let swiftSource: String
}

/// Builds the managed policy library from AWS's own output or from snapshots of it.
///
/// Sources are read in order, and a later record replaces an earlier one of the same name, so an overlay of
/// newer versions goes after the snapshot it updates. Each source is a JSON file or a folder of them; a file
/// holds `aws iam get-account-authorization-details` output (its `Policies`, default versions), an array of
/// records, or one record. A record has `PolicyName`, `Arn`, `Path`, `VersionId` (or `DefaultVersionId`),
/// `CreateDate`, `UpdateDate` and `Document` (iam-dataset's lower-case `arn`, `version`, `createdate`,
/// `updatedate`, `document` are read too); a file that is a bare policy document is named after the file.
///
/// The output is deterministic: policies sorted by name, documents as compact JSON in the source's member
/// order, packed into blocks of about 32 KiB, each compressed by ``Deflate``.
public enum ManagedPolicyBuilder {
  static let magic = "iamsim-policies"
  static let blockSize = 32 * 1024

  /// One policy as the index lists it.
  struct Entry: Hashable {
    var name: String
    var path: String
    var versionId: String
    var createDate: String
    var updateDate: String

    init(name: String, path: String, versionId: String, createDate: String, updateDate: String) {
      self.name = name
      self.path = path
      self.versionId = versionId
      self.createDate = createDate
      self.updateDate = updateDate
    }

    init(_ policy: ManagedPolicy) {
      self.init(
        name: policy.name, path: policy.path, versionId: policy.versionId, createDate: policy.createDate,
        updateDate: policy.updateDate)
    }

    var line: String { ["P", name, path, versionId, createDate, updateDate].joined(separator: "\t") }
  }

  /// Builds from files and folders, later sources overriding earlier ones by policy name.
  ///
  /// - Parameter source: how `policies info` names the sources; by default the file names.
  public static func build(from urls: [URL], source: String? = nil) throws(ManagedPolicyBuildError) -> ManagedPolicyBuild {
    var records: [String: (Entry, [UInt8])] = [:]
    var skipped: [String] = []
    for url in urls {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw ManagedPolicyBuildError(file: url.path, "no such file or folder")
      }
      var files: [URL] = []
      if isDirectory.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        files = names.filter { $0.hasSuffix(".json") }.sorted().map { url.appendingPathComponent($0) }
      } else {
        files = [url]
      }
      for file in files {
        let bytes: [UInt8]
        do {
          bytes = [UInt8](try Data(contentsOf: file))
        } catch {
          throw ManagedPolicyBuildError(file: file.path, "cannot read: \(error.localizedDescription)")
        }
        let json: JSONValue
        do {
          json = try JSONReader().read(bytes)
        } catch {
          throw ManagedPolicyBuildError(file: file.path, error.description)
        }
        let fallbackName = file.deletingPathExtension().lastPathComponent
        try read(json, file: file.path, fallbackName: fallbackName, into: &records, skipped: &skipped)
      }
    }
    let entries = records.keys.sorted().map { records[$0]! }
    return assemble(
      entries, skipped: skipped, source: source ?? urls.map(\.lastPathComponent).joined(separator: " + "))
  }

  private static func read(
    _ json: JSONValue, file: String, fallbackName: String, into records: inout [String: (Entry, [UInt8])],
    skipped: inout [String]
  ) throws(ManagedPolicyBuildError) {
    if let elements = json.elements {
      for element in elements { try record(element, file: file, fallbackName: nil, into: &records, skipped: &skipped) }
    } else if let policies = json["Policies"]?.elements {
      for element in policies { try record(element, file: file, fallbackName: nil, into: &records, skipped: &skipped) }
    } else if json.members != nil {
      try record(json, file: file, fallbackName: fallbackName, into: &records, skipped: &skipped)
    } else {
      throw ManagedPolicyBuildError(file: file, "expected policy records, not \(json.typeName)")
    }
  }

  private static func string(_ value: JSONValue?) -> String? {
    guard let value, let text = value.stringValue, !text.isEmpty else { return nil }
    return text
  }

  private static func record(
    _ json: JSONValue, file: String, fallbackName: String?, into records: inout [String: (Entry, [UInt8])],
    skipped: inout [String]
  ) throws(ManagedPolicyBuildError) {
    guard json.members != nil else { throw ManagedPolicyBuildError(file: file, "a policy record must be an object") }
    // A bare policy document, named after its file.
    if json["Statement"] != nil, let fallbackName {
      let entry = Entry(name: fallbackName, path: "/", versionId: "", createDate: "", updateDate: "")
      records[fallbackName] = (entry, json.output.rendered().utf8.map { $0 })
      return
    }
    let arnValue = string(json["Arn"]) ?? string(json["arn"])
    guard
      let name = string(json["PolicyName"]) ?? string(json["name"])
        ?? arnValue.flatMap({ $0.split(separator: "/").last.map(String.init) }) ?? fallbackName
    else {
      throw ManagedPolicyBuildError(file: file, "a policy record has no `PolicyName` or `Arn`")
    }
    if json["deprecated"]?.kind == .bool(true) {
      skipped.append("\(name): deprecated")
      return
    }
    guard let arn = arnValue ?? records[name].map({ ManagedPolicy.arn(path: $0.0.path, name: name) }) else {
      skipped.append("\(name): no ARN")
      return
    }
    guard arn.hasPrefix(ManagedPolicyLibrary.arnPrefix) else {
      skipped.append("\(name): \(arn) is not an AWS managed policy")
      return
    }
    let path = string(json["Path"]) ?? "/" + arn.dropFirst(ManagedPolicyLibrary.arnPrefix.count).dropLast(name.count)
    guard ManagedPolicy.arn(path: path, name: name) == arn else {
      throw ManagedPolicyBuildError(file: file, "\(name): path `\(path)` and ARN `\(arn)` disagree")
    }
    var versionId = string(json["VersionId"]) ?? string(json["DefaultVersionId"]) ?? string(json["version"])
    var document = json["Document"] ?? json["document"]
    if document == nil, let versions = json["PolicyVersionList"]?.elements {
      let chosen = versions.first { $0["IsDefaultVersion"]?.kind == .bool(true) } ?? versions.first
      document = chosen?["Document"]
      versionId = versionId ?? string(chosen?["VersionId"])
    }
    guard var document else { throw ManagedPolicyBuildError(file: file, "\(name) has no `Document`") }
    if let encoded = document.stringValue {
      // The IAM API returns documents URL-encoded; the CLI decodes them, raw API output does not.
      let text = encoded.removingPercentEncoding ?? encoded
      do {
        document = try JSONReader().read(text)
      } catch {
        throw ManagedPolicyBuildError(file: file, "\(name): the document is not JSON: \(error.message)")
      }
    }
    let clean = { (text: String?) in (text ?? "").replacingOccurrences(of: "\t", with: " ") }
    let entry = Entry(
      name: name, path: path, versionId: clean(versionId),
      createDate: clean(string(json["CreateDate"]) ?? string(json["createdate"])),
      updateDate: clean(string(json["UpdateDate"]) ?? string(json["updatedate"])))
    records[name] = (entry, Array(document.output.rendered().utf8))
  }

  /// The hash ``ManagedPolicyLibrary/Info/sha256`` names: SHA-256 of each policy's index line (without its
  /// block and offsets), a line feed, its document and a line feed, in order.
  static func hash(policies: [Entry], documents: [[UInt8]]) -> String {
    var bytes: [UInt8] = []
    for (entry, document) in zip(policies, documents) {
      bytes += Array(entry.line.utf8)
      bytes.append(UInt8(ascii: "\n"))
      bytes += document
      bytes.append(UInt8(ascii: "\n"))
    }
    return SHA256.hex(bytes)
  }

  static func assemble(_ records: [(Entry, [UInt8])], skipped: [String], source: String) -> ManagedPolicyBuild {
    var blocks: [[UInt8]] = []
    var current: [UInt8] = []
    var lines: [String] = []
    for (entry, document) in records {
      if !current.isEmpty && current.count + document.count > blockSize {
        blocks.append(current)
        current = []
      }
      lines.append(entry.line + "\t\(blocks.count)\t\(current.count)\t\(document.count)")
      current += document
      current.append(UInt8(ascii: "\n"))
    }
    if !current.isEmpty { blocks.append(current) }
    let dataDate = records.map { String($0.0.updateDate.prefix(10)) }.max() ?? ""
    let cleanSource = source.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
    let header = [
      "\(magic)\t1",
      "# Every AWS managed policy's default version in iamsim's compact form. P name path version created updated",
      "# block offset length: the document is bytes offset..<offset+length of the block, inflated.",
      "source\t\(cleanSource)",
      "data-date\t\(dataDate)",
      "policies\t\(records.count)",
      "blocks\t\(blocks.count)",
      "sha256\t\(hash(policies: records.map(\.0), documents: records.map(\.1)))",
    ]
    let index = Array((header + lines).joined(separator: "\n").utf8) + [UInt8(ascii: "\n")]
    let compressed = blocks.map(Deflate.compress)
    let (indexLiteral, indexIsBase64) = SwiftEmbedding.literal(index)
    var swift = """
      // Generated by `iamsim policies update`. Do not edit.
      // Every AWS managed policy's default version, compiled into iamsim: the index as text, the documents as
      // raw DEFLATE blocks in base64, inflated one block at a time when one of their policies is asked for.

      enum ShippedPolicies {
        static let indexIsBase64 = \(indexIsBase64)
        static let index: StaticString = \(indexLiteral)
        static let blocks: [StaticString] = [

      """
    for block in compressed {
      swift += "    \"" + String(decoding: Base64.encode(block), as: UTF8.self) + "\",\n"
    }
    swift += "  ]\n}\n"
    let library = try! ManagedPolicyLibrary(index: index) { compressed.indices.contains($0) ? compressed[$0] : nil }
    return ManagedPolicyBuild(library: library, index: index, blocks: compressed, skipped: skipped, swiftSource: swift)
  }
}

extension ManagedPolicy {
  static func arn(path: String, name: String) -> String { ManagedPolicyLibrary.arnPrefix + path.dropFirst() + name }
}

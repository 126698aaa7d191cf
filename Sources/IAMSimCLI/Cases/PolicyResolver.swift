import Foundation
import IAMFederation
import IAMIdentityCenter
import IAMPolicy

/// Resolves the policy members of one case file: inline objects, relative paths, shipped AWS managed ARNs.
struct PolicyResolver {
  let caseFile: String
  let directory: String
  let root: String
  let allowsOutside: Bool
  var loader: PolicyLoader
  /// The names of the documents taken from the shipped AWS managed library so far.
  private(set) var awsManaged: Set<String> = []
  /// AWS managed policies already parsed, by kind and ARN, shared across the case files of a run.
  var managedDocuments: [String: PolicyDocument] = [:]

  init(caseFile: String, directory: String, root: String, allowsOutside: Bool, loader: PolicyLoader) {
    self.caseFile = caseFile
    self.directory = directory
    self.root = root
    self.allowsOutside = allowsOutside
    self.loader = loader
  }

  /// One policy: an object, a path relative to the case file, or an AWS managed policy ARN.
  mutating func one(_ value: JSONValue, at path: JSONPath, kind: PolicyKind) throws(InputError) -> PolicyDocument {
    switch value.kind {
    case .object:
      return try PolicyDocument(json: value, name: "\(caseFile) \(path)", kind: kind, file: caseFile, at: path)
    case .string(let reference):
      if PolicyLoader.isManagedARN(reference) {
        let library = try loader.managedLibrary()
        guard let entry = library.entry(for: reference) else {
          throw library.notFound(reference, file: caseFile, path: path, position: value.position)
        }
        let key = "\(kind.rawValue) \(entry.arn)"
        let document: PolicyDocument
        if let parsed = managedDocuments[key] {
          document = parsed
        } else {
          document = try library.document(entry, kind: kind)
          managedDocuments[key] = document
        }
        awsManaged.insert(document.name)
        return document
      }
      let file = try checkedPath(reference, at: path, position: value.position)
      let bytes = try read(file, at: path)
      return try PolicyDocument(parsing: bytes, name: reference, kind: kind, file: file)
    default:
      throw InputError(.wrongType, "a policy must be an object, a path or an AWS managed policy ARN, not \(value.typeName)",
                       file: caseFile, path: path, position: value.position)
    }
  }

  /// The `permissionSet` member: a path or an inline object, resolved in `account`.
  mutating func permissionSet(_ value: JSONValue, at path: JSONPath, account: String) throws(InputError)
    -> ResolvedPermissionSet
  {
    let permissionSet: PermissionSet
    let folder: String
    switch value.kind {
    case .object:
      permissionSet = try PermissionSet.read(value, source: caseFile, at: path).0
      folder = directory
    case .string(let reference):
      let file = try checkedPath(reference, at: path, position: value.position)
      permissionSet = try PermissionSet.read(InputFile.parseJSON(read(file, at: path), file: file), source: file).0
      folder = (file as NSString).deletingLastPathComponent
    default:
      throw InputError(.wrongType, "`permissionSet` must be a path or an object, not \(value.typeName)", file: caseFile,
                       path: path, position: value.position)
    }
    var provider = WorkspacePolicyProvider(loader: loader, folders: [folder, directory])
    defer { loader = provider.loader }
    let resolved = try permissionSet.resolve(inAccount: account, provider: &provider)
    // The AWS managed policies come first among the identity policies; the boundary may be one too.
    for document in resolved.identityPolicies.prefix(permissionSet.awsManagedPolicies.count) {
      awsManaged.insert(document.name)
    }
    if case .awsManaged? = permissionSet.permissionsBoundary, let boundary = resolved.permissionsBoundary {
      awsManaged.insert(boundary.name)
    }
    return resolved
  }

  /// The `saml` member: a SAML response or assertion file whose session must be valid under AWS's rules.
  func samlSession(_ value: JSONValue, at path: JSONPath) throws(InputError) -> FederatedSession {
    guard let reference = value.stringValue else {
      throw InputError(.wrongType, "`saml` must be the path of a SAML file", file: caseFile, path: path, position: value.position)
    }
    let file = try checkedPath(reference, at: path, position: value.position)
    let document: SAMLDocument
    do {
      document = try SAMLReader().read(read(file, at: path))
    } catch let error as SAMLReadError {
      throw InputError("saml.unreadable", error.message, file: file, position: error.position)
    } catch let error as InputError {
      throw error
    } catch {
      throw InputError("saml.unreadable", "\(error)", file: file)
    }
    let report = SAMLReport(document: document)
    let errors = report.findings.filter { $0.severity == .error }
    guard errors.isEmpty else {
      throw InputError(errors.map {
        Diagnostic(Diagnostic.Code(rawValue: "saml.\($0.code)"), .error, "the SAML assertion breaks AWS's rules: \($0.message)", file: file,
                   path: path, position: value.position)
      })
    }
    return report.sessionForPolicies
  }

  /// A list of policies.
  mutating func list(_ value: JSONValue, at path: JSONPath, kind: PolicyKind) throws(InputError) -> [PolicyDocument] {
    guard let elements = value.elements else {
      throw InputError(.wrongType, "`\(path)` must be an array of policies", file: caseFile, path: path, position: value.position)
    }
    var documents: [PolicyDocument] = []
    var problems: [Diagnostic] = []
    for (index, element) in elements.enumerated() {
      do throws(InputError) {
        documents.append(try one(element, at: path.appending(index), kind: kind))
      } catch { problems += error.diagnostics }
    }
    guard problems.isEmpty else { throw InputError(problems) }
    return documents
  }

  /// Organization levels: an array of arrays of policies, root first.
  mutating func levels(_ value: JSONValue, at path: JSONPath, kind: PolicyKind) throws(InputError) -> [[PolicyDocument]] {
    guard let elements = value.elements, elements.allSatisfy({ $0.elements != nil }) else {
      throw InputError(.wrongType, "`\(path)` must be an array of levels, each an array of policies (root first)",
                       file: caseFile, path: path, position: value.position)
    }
    var levels: [[PolicyDocument]] = []
    for (index, element) in elements.enumerated() {
      levels.append(try list(element, at: path.appending(index), kind: kind))
    }
    return levels
  }

  /// Reads a referenced file; a file that cannot be read is reported with the case file and member that name it.
  private func read(_ file: String, at path: JSONPath) throws(InputError) -> [UInt8] {
    do {
      return try InputFile.read(file)
    } catch {
      throw InputError(error.diagnostics.map {
        var diagnostic = $0
        diagnostic.message += " (referenced by \(caseFile) at \(path))"
        return diagnostic
      })
    }
  }

  /// A referenced path, resolved against the case file's folder and kept inside the repository.
  func checkedPath(_ reference: String, at path: JSONPath, position: SourcePosition) throws(InputError) -> String {
    let base = URL(fileURLWithPath: directory)
    let url = reference.hasPrefix("/") ? URL(fileURLWithPath: reference) : base.appendingPathComponent(reference)
    let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
    if !allowsOutside && !(resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/")) {
      throw InputError(
        .fileUnreadable,
        "`\(reference)` resolves to `\(resolved)`, outside the repository `\(root)` that holds the case file; pass --allow-outside-paths to permit it",
        file: caseFile, path: path, position: position)
    }
    return url.standardizedFileURL.path
  }
}

/// Reads a JSON policy into a ``PolicyDocument``, collecting every problem on the way.
///
/// Reading never stops at the first problem: each element is checked and every error,
/// warning and suggestion is recorded with its JSON path and position.
struct PolicyReader {
  let kind: PolicyKind
  let name: String
  let file: String?
  let isAWSManaged: Bool
  var diagnostics: [Diagnostic] = []
  var version: PolicyDocument.Version = .absent

  init(kind: PolicyKind, name: String, file: String?, isAWSManaged: Bool) {
    self.kind = kind
    self.name = name
    self.file = file
    self.isAWSManaged = isAWSManaged
  }

  mutating func report(
    _ code: Diagnostic.Code, _ severity: Diagnostic.Severity, _ message: String, at path: JSONPath,
    _ position: SourcePosition?
  ) {
    diagnostics.append(Diagnostic(code, severity, message, file: file, path: path, position: position))
  }

  /// Reports members whose key appears more than once (rule G-1) and returns the members by key.
  mutating func uniqueMembers(_ members: [JSONValue.Member], at path: JSONPath) -> [String: JSONValue.Member] {
    var byKey: [String: JSONValue.Member] = [:]
    for member in members {
      if byKey[member.key] != nil {
        report(.duplicateKey, .error, "the element `\(member.key)` appears more than once in the same object",
               at: path.appending(member.key), member.keyPosition)
      } else {
        byKey[member.key] = member
      }
    }
    return byKey
  }

  mutating func document(_ root: JSONValue, at basePath: JSONPath) -> PolicyDocument? {
    checkCharacters(root, at: basePath)
    if !isAWSManaged { checkSize(root, at: basePath) }
    guard let members = root.members else {
      report(.wrongType, .error, "a policy must be a JSON object, not \(root.typeName)", at: basePath, root.position)
      return nil
    }
    let byKey = uniqueMembers(members, at: basePath)
    for member in members where !["Version", "Id", "Statement"].contains(member.key) {
      report(.unknownElement, .error, "the policy element `\(member.key)` is not valid", at: basePath.appending(member.key),
             member.keyPosition)
    }
    readVersion(byKey["Version"], at: basePath)
    var id: String?
    if let member = byKey["Id"] {
      id = member.value.stringValue
      if id == nil {
        report(.wrongType, .error, "`Id` must be a string", at: basePath.appending("Id"), member.value.position)
      } else if !kind.hasPrincipal {
        report(.idInIdentityPolicy, .warning, "the `Id` element is meant for resource-based policies; IAM ignores it here",
               at: basePath.appending("Id"), member.keyPosition)
      }
    }
    let statements = readStatements(byKey["Statement"], at: basePath, documentPosition: root.position)
    guard !diagnostics.containsErrors, let statements else { return nil }
    return PolicyDocument(
      name: name, kind: kind, version: version, id: id, statements: statements,
      diagnostics: diagnostics.sorted())
  }

  mutating func readVersion(_ member: JSONValue.Member?, at basePath: JSONPath) {
    guard let member else {
      report(.missingVersion, kind == .resourceControl ? .error : .warning,
             "we recommend that you specify the Version element `2012-10-17`; without it policy variables are literal text",
             at: basePath, nil)
      return
    }
    guard let text = member.value.stringValue, let parsed = PolicyDocument.Version(rawValue: text), parsed != .absent else {
      report(.invalidVersion, .error,
             "the version `\(member.value.stringValue ?? member.value.typeName)` is not valid; use one of the following versions: 2012-10-17, 2008-10-17",
             at: basePath.appending("Version"), member.value.position)
      return
    }
    version = parsed
    if kind == .resourceControl && parsed != .v2012 {
      report(.invalidVersion, .error, "resource control policies must use the version `2012-10-17`",
             at: basePath.appending("Version"), member.value.position)
    }
  }

  mutating func readStatements(_ member: JSONValue.Member?, at basePath: JSONPath, documentPosition: SourcePosition)
    -> [Statement]?
  {
    guard let member else {
      report(.missingStatement, .error, "add a statement to the policy: the `Statement` element is missing", at: basePath,
             documentPosition)
      return nil
    }
    let path = basePath.appending("Statement")
    let values: [(JSONValue, JSONPath)]
    switch member.value.kind {
    case .object: values = [(member.value, path)]
    case .array(let elements): values = elements.enumerated().map { ($1, path.appending($0)) }
    default:
      report(.wrongType, .error, "`Statement` must be an object or an array of objects, not \(member.value.typeName)",
             at: path, member.value.position)
      return nil
    }
    if values.isEmpty {
      report(.emptyList, .warning, "the policy has no statements, so it allows and denies nothing", at: path,
             member.value.position)
    }
    var statements: [Statement] = []
    var sids: [String: JSONPath] = [:]
    for (index, (value, statementPath)) in values.enumerated() {
      guard let statement = readStatement(value, index: index, at: statementPath) else { continue }
      if let sid = statement.sid, !sid.isEmpty {
        if sids[sid] != nil {
          report(.duplicateSid, kind.hasPrincipal ? .warning : .error,
                 "the Sid `\(sid)` is used by more than one statement; statement IDs must be unique in the policy",
                 at: statementPath.appending("Sid"), statement.position)
        }
        sids[sid] = statementPath
      }
      statements.append(statement)
    }
    return statements
  }
}

extension PolicyDocument {
  /// Reads and validates a policy from JSON text.
  ///
  /// - Parameters:
  ///   - bytes: the document's UTF-8 text.
  ///   - name: what names the policy in explanations (a path, an ARN, `inline`).
  ///   - kind: the role the policy plays, which decides its grammar.
  ///   - file: the file to name in diagnostics, if the text came from one.
  ///   - isAWSManaged: an AWS managed policy, to which customer size limits do not apply.
  /// - Throws: ``InputError`` with every problem when the document has an error.
  public init(
    parsing bytes: [UInt8], name: String, kind: PolicyKind, file: String? = nil, isAWSManaged: Bool = false
  ) throws(InputError) {
    let root: JSONValue
    do {
      root = try JSONReader().read(bytes)
    } catch {
      throw InputError(.jsonSyntax, error.message, file: file, position: error.position)
    }
    try self.init(json: root, name: name, kind: kind, file: file, at: .root, isAWSManaged: isAWSManaged)
  }

  /// Reads and validates a policy from an already-read JSON value, such as a policy inside a case file.
  ///
  /// - Parameter path: the JSON path of `json` in its file, so that diagnostics point into that file.
  /// - Throws: ``InputError`` with every problem when the document has an error.
  public init(
    json: JSONValue, name: String, kind: PolicyKind, file: String? = nil, at path: JSONPath = .root,
    isAWSManaged: Bool = false
  ) throws(InputError) {
    var reader = PolicyReader(kind: kind, name: name, file: file, isAWSManaged: isAWSManaged)
    guard let document = reader.document(json, at: path) else { throw InputError(reader.diagnostics) }
    self = document
  }

  /// Every diagnostic of a policy text, errors included, without throwing: what `iamsim validate` shows.
  public static func diagnose(
    json: JSONValue, name: String, kind: PolicyKind, file: String? = nil, isAWSManaged: Bool = false
  ) -> [Diagnostic] {
    var reader = PolicyReader(kind: kind, name: name, file: file, isAWSManaged: isAWSManaged)
    _ = reader.document(json, at: .root)
    return reader.diagnostics.sorted()
  }
}

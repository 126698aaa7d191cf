import IAMPolicy

/// One attribute for access control configured in Identity Center: a tag key and where its value comes from.
public struct AccessControlAttribute: Sendable, Hashable {
  /// The session-tag key, such as `CostCenter`.
  public var key: String
  /// The sources, such as `${path:enterprise.costCenter}` (AWS examples use one; the first that resolves wins).
  public var sources: [String]

  /// Creates an attribute.
  public init(key: String, sources: [String]) {
    self.key = key
    self.sources = sources
  }
}

/// The attributes for access control configured in an Identity Center instance (F-5).
public struct AccessControlConfiguration: Sendable, Hashable {
  /// The configured attributes, in order.
  public var attributes: [AccessControlAttribute]

  /// Creates a configuration.
  public init(attributes: [AccessControlAttribute]) {
    self.attributes = attributes
  }

  /// Reads a configuration from JSON.
  ///
  /// Accepted shapes: the output of `aws sso-admin describe-instance-access-control-attribute-configuration`,
  /// `{"AccessControlAttributes": [...]}`, a bare `[{"Key": "...", "Value": {"Source": ["..."]}}]` array, or the
  /// short form `{"CostCenter": "${path:enterprise.costCenter}"}`.
  public init(json bytes: [UInt8], file: String? = nil) throws(JSONInputError) {
    let root: JSONValue
    do {
      root = try JSONReader().read(bytes)
    } catch {
      throw JSONInputError(file: file, error.message, position: error.position)
    }
    var path = JSONPath.root
    var list = root
    if let configuration = root.value("InstanceAccessControlAttributeConfiguration") {
      path = path.appending("InstanceAccessControlAttributeConfiguration")
      list = configuration
    }
    if let attributes = list.value("AccessControlAttributes") {
      path = path.appending("AccessControlAttributes")
      list = attributes
    }
    if let elements = list.elements {
      attributes = try elements.enumerated().map { (index, element) throws(JSONInputError) in
        try Self.attribute(element, path: path.appending(index), file: file)
      }
    } else if let members = list.members, members.allSatisfy({ $0.value.stringValue != nil }) {
      attributes = members.map { AccessControlAttribute(key: $0.key, sources: [$0.value.stringValue ?? ""]) }
    } else {
      throw JSONInputError(
        file: file, "expected a list of access control attributes", jsonPath: path, position: list.position)
    }
  }

  private static func attribute(_ element: JSONValue, path: JSONPath, file: String?) throws(JSONInputError)
    -> AccessControlAttribute
  {
    guard let key = element.string("Key") else {
      throw JSONInputError(
        file: file, "an access control attribute needs a string Key", jsonPath: path, position: element.position)
    }
    let source = element.value("Value")?.value("Source")
    let sources = source?.elements?.compactMap(\.stringValue) ?? source?.stringValue.map { [$0] }
    guard let sources, !sources.isEmpty else {
      throw JSONInputError(
        file: file, "access control attribute \(key) needs Value.Source", jsonPath: path.appending("Value"),
        position: element.position)
    }
    return AccessControlAttribute(key: key, sources: sources)
  }
}

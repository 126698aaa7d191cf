/// What iamsim knows about AWS global condition keys, for validation (rules G-10, C-13, C-14).
///
/// Data, kept by hand. Source: "AWS global condition context keys", IAM User Guide,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html, its table of keys by
/// property (principal, role session, network, resource, request), read 2026-12-06. Keys iamsim knew before that are
/// no longer in the table (`aws:IsServiceLinkedRole`) are kept, so that no policy gains a warning by an update.
public enum GlobalConditionKeys {
  /// Where the list comes from.
  static let source = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
  /// When the source was read.
  static let date = "2026-12-06"
  /// Global keys without a tag-key suffix, lower-cased.
  public static let plain: Set<String> = [
    "aws:assumedroot", "aws:chatbotsourcearn", "aws:signinsessionarn", "aws:ismcpserviceaction",
    "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:currenttime", "aws:epochtime",
    "aws:federatedprovider", "aws:multifactorauthage", "aws:multifactorauthpresent", "aws:principalaccount",
    "aws:principalarn", "aws:principalisawsservice", "aws:principalorgid", "aws:principalorgpaths",
    "aws:principalservicename", "aws:principalservicenameslist", "aws:principaltype", "aws:referer",
    "aws:requestedregion", "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths", "aws:securetransport",
    "aws:sourceaccount", "aws:sourcearn", "aws:sourceidentity", "aws:sourceip", "aws:sourceorgid",
    "aws:sourceorgpaths", "aws:sourcevpc", "aws:sourcevpce", "aws:sourcevpcarn", "aws:tagkeys", "aws:tokenissuetime",
    "aws:useragent", "aws:userid", "aws:username", "aws:viaawsservice", "aws:vpcsourceip",
    "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4", "aws:isservicelinkedrole",
    "aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths", "aws:calledviaawsmcp", "aws:viaawsmcpservice",
  ]
  /// Global keys that take a tag key after the slash, lower-cased with the slash.
  static let tagPrefixes = ["aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"]
  /// Keys documented as multivalued, lower-cased.
  static let multivalued: Set<String> = [
    "aws:tagkeys", "aws:principalorgpaths", "aws:resourceorgpaths", "aws:calledvia", "aws:principalservicenameslist",
    "aws:sourceorgpaths", "aws:vpceorgpaths",
  ]

  /// Whether a key is documented as single-valued, so that a set operator on it is overly permissive.
  static func isSingleValued(_ lookupKey: String) -> Bool {
    plain.contains(lookupKey) && !multivalued.contains(lookupKey) || tagPrefixes.contains { lookupKey.hasPrefix($0) }
  }
}

extension PolicyReader {
  mutating func checkKnownKey(
    _ key: String, lookupKey: String, conditionOperator: ConditionOperator, at path: JSONPath, _ position: SourcePosition
  ) {
    if lookupKey.hasPrefix("aws:") && !GlobalConditionKeys.plain.contains(lookupKey)
      && !GlobalConditionKeys.tagPrefixes.contains(where: { lookupKey.hasPrefix($0) && lookupKey.count > $0.count })
    {
      report(.unknownGlobalKey, .warning, "`\(key)` is not a documented global condition key", at: path, position)
    }
    if conditionOperator.qualifier == .forAllValues && GlobalConditionKeys.isSingleValued(lookupKey) {
      report(.singleValuedSetOperator, .securityWarning,
             "using the ForAllValues qualifier with the single-valued condition key `\(key)` can be overly permissive: it holds when the key is missing",
             at: path, position)
    }
    if conditionOperator.qualifier == nil && conditionOperator.base != .null
      && GlobalConditionKeys.multivalued.contains(lookupKey)
    {
      report(.multivaluedWithoutSetOperator, .warning,
             "the request context key `\(key)` has multiple values; use the ForAllValues or ForAnyValue condition key qualifiers (without one, a multivalued request value never matches)",
             at: path, position)
    }
  }
}

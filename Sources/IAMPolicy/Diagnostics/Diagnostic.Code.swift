extension Diagnostic.Code {
  // JSON and files
  public static let jsonSyntax: Self = "json.syntax"
  public static let duplicateKey: Self = "json.duplicate-key"
  public static let wrongType: Self = "json.wrong-type"
  public static let fileUnreadable: Self = "file.unreadable"
  public static let fileTooLarge: Self = "file.too-large"

  // Document
  public static let unknownElement: Self = "policy.unknown-element"
  public static let invalidVersion: Self = "policy.invalid-version"
  public static let missingVersion: Self = "policy.missing-version"
  public static let missingStatement: Self = "policy.missing-statement"
  public static let idInIdentityPolicy: Self = "policy.id-not-expected"
  public static let invalidCharacter: Self = "policy.invalid-character"
  public static let sizeLimit: Self = "policy.size-limit"
  public static let versionDisablesVariables: Self = "policy.variables-need-2012-10-17"

  // Statement
  public static let invalidSid: Self = "statement.invalid-sid"
  public static let duplicateSid: Self = "statement.duplicate-sid"
  public static let missingEffect: Self = "statement.missing-effect"
  public static let invalidEffect: Self = "statement.invalid-effect"
  public static let missingAction: Self = "statement.missing-action"
  public static let missingResource: Self = "statement.missing-resource"
  public static let conflictingElements: Self = "statement.conflicting-elements"
  public static let emptyList: Self = "statement.empty-list"
  public static let elementNotSupported: Self = "statement.element-not-supported"
  public static let missingPrincipal: Self = "statement.missing-principal"
  public static let rcpAllowNotSupported: Self = "statement.rcp-allow"

  // Action, Resource, Principal
  public static let invalidAction: Self = "action.invalid"
  public static let invalidResource: Self = "resource.invalid"
  /// A resource ARN with fewer than six fields; IAM accepts it, Access Analyzer reports `Missing ARN field`.
  public static let missingARNField: Self = "resource.missing-arn-field"
  /// A policy variable before the fifth colon of a resource ARN; IAM accepts it and the variable is resolved.
  public static let variableBeforeResourcePart: Self = "resource.variable-before-resource-part"
  public static let variableNotAllowed: Self = "variable.not-allowed-here"
  public static let invalidVariable: Self = "variable.invalid"
  /// A policy variable in the value of an operator that does not substitute variables (Access Analyzer:
  /// `Invalid variable for operator`); IAM accepts the policy.
  public static let variableNotSubstituted: Self = "variable.not-substituted-by-operator"
  public static let invalidPrincipal: Self = "principal.invalid"
  public static let principalWildcard: Self = "principal.partial-wildcard"

  // Condition
  public static let unknownOperator: Self = "condition.unknown-operator"
  /// An operator with more than one set qualifier, such as `ForAllValues:ForAnyValue:StringEquals`.
  public static let multipleSetQualifiers: Self = "condition.multiple-set-qualifiers"
  /// A value that cannot be read for its operator (Access Analyzer: `Type mismatch …`); IAM accepts the policy.
  public static let typeMismatch: Self = "condition.type-mismatch"
  public static let invalidConditionKey: Self = "condition.invalid-key"
  public static let unknownGlobalKey: Self = "condition.unknown-global-key"
  public static let duplicateConditionKey: Self = "condition.duplicate-key"
  public static let invalidConditionValue: Self = "condition.invalid-value"
  public static let mixedValueTypes: Self = "condition.mixed-value-types"
  public static let nullWithIfExists: Self = "condition.null-ifexists"
  public static let multipleBooleans: Self = "condition.multiple-booleans"
  public static let literalWildcard: Self = "condition.wildcard-in-equals"
  public static let emptyConditionValues: Self = "condition.empty-values"
  public static let singleValuedSetOperator: Self = "condition.set-operator-on-single-valued-key"
  public static let multivaluedWithoutSetOperator: Self = "condition.multivalued-key-needs-set-operator"
}

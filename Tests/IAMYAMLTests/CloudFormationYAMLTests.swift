import Foundation
import IAMPolicy
import Testing

@testable import IAMYAML

/// The template's JSON form as compact JSON text.
func templateJSON(_ text: String, allowingAliases: Bool = false) throws -> String {
  try CloudFormationYAML.json(reading: Array(text.utf8), allowingAliases: allowingAliases).output.rendered()
}

func templateError(_ text: String) -> YAMLSyntaxError? {
  do {
    _ = try CloudFormationYAML.json(reading: Array(text.utf8))
    return nil
  } catch {
    return error
  }
}

/// AWS's intrinsic function reference: each function's page gives the JSON form and "Syntax for the short form"
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).
@Suite struct CloudFormationShortFormTests {
  @Test func refAndCondition() throws {
    #expect(try templateJSON("A: !Ref InstanceArn\nB: !Ref 'AWS::Region'\nC: !Condition IsProduction")
      == #"{"A":{"Ref":"InstanceArn"},"B":{"Ref":"AWS::Region"},"C":{"Condition":"IsProduction"}}"#)
  }

  /// Fn::GetAtt: "Syntax for the short form: !GetAtt logicalNameOfResource.attributeName"; AWS's example
  /// `!GetAtt myELB.DNSName` is `"Fn::GetAtt" : [ "myELB" , "DNSName" ]`, and its second example reads the
  /// attribute `SourceSecurityGroup.OwnerAlias`, which holds a dot itself.
  @Test func getAttInBothForms() throws {
    #expect(try templateJSON("A: !GetAtt myELB.DNSName") == #"{"A":{"Fn::GetAtt":["myELB","DNSName"]}}"#)
    #expect(try templateJSON("A: !GetAtt myELB.SourceSecurityGroup.OwnerAlias")
      == #"{"A":{"Fn::GetAtt":["myELB","SourceSecurityGroup.OwnerAlias"]}}"#)
    #expect(try templateJSON("A: !GetAtt [PowerUser, PermissionSetArn]")
      == #"{"A":{"Fn::GetAtt":["PowerUser","PermissionSetArn"]}}"#)
    #expect(try templateJSON("A: !GetAtt\n  - Group\n  - !Ref AttributeParameter")
      == #"{"A":{"Fn::GetAtt":["Group",{"Ref":"AttributeParameter"}]}}"#)
  }

  @Test func everyOtherShortForm() throws {
    let text = """
      Select: !Select [0, !GetAZs '']
      Split: !Split [",", !ImportValue SharedSubnetIds]
      Cidr: !Cidr [!GetAtt Vpc.CidrBlock, 6, 5]
      Find: !FindInMap [RegionMap, !Ref 'AWS::Region', HVM64]
      Base64: !Base64 |
        #!/bin/bash
        echo hello
      If: !If [IsProduction, !Ref ProdValue, !Ref 'AWS::NoValue']
      And: !And [!Equals [sg-mysggroup, !Ref ASecurityGroup], !Condition SomeOtherCondition]
      Or: !Or [!Equals [a, !Ref P], !Equals [b, !Ref P]]
      Not: !Not [!Equals [!Ref EnvironmentType, prod]]
      Sub: !Sub
        - 'arn:${AWS::Partition}:s3:::${Bucket}/*'
        - Bucket: !Ref LogBucket
      Join: !Join ['', [ACCESS_KEY=, !Ref AccessKey]]
      Transform: !Transform {Name: 'AWS::Include', Parameters: {Location: 's3://bucket/snippet.yaml'}}
      Output: !GetStackOutput
        StackName: network
        OutputName: VpcId
      """
    let expected = #"""
      {"Select":{"Fn::Select":[0,{"Fn::GetAZs":""}]},\#
      "Split":{"Fn::Split":[",",{"Fn::ImportValue":"SharedSubnetIds"}]},\#
      "Cidr":{"Fn::Cidr":[{"Fn::GetAtt":["Vpc","CidrBlock"]},6,5]},\#
      "Find":{"Fn::FindInMap":["RegionMap",{"Ref":"AWS::Region"},"HVM64"]},\#
      "Base64":{"Fn::Base64":"#!/bin/bash\necho hello\n"},\#
      "If":{"Fn::If":["IsProduction",{"Ref":"ProdValue"},{"Ref":"AWS::NoValue"}]},\#
      "And":{"Fn::And":[{"Fn::Equals":["sg-mysggroup",{"Ref":"ASecurityGroup"}]},{"Condition":"SomeOtherCondition"}]},\#
      "Or":{"Fn::Or":[{"Fn::Equals":["a",{"Ref":"P"}]},{"Fn::Equals":["b",{"Ref":"P"}]}]},\#
      "Not":{"Fn::Not":[{"Fn::Equals":[{"Ref":"EnvironmentType"},"prod"]}]},\#
      "Sub":{"Fn::Sub":["arn:${AWS::Partition}:s3:::${Bucket}/*",{"Bucket":{"Ref":"LogBucket"}}]},\#
      "Join":{"Fn::Join":["",["ACCESS_KEY=",{"Ref":"AccessKey"}]]},\#
      "Transform":{"Fn::Transform":{"Name":"AWS::Include","Parameters":{"Location":"s3://bucket/snippet.yaml"}}},\#
      "Output":{"Fn::GetStackOutput":{"StackName":"network","OutputName":"VpcId"}}}
      """#
    #expect(try templateJSON(text) == expected)
  }

  @Test func aTaggedScalarIsItsTextNotResolved() throws {
    #expect(try templateJSON("A: !GetAZs\nB: !Sub 1\nC: !ImportValue true\nD: !Base64 yes")
      == #"{"A":{"Fn::GetAZs":""},"B":{"Fn::Sub":"1"},"C":{"Fn::ImportValue":"true"},"D":{"Fn::Base64":"yes"}}"#)
  }

  @Test func theLongFormObjectSitsAtTheTag() throws {
    let value = try CloudFormationYAML.json(reading: Array("Value:\n  !GetAtt Group.GroupId".utf8))
    let function = try #require(value["Value"])
    #expect(function.position == SourcePosition(line: 2, column: 3))
    #expect(function.members?.first?.keyPosition == SourcePosition(line: 2, column: 3))
  }

  @Test(arguments: [
    ("A: !Uppercase x", "unknown tag `!Uppercase`", 1, 4, "$.A"),
    ("A:\n  - !Length [1, 2]", "unknown tag `!Length`", 2, 5, "$.A[0]"),
    ("A: !Ref [a, b]", "takes a name", 1, 4, "$.A"),
    ("A: !Ref", "needs a name", 1, 4, "$.A"),
    ("A: !GetAtt Resource", "logicalNameOfResource.attributeName", 1, 4, "$.A"),
    ("A: !GetAtt .Arn", "logicalNameOfResource.attributeName", 1, 4, "$.A"),
    ("A: !GetAtt [a, b, c]", "two elements", 1, 4, "$.A"),
    ("A: !GetAtt {a: b}", "not a mapping", 1, 4, "$.A"),
    ("A: !GetStackOutput\n  StackName: !Ref Stack\n  OutputName: VpcId", "cannot hold another short form", 2, 14, "$.A"),
    ("A: !!binary aGVsbG8=", "CloudFormation does not support it", 1, 4, "$.A"),
    ("A: !!timestamp 2001-12-14", "not supported", 1, 4, "$.A"),
    ("Resources:\n  R:\n    Properties: {Enabled: yes}", "boolean true in YAML 1.1", 3, 27, "$.Resources.R.Properties.Enabled"),
    ("A: off", "boolean false in YAML 1.1", 1, 4, "$.A"),
    ("A: 1_000", "underscores", 1, 4, "$.A"),
    ("A: 1:30", "base-60", 1, 4, "$.A"),
    ("A: 0b101", "binary", 1, 4, "$.A"),
    ("TargetId: 012345678901", "leading zero", 1, 11, "$.TargetId"),
    ("A: 0x1F", "JSON cannot write", 1, 4, "$.A"),
  ])
  func refusals(text: String, message: String, line: Int, column: Int, path: String) throws {
    let error = try #require(templateError(text), "\(text) was accepted")
    #expect(error.message.contains(message), "\(error)")
    #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
    #expect(error.path?.description == path, "\(error)")
    #expect(error.description.hasPrefix("\(line):\(column): \(path): "))
  }

  @Test func quotedOrYAML12FormsOfTheAmbiguousScalarsAreAccepted() throws {
    #expect(try templateJSON("A: 'yes'\nB: \"off\"\nC: true\nD: '012345678901'\nE: 1000\nF: !!str on")
      == #"{"A":"yes","B":"off","C":true,"D":"012345678901","E":1000,"F":"on"}"#)
    // A YAML 1.1 timestamp is a string: AWS lists TIMESTAMP among the tags CloudFormation does not support, and
    // templates commonly write the format version unquoted.
    #expect(try templateJSON("AWSTemplateFormatVersion: 2010-09-09") == #"{"AWSTemplateFormatVersion":"2010-09-09"}"#)
  }

  /// AWS's YAML announcement: "CloudFormation supports essentially all of YAML, with the exception of hash merges,
  /// aliases, and some tags (binary, imap, pairs, TIMESTAMP, and set)"
  /// (https://aws.amazon.com/blogs/aws/aws-cloudformation-update-yaml-cross-stack-references-simplified-substitution/).
  @Test func aliasesAreRefusedUnlessAllowed() throws {
    let text = "Tags: &tags\n  - {Key: team, Value: platform}\nOther:\n  Tags: *tags\n"
    let error = try #require(templateError(text))
    #expect(error.message.contains("CloudFormation does not accept YAML aliases"))
    #expect(error.position == SourcePosition(line: 4, column: 9))
    #expect(error.path?.description == "$.Other.Tags")
    #expect(try templateJSON(text, allowingAliases: true)
      == #"{"Tags":[{"Key":"team","Value":"platform"}],"Other":{"Tags":[{"Key":"team","Value":"platform"}]}}"#)
    #expect(try #require(templateError("a: &x 1\n<<: *x")).message.contains("merge keys"))
  }
}

@Suite struct CloudFormationTemplateTests {
  /// An Identity Center template in YAML, using the resource shapes of AWS's resource reference:
  /// AWS::IdentityStore::Group, AWS::IdentityStore::GroupMembership ("MemberId: MemberId", an object whose
  /// `UserId` names the user), AWS::SSO::PermissionSet (ManagedPolicies, CustomerManagedPolicyReferences,
  /// InlinePolicy as a mapping and as a string, PermissionsBoundary with "either CustomerManagedPolicyReference ...
  /// or ManagedPolicyArn"), AWS::SSO::Assignment.
  static let identityCenterYAML = #"""
    AWSTemplateFormatVersion: "2010-09-09"
    Description: >
      Identity Center permission sets for the platform team,
      assigned to groups in the workload accounts.
    Parameters:
      InstanceArn:
        Type: String
        Description: The IAM Identity Center instance ARN
      IdentityStoreId:
        Type: String
      ProductionAccountId:
        Type: String
        AllowedPattern: '^\d{12}$'
      Environment:
        Type: String
        AllowedValues: [dev, prod]
        Default: dev
    Conditions:
      IsProduction: !Equals [!Ref Environment, prod]
      NotProduction: !Not [!Condition IsProduction]
    Resources:
      # People
      DevelopersGroup:
        Type: AWS::IdentityStore::Group
        Properties:
          IdentityStoreId: !Ref IdentityStoreId
          DisplayName: AWS-Developers
          Description: Application developers
      AliceMembership:
        Type: AWS::IdentityStore::GroupMembership
        Properties:
          IdentityStoreId: !Ref IdentityStoreId
          GroupId: !GetAtt DevelopersGroup.GroupId
          MemberId:
            UserId: 9067c5b3-1234-4f0a-9c1e-5d7a2b3c4d5e   # alice
      # Permission sets
      PowerUser:
        Type: AWS::SSO::PermissionSet
        Properties:
          InstanceArn: !Ref InstanceArn
          Name: PowerUserAccess
          Description: Power users, without IAM
          SessionDuration: PT8H
          ManagedPolicies:
            - arn:aws:iam::aws:policy/PowerUserAccess
          CustomerManagedPolicyReferences:
            - Name: deny-leaving-organization
              Path: /guardrails/
          PermissionsBoundary:
            CustomerManagedPolicyReference:
              Name: developer-boundary
              Path: /
          InlinePolicy:
            Version: "2012-10-17"
            Statement:
              - Sid: DenyBucketDeletion
                Effect: Deny
                Action:
                  - s3:DeleteBucket
                  - 's3:DeleteBucketPolicy'
                Resource: "*"
              - Sid: AllowTaggedInstances
                Effect: Allow
                Action: ec2:*
                Resource: !Sub arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:instance/*
                Condition:
                  StringEquals:
                    aws:ResourceTag/team: ${aws:PrincipalTag/team}
                  Bool: {aws:MultiFactorAuthPresent: "true"}
          Tags:
            - {Key: owner, Value: platform}
      ReadOnly:
        Type: AWS::SSO::PermissionSet
        Properties:
          InstanceArn: !Ref InstanceArn
          Name: ReadOnly
          ManagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
          PermissionsBoundary:
            ManagedPolicyArn: arn:aws:iam::aws:policy/ReadOnlyAccess
          InlinePolicy: |
            {
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::payroll/*"}]
            }
      DevelopersInProduction:
        Type: AWS::SSO::Assignment
        Condition: IsProduction
        Properties:
          InstanceArn: !Ref InstanceArn
          PermissionSetArn: !GetAtt [PowerUser, PermissionSetArn]
          PrincipalId: !GetAtt DevelopersGroup.GroupId
          PrincipalType: GROUP
          TargetId: !Ref ProductionAccountId
          TargetType: AWS_ACCOUNT
    Outputs:
      PowerUserArn:
        Value: !GetAtt PowerUser.PermissionSetArn
        Export:
          Name: !Join [':', [!Ref 'AWS::StackName', PowerUserArn]]
    """#

  static let identityCenterJSON = #"""
    {
      "AWSTemplateFormatVersion": "2010-09-09",
      "Description": "Identity Center permission sets for the platform team, assigned to groups in the workload accounts.\n",
      "Parameters": {
        "InstanceArn": {"Type": "String", "Description": "The IAM Identity Center instance ARN"},
        "IdentityStoreId": {"Type": "String"},
        "ProductionAccountId": {"Type": "String", "AllowedPattern": "^\\d{12}$"},
        "Environment": {"Type": "String", "AllowedValues": ["dev", "prod"], "Default": "dev"}
      },
      "Conditions": {
        "IsProduction": {"Fn::Equals": [{"Ref": "Environment"}, "prod"]},
        "NotProduction": {"Fn::Not": [{"Condition": "IsProduction"}]}
      },
      "Resources": {
        "DevelopersGroup": {
          "Type": "AWS::IdentityStore::Group",
          "Properties": {
            "IdentityStoreId": {"Ref": "IdentityStoreId"},
            "DisplayName": "AWS-Developers",
            "Description": "Application developers"
          }
        },
        "AliceMembership": {
          "Type": "AWS::IdentityStore::GroupMembership",
          "Properties": {
            "IdentityStoreId": {"Ref": "IdentityStoreId"},
            "GroupId": {"Fn::GetAtt": ["DevelopersGroup", "GroupId"]},
            "MemberId": {"UserId": "9067c5b3-1234-4f0a-9c1e-5d7a2b3c4d5e"}
          }
        },
        "PowerUser": {
          "Type": "AWS::SSO::PermissionSet",
          "Properties": {
            "InstanceArn": {"Ref": "InstanceArn"},
            "Name": "PowerUserAccess",
            "Description": "Power users, without IAM",
            "SessionDuration": "PT8H",
            "ManagedPolicies": ["arn:aws:iam::aws:policy/PowerUserAccess"],
            "CustomerManagedPolicyReferences": [{"Name": "deny-leaving-organization", "Path": "/guardrails/"}],
            "PermissionsBoundary": {"CustomerManagedPolicyReference": {"Name": "developer-boundary", "Path": "/"}},
            "InlinePolicy": {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "DenyBucketDeletion",
                  "Effect": "Deny",
                  "Action": ["s3:DeleteBucket", "s3:DeleteBucketPolicy"],
                  "Resource": "*"
                },
                {
                  "Sid": "AllowTaggedInstances",
                  "Effect": "Allow",
                  "Action": "ec2:*",
                  "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:instance/*"},
                  "Condition": {
                    "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"},
                    "Bool": {"aws:MultiFactorAuthPresent": "true"}
                  }
                }
              ]
            },
            "Tags": [{"Key": "owner", "Value": "platform"}]
          }
        },
        "ReadOnly": {
          "Type": "AWS::SSO::PermissionSet",
          "Properties": {
            "InstanceArn": {"Ref": "InstanceArn"},
            "Name": "ReadOnly",
            "ManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            "InlinePolicy": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::payroll/*\"}]\n}\n"
          }
        },
        "DevelopersInProduction": {
          "Type": "AWS::SSO::Assignment",
          "Condition": "IsProduction",
          "Properties": {
            "InstanceArn": {"Ref": "InstanceArn"},
            "PermissionSetArn": {"Fn::GetAtt": ["PowerUser", "PermissionSetArn"]},
            "PrincipalId": {"Fn::GetAtt": ["DevelopersGroup", "GroupId"]},
            "PrincipalType": "GROUP",
            "TargetId": {"Ref": "ProductionAccountId"},
            "TargetType": "AWS_ACCOUNT"
          }
        }
      },
      "Outputs": {
        "PowerUserArn": {
          "Value": {"Fn::GetAtt": ["PowerUser", "PermissionSetArn"]},
          "Export": {"Name": {"Fn::Join": [":", [{"Ref": "AWS::StackName"}, "PowerUserArn"]]}}
        }
      }
    }
    """#

  /// A service control policy (AWS::Organizations::Policy: Name, Type, Content, TargetIds) whose Content is a YAML
  /// mapping in one file and a JSON string in a flow mapping in the other, with a group and its membership.
  static let organizationYAML = #"""
    ---
    # Guardrails for the workload OU
    Parameters:
      WorkloadsOuId: {Type: String}
      IdentityStoreId: {Type: String}
      BobUserId: {Type: String}
    Resources:
      DenyRegions:
        Type: AWS::Organizations::Policy
        Properties:
          Name: deny-outside-eu
          Type: SERVICE_CONTROL_POLICY
          Description: Deny requests outside the EU regions,
            except for global services
          TargetIds:
            - !Ref WorkloadsOuId
          Content:
            Version: 2012-10-17
            Statement:
              - Effect: Deny
                NotAction: [iam:*, organizations:*, sts:*, 'support:*']
                Resource: '*'
                Condition:
                  StringNotEquals:
                    aws:RequestedRegion:
                      - eu-west-1
                      - eu-central-1
      DenyLeaving:
        Type: AWS::Organizations::Policy
        Properties:
          Name: deny-leaving
          Type: SERVICE_CONTROL_POLICY
          TargetIds: [!Ref WorkloadsOuId]
          Content: >-
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
            "Action": "organizations:LeaveOrganization", "Resource": "*"}]}
      Auditors:
        Type: AWS::IdentityStore::Group
        Properties: {IdentityStoreId: !Ref IdentityStoreId, DisplayName: Auditors}
      BobInAuditors:
        Type: AWS::IdentityStore::GroupMembership
        Properties:
          IdentityStoreId: !Ref IdentityStoreId
          GroupId: !GetAtt Auditors.GroupId
          MemberId: {UserId: !Ref BobUserId}
    ...
    """#

  static let organizationJSON = #"""
    {
      "Parameters": {
        "WorkloadsOuId": {"Type": "String"},
        "IdentityStoreId": {"Type": "String"},
        "BobUserId": {"Type": "String"}
      },
      "Resources": {
        "DenyRegions": {
          "Type": "AWS::Organizations::Policy",
          "Properties": {
            "Name": "deny-outside-eu",
            "Type": "SERVICE_CONTROL_POLICY",
            "Description": "Deny requests outside the EU regions, except for global services",
            "TargetIds": [{"Ref": "WorkloadsOuId"}],
            "Content": {
              "Version": "2012-10-17",
              "Statement": [{
                "Effect": "Deny",
                "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*"],
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}
              }]
            }
          }
        },
        "DenyLeaving": {
          "Type": "AWS::Organizations::Policy",
          "Properties": {
            "Name": "deny-leaving",
            "Type": "SERVICE_CONTROL_POLICY",
            "TargetIds": [{"Ref": "WorkloadsOuId"}],
            "Content": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"organizations:LeaveOrganization\", \"Resource\": \"*\"}]}"
          }
        },
        "Auditors": {
          "Type": "AWS::IdentityStore::Group",
          "Properties": {"IdentityStoreId": {"Ref": "IdentityStoreId"}, "DisplayName": "Auditors"}
        },
        "BobInAuditors": {
          "Type": "AWS::IdentityStore::GroupMembership",
          "Properties": {
            "IdentityStoreId": {"Ref": "IdentityStoreId"},
            "GroupId": {"Fn::GetAtt": ["Auditors", "GroupId"]},
            "MemberId": {"UserId": {"Ref": "BobUserId"}}
          }
        }
      }
    }
    """#

  @Test(arguments: [
    (identityCenterYAML, identityCenterJSON),
    (organizationYAML, organizationJSON),
  ])
  func yamlAndJSONFormsConvertToTheSameJSON(yaml: String, json: String) throws {
    let fromYAML = try CloudFormationYAML.json(reading: Array(yaml.utf8))
    let fromJSON = try JSONReader().read(json)
    #expect(fromYAML.output == fromJSON.output)
    // The JSON file read as a template gives what JSONReader gives.
    #expect(try CloudFormationYAML.json(reading: Array(json.utf8)).output == fromJSON.output)
  }

  @Test func templatePositionsPointIntoTheYAML() throws {
    let template = try CloudFormationYAML.json(reading: Array(Self.identityCenterYAML.utf8))
    let powerUser = try #require(template["Resources"]?["PowerUser"]?["Properties"])
    let statement = try #require(powerUser["InlinePolicy"]?["Statement"]?.elements?[1])
    #expect(statement["Resource"]?.position == SourcePosition(line: 65, column: 23))
    #expect(statement.members?.first?.keyPosition == SourcePosition(line: 62, column: 13))
    let assignment = try #require(template["Resources"]?["DevelopersInProduction"]?["Properties"])
    #expect(assignment["PermissionSetArn"]?["Fn::GetAtt"]?.elements?[1].position == SourcePosition(line: 90, column: 45))
  }

  /// JSON is YAML: a JSON template reads to exactly what JSONReader gives, positions included.
  @Test(arguments: [identityCenterJSON, organizationJSON, "{\n\t\"Resources\": {\n\t\t\"A\": {\"Type\": \"AWS::SSO::PermissionSet\", \"Properties\": {\"Name\": \"x\", \"SessionDuration\": \"PT1H\", \"N\": -1.5e3, \"B\": [true, false, null], \"E\": {}, \"U\": \"\\u00e9\\ud83d\\ude00\\/\"}}\n\t}\n}\n", "[]", "\"text\"", "  42  "])
  func aJSONTemplateReadsAsJSONReaderReadsIt(json: String) throws {
    let expected = try JSONReader().read(json)
    #expect(try YAMLReader().read(json).json() == expected)
    #expect(try CloudFormationYAML.json(reading: Array(json.utf8)) == expected)
  }

  @Test func duplicateKeysSurviveForTheCallerToRefuse() throws {
    let template = try CloudFormationYAML.json(reading: Array("Resources:\n  A: {Type: First}\n  A: {Type: Second}\n".utf8))
    #expect(template["Resources"]?.members?.map(\.key) == ["A", "A"])
    #expect(template["Resources"]?.members?[1].keyPosition == SourcePosition(line: 3, column: 3))
  }
}

@Suite struct JSONFilesAsYAMLTests {
  /// Every JSON file of the repository's `policies/` and `cases/` (policies, permission sets, case files, some of
  /// them deliberately malformed) that `JSONReader` reads, read as YAML, gives the identical value, positions
  /// included.
  @Test func everyJSONFileInTheRepositoryReadsAsJSONReaderReadsIt() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var compared = 0
    for folder in ["policies", "cases"] {
      let enumerator = FileManager.default.enumerator(
        at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
      while let url = enumerator?.nextObject() as? URL {
        guard url.pathExtension == "json", let data = FileManager.default.contents(atPath: url.path) else { continue }
        let bytes = Array(data)
        guard let expected = try? JSONReader().read(bytes) else { continue }
        #expect(try YAMLReader().read(bytes).json() == expected, "\(url.path)")
        compared += 1
      }
    }
    #expect(compared > 200)
  }
}

import IAMPolicy
import Testing

@testable import IAMYAML

@Suite struct YAMLSpeedTests {
  /// A template of `count` permission sets, each in several YAML styles.
  static func template(permissionSets count: Int) -> [UInt8] {
    var text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
    for index in 0..<count {
      text += """
          Set\(index):
            Type: AWS::SSO::PermissionSet
            Properties:
              InstanceArn: !Ref InstanceArn
              Name: "team-\(index)"
              ManagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
              InlinePolicy:
                Statement:
                  - Effect: Allow # comment
                    Action: [s3:GetObject, 's3:PutObject']
                    Resource: !Sub arn:${AWS::Partition}:s3:::bucket-\(index)/*
              Description: >
                folded text
                over lines

        """
    }
    return Array(text.utf8)
  }

  static func seconds(_ bytes: [UInt8]) throws -> Double {
    var best = Double.infinity
    for _ in 0..<5 {
      let clock = ContinuousClock()
      var result: Result<JSONValue, YAMLSyntaxError>?
      let elapsed = clock.measure { result = Result { () throws(YAMLSyntaxError) in try CloudFormationYAML.json(reading: bytes) } }
      _ = try result?.get()
      best = min(best, Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
    }
    return best
  }

  /// Reading time grows linearly: eight times the input takes about eight times as long (a quadratic reader would
  /// take 64; the bound of 24 leaves room for a busy machine and the other tests running in parallel). Measured: a 1 MB template reads and converts in 0.08 s in a release build (Documentation/YAML.md).
  @Test func readingTimeIsLinear() throws {
    let small = Self.template(permissionSets: 50)
    let large = Self.template(permissionSets: 400)
    let ratio = try Self.seconds(large) / Self.seconds(small)
    #expect(ratio < 24, "8× the input took \(ratio)× the time")
  }

  @Test func longSingleLinesAreLinearToo() throws {
    let flow = Array(("[" + (0..<2_500).map { "item-\($0)" }.joined(separator: ", ") + "]").utf8)
    let flowLarge = Array(("[" + (0..<20_000).map { "item-\($0)" }.joined(separator: ", ") + "]").utf8)
    #expect(try Self.seconds(flowLarge) / Self.seconds(flow) < 24)
    let plain = Array(("v: " + String(repeating: "word ", count: 5_000) + "end").utf8)
    let plainLarge = Array(("v: " + String(repeating: "word ", count: 40_000) + "end").utf8)
    #expect(try Self.seconds(plainLarge) / Self.seconds(plain) < 24)
  }
}

"""A generated SAM template of real-world size for the template benchmark (issue 13).

    python benchmarks/sam_template.py DEST.yaml --functions 73   # about 4,600 lines

The shape follows real serverless applications: Parameters with allowed values, Conditions
(`!Equals`, `!And`, `!Not`), `Globals`, many `AWS::Serverless::Function`s each with an API
event, environment variables from `!Ref`/`!GetAtt`/`!Sub`, IAM policies naming table ARNs,
log groups and alarms per function, an `AWS::Serverless::Api`, a few DynamoDB tables (PITR on,
off, and under a condition), a backup plan and selections by reference and by tag, and Outputs.
Deterministic: the same arguments write the same bytes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HEADER = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: generated SAM application for the iac-ddb-lint template benchmark

Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, staging, prod]
    Default: prod
  EnablePitr:
    Type: String
    AllowedValues: ["true", "false"]
    Default: "true"
  LogRetentionDays:
    Type: Number
    Default: 30
  AlarmTopicArn:
    Type: String
    Default: ""

Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  PitrOn: !Equals [!Ref EnablePitr, "true"]
  ProdWithPitr: !And [!Condition IsProd, !Condition PitrOn]
  HasAlarmTopic: !Not [!Equals [!Ref AlarmTopicArn, ""]]

Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    MemorySize: 512
    Tracing: Active
    Architectures: [arm64]
    Environment:
      Variables:
        STAGE: !Ref Stage
        POWERTOOLS_SERVICE_NAME: !Sub "${AWS::StackName}-svc"
  Api:
    TracingEnabled: true
    Cors:
      AllowMethods: "'GET,POST,PUT,DELETE'"
      AllowOrigin: "'*'"

Resources:
  HttpApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      EndpointConfiguration: REGIONAL
      MethodSettings:
        - ResourcePath: "/*"
          HttpMethod: "*"
          MetricsEnabled: true
          ThrottlingBurstLimit: 200
      Tags:
        stage: !Ref Stage

"""

TABLE = """  {name}Table:
    Type: AWS::DynamoDB::Table
{condition}    Properties:
      TableName: !Sub "${{AWS::StackName}}-{lower}"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
        - AttributeName: sk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
        - AttributeName: sk
          KeyType: RANGE
{pitr}      StreamSpecification:
        StreamViewType: NEW_AND_OLD_IMAGES
      Tags:
        - Key: backup
          Value: {backup}
        - Key: stage
          Value: !Ref Stage

"""

PITR = [
    "      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n",
    "      PointInTimeRecoverySpecification:\n"
    "        PointInTimeRecoveryEnabled: !If [PitrOn, true, false]\n",
    "",
]

FUNCTION = """  {name}Function:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "${{AWS::StackName}}-{lower}"
      CodeUri: src/{lower}/
      Handler: app.handler
      Description: !Sub "{name} handler for ${{Stage}}"
      ReservedConcurrentExecutions: !If [IsProd, 50, !Ref AWS::NoValue]
      Environment:
        Variables:
          TABLE_NAME: !Ref {table}Table
          TABLE_ARN: !GetAtt {table}Table.Arn
          STREAM_ARN: !GetAtt {table}Table.StreamArn
          API_URL: !Sub "https://${{HttpApi}}.execute-api.${{AWS::Region}}.amazonaws.com/${{Stage}}"
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref {table}Table
        - Statement:
            - Effect: Allow
              Action:
                - dynamodb:Query
                - dynamodb:GetItem
              Resource:
                - !GetAtt {table}Table.Arn
                - !Sub "${{{table}Table.Arn}}/index/*"
      Events:
        Api:
          Type: Api
          Properties:
            RestApiId: !Ref HttpApi
            Path: /{lower}/{{id}}
            Method: {method}
      Tags:
        function: {lower}

  {name}LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub "/aws/lambda/${{{name}Function}}"
      RetentionInDays: !Ref LogRetentionDays

  {name}ErrorAlarm:
    Type: AWS::CloudWatch::Alarm
    Condition: HasAlarmTopic
    Properties:
      AlarmName: !Sub "${{AWS::StackName}}-{lower}-errors"
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref {name}Function
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions:
        - !Ref AlarmTopicArn

"""

BACKUP = """  BackupVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: !Sub "${{AWS::StackName}}-vault"

  BackupPlan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: !Sub "${{AWS::StackName}}-daily"
        BackupPlanRule:
          - RuleName: daily
            TargetBackupVault: !Ref BackupVault
            ScheduleExpression: cron(0 5 * * ? *)
            Lifecycle:
              DeleteAfterDays: 35

  ByReference:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref BackupPlan
      BackupSelection:
        SelectionName: by-reference
        IamRoleArn: !Sub "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/backup"
        Resources:
{refs}

  ByTag:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref BackupPlan
      BackupSelection:
        SelectionName: by-tag
        IamRoleArn: !Sub "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/backup"
        ListOfTags:
          - ConditionType: STRINGEQUALS
            ConditionKey: backup
            ConditionValue: daily

"""

TABLE_NAMES = ["Orders", "Customers", "Sessions", "Inventory", "Audit", "Events"]
METHODS = ["get", "post", "put", "delete"]
FUNCTIONS = 73  # 4,594 lines


def _tables() -> str:
    out = []
    for i, name in enumerate(TABLE_NAMES):
        condition = "    Condition: IsProd\n" if i == 4 else ""
        backup = "daily" if i % 2 == 0 else "none"
        out.append(TABLE.format(name=name, lower=name.lower(), condition=condition,
                                pitr=PITR[i % 3], backup=backup))
    return "".join(out)


def _functions(count: int) -> str:
    out = []
    for i in range(count):
        name = f"Handler{i:03d}"
        out.append(FUNCTION.format(name=name, lower=name.lower(),
                                   table=TABLE_NAMES[i % len(TABLE_NAMES)],
                                   method=METHODS[i % len(METHODS)]))
    return "".join(out)


def _outputs(count: int) -> str:
    lines = ["Outputs:\n"]
    for name in TABLE_NAMES:
        lines.append(f"  {name}TableArn:\n    Condition: IsProd\n" if name == "Audit"
                     else f"  {name}TableArn:\n")
        lines.append(f"    Value: !GetAtt {name}Table.Arn\n")
        lines.append(f"    Export:\n      Name: !Sub \"${{AWS::StackName}}-{name}Arn\"\n")
    for i in range(0, count, 10):
        lines.append(f"  Handler{i:03d}Arn:\n    Value: !GetAtt Handler{i:03d}Function.Arn\n")
    return "".join(lines)


def template(functions: int) -> str:
    refs = "\n".join(f"          - !GetAtt {name}Table.Arn" for name in TABLE_NAMES[1::2])
    return (HEADER + _tables() + _functions(functions) + BACKUP.format(refs=refs)
            + _outputs(functions))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--functions", type=int, default=FUNCTIONS)
    args = parser.parse_args()
    text = template(args.functions)
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    args.dest.write_text(text)
    print(f"{text.count(chr(10))} lines, {len(TABLE_NAMES)} tables, {args.functions} functions"
          f" in {args.dest}")


if __name__ == "__main__":
    main()

"""The single DynamoDB table, built from the app's own key layout so the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from keycraft.services.repository.dynamodb.keys import TTL_ATTRIBUTE, table_definition

_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER}


@dataclass(frozen=True)
class _KeyPair:
    partition_key: dynamodb.Attribute
    sort_key: dynamodb.Attribute


def _keys(schema: list[dict[str, str]], types: dict[str, str]) -> _KeyPair:
    """Map a ``KeySchema`` list (hash and range) to CDK attributes."""
    by_role = {
        item["KeyType"]: dynamodb.Attribute(
            name=item["AttributeName"], type=_TYPES[types[item["AttributeName"]]]
        )
        for item in schema
    }
    return _KeyPair(partition_key=by_role["HASH"], sort_key=by_role["RANGE"])


class KeyCraftTable(Construct):
    """On-demand table with point-in-time recovery, TTL and any GSIs the app defines; kept."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        # The name is CloudFormation's to choose (replacements never collide); it is an output.
        definition: dict[str, Any] = table_definition("unused")
        types = {a["AttributeName"]: a["AttributeType"] for a in definition["AttributeDefinitions"]}
        keys = _keys(definition["KeySchema"], types)
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=keys.partition_key,
            sort_key=keys.sort_key,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=TTL_ATTRIBUTE,
            # Encrypted at rest with an AWS-owned key: no KMS charge on every request.
            encryption=dynamodb.TableEncryption.DEFAULT,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in definition.get("GlobalSecondaryIndexes", []):
            index_keys = _keys(index["KeySchema"], types)
            self.table.add_global_secondary_index(
                index_name=index["IndexName"],
                partition_key=index_keys.partition_key,
                sort_key=index_keys.sort_key,
                projection_type=dynamodb.ProjectionType(index["Projection"]["ProjectionType"]),
            )

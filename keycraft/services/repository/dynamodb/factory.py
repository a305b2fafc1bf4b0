"""Builds a DynamoDB repository (boto3 client with timeouts) from Settings."""

from __future__ import annotations

import boto3
from botocore.config import Config

from keycraft.config import Settings
from keycraft.services.repository.dynamodb.repository import DynamoDbRepository


def dynamodb_repository(settings: Settings) -> DynamoDbRepository:
    """Return a repository on ``settings.dynamodb_table`` (endpoint configurable)."""
    client = boto3.client(
        "dynamodb",
        region_name=settings.aws_region,
        endpoint_url=settings.dynamodb_endpoint_url,
        config=Config(
            connect_timeout=3,
            read_timeout=10,
            retries={"max_attempts": 3, "mode": "standard"},
            max_pool_connections=64,
        ),
    )
    return DynamoDbRepository(client, settings.dynamodb_table)

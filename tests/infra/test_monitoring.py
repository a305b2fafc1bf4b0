"""The stack's alarms and dashboard watch what the app really emits."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk.assertions import Template

from keycraft.services.logs import REQUEST_LOG_MESSAGE
from keycraft.services.metrics import WEBHOOK_LOG_MESSAGE
from tests.infra.conftest import Synthesized


def _alarms(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    found = Template.from_json(synthesized.body).find_resources("AWS::CloudWatch::Alarm")
    return {logical_id: resource["Properties"] for logical_id, resource in found.items()}


def _alarm(synthesized: Synthesized, name_part: str) -> dict[str, Any]:
    (alarm,) = [p for i, p in _alarms(synthesized).items() if name_part in i]
    return alarm


def test_every_alarm_notifies_the_alarm_topic(synthesized: Synthesized) -> None:
    topics = Template.from_json(synthesized.body).find_resources("AWS::SNS::Topic")
    (topic_id,) = topics
    alarms = _alarms(synthesized)
    assert len(alarms) == 3
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["OKActions"] == [{"Ref": topic_id}]
        assert alarm["TreatMissingData"] == "notBreaching"


def test_server_error_rate_alarm_reads_the_app_distribution_5xx_rate(
    synthesized: Synthesized,
) -> None:
    alarm = _alarm(synthesized, "AppServerErrorRate")
    assert alarm["Namespace"] == "AWS/CloudFront"
    assert alarm["MetricName"] == "5xxErrorRate"
    assert alarm["Threshold"] == 5
    dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
    assert dimensions["Region"] == "Global"
    app_distribution = [
        logical_id
        for logical_id, resource in Template.from_json(synthesized.body)
        .find_resources("AWS::CloudFront::Distribution")
        .items()
        if resource["Properties"]["DistributionConfig"]["Comment"].startswith("KeyCraft app")
    ]
    assert dimensions["DistributionId"] == {"Ref": app_distribution[0]}


def test_throttle_alarm_sums_read_and_write_throttles_of_the_table(
    synthesized: Synthesized,
) -> None:
    alarm = _alarm(synthesized, "DynamoDbThrottles")
    metrics = {m["Id"]: m for m in alarm["Metrics"]}
    assert metrics["expr_1"]["Expression"] == "reads + writes"
    names = {m["MetricStat"]["Metric"]["MetricName"] for m in metrics.values() if "MetricStat" in m}
    assert names == {"ReadThrottleEvents", "WriteThrottleEvents"}
    assert alarm["Threshold"] == 1


def test_webhook_failure_alarm_counts_the_apps_failed_webhook_log_lines(
    synthesized: Synthesized,
) -> None:
    alarm = _alarm(synthesized, "WebhookFailuresAlarm")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("KeyCraft", "WebhookFailures")
    filters = Template.from_json(synthesized.body).find_resources("AWS::Logs::MetricFilter")
    patterns = {
        f["Properties"]["MetricTransformations"][0]["MetricName"]: f["Properties"]["FilterPattern"]
        for f in filters.values()
    }
    assert patterns["WebhookFailures"] == (
        f'{{ ($.message = "{WEBHOOK_LOG_MESSAGE}") && ($.outcome = "failed") }}'
    )
    assert patterns["AppServerErrors"] == (
        f'{{ ($.message = "{REQUEST_LOG_MESSAGE}") && ($.status >= 500) }}'
    )


def test_dashboard_shows_requests_throttles_webhooks_and_alarm_states(
    synthesized: Synthesized,
) -> None:
    dashboards = Template.from_json(synthesized.body).find_resources("AWS::CloudWatch::Dashboard")
    (dashboard,) = dashboards.values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for title in ("App requests and 5xx rate", "DynamoDB throttles", "Billing webhooks", "Alarms"):
        assert title in body

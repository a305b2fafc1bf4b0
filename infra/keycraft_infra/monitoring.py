"""CloudWatch: the app's log group with metric filters, alarms to an SNS topic, a dashboard."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.keycraft_infra.settings import InfraSettings
from keycraft.services.logs import REQUEST_LOG_MESSAGE
from keycraft.services.metrics import WEBHOOK_LOG_MESSAGE

NAMESPACE = "KeyCraft"
PERIOD = Duration.minutes(5)
SERVER_ERROR_RATE_PERCENT = 5
"""Share of app responses that may be 5xx over five minutes before the alarm fires."""

# The app's JSON log lines these filters read, named by the app's own constants.
REQUEST_LOG = logs.FilterPattern.string_value("$.message", "=", REQUEST_LOG_MESSAGE)
WEBHOOK_LOG = logs.FilterPattern.string_value("$.message", "=", WEBHOOK_LOG_MESSAGE)


_RETENTION = {
    7: logs.RetentionDays.ONE_WEEK,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
}


class Monitoring(Construct):
    """Alarms on the app's 5xx rate, DynamoDB throttling and failed billing webhooks."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        settings: InfraSettings,
        table: dynamodb.ITable,
        app_distribution: cloudfront.IDistribution,
        media_distribution: cloudfront.IDistribution,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self,
            "AppLogs",
            retention=_RETENTION[settings.log_retention_days],
            removal_policy=RemovalPolicy.RETAIN,
        )
        app_5xx = self._count_filter(
            "AppServerErrors",
            logs.FilterPattern.all(
                REQUEST_LOG, logs.FilterPattern.number_value("$.status", ">=", 500)
            ),
        )
        webhook_failures = self._count_filter(
            "WebhookFailures",
            logs.FilterPattern.all(
                WEBHOOK_LOG, logs.FilterPattern.string_value("$.outcome", "=", "failed")
            ),
        )
        webhook_processed = self._count_filter(
            "WebhookProcessed",
            logs.FilterPattern.all(
                WEBHOOK_LOG, logs.FilterPattern.string_value("$.outcome", "=", "processed")
            ),
        )

        def cloudfront_metric(
            distribution: cloudfront.IDistribution, name: str, statistic: str
        ) -> cloudwatch.Metric:
            # CloudFront publishes its metrics in us-east-1 only, under Region=Global.
            return cloudwatch.Metric(
                namespace="AWS/CloudFront",
                metric_name=name,
                dimensions_map={"DistributionId": distribution.distribution_id, "Region": "Global"},
                statistic=statistic,
                period=PERIOD,
                region="us-east-1",
            )

        app_5xx_rate = cloudfront_metric(app_distribution, "5xxErrorRate", "Average")
        app_requests = cloudfront_metric(app_distribution, "Requests", "Sum")
        media_4xx_rate = cloudfront_metric(media_distribution, "4xxErrorRate", "Average")
        throttles = cloudwatch.MathExpression(
            expression="reads + writes",
            using_metrics={
                "reads": table.metric("ReadThrottleEvents", statistic="Sum", period=PERIOD),
                "writes": table.metric("WriteThrottleEvents", statistic="Sum", period=PERIOD),
            },
            label="DynamoDB throttled events",
            period=PERIOD,
        )

        self.topic = sns.Topic(self, "AlarmTopic", display_name="KeyCraft alarms")
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        alarm_action = actions.SnsAction(self.topic)

        self.alarms = [
            cloudwatch.Alarm(
                self,
                "AppServerErrorRate",
                alarm_description=(
                    f"More than {SERVER_ERROR_RATE_PERCENT}% of app responses were 5xx "
                    "for 10 minutes."
                ),
                metric=app_5xx_rate,
                threshold=SERVER_ERROR_RATE_PERCENT,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                evaluation_periods=2,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            cloudwatch.Alarm(
                self,
                "DynamoDbThrottles",
                alarm_description="DynamoDB throttled reads or writes in two 5-minute periods.",
                metric=throttles,
                threshold=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=2,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            cloudwatch.Alarm(
                self,
                "WebhookFailuresAlarm",
                alarm_description="A billing webhook failed: plans may be out of date.",
                metric=webhook_failures,
                threshold=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        ]
        for alarm in self.alarms:
            alarm.add_alarm_action(alarm_action)
            alarm.add_ok_action(alarm_action)

        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            default_interval=Duration.hours(6),
            widgets=[
                [
                    cloudwatch.GraphWidget(
                        title="App requests and 5xx rate (CloudFront)",
                        left=[app_requests],
                        right=[app_5xx_rate],
                        width=12,
                    ),
                    cloudwatch.GraphWidget(
                        title="App 5xx responses (logs)", left=[app_5xx], width=12
                    ),
                ],
                [
                    cloudwatch.GraphWidget(
                        title="DynamoDB throttles and consumed capacity",
                        left=[throttles],
                        right=[
                            table.metric_consumed_read_capacity_units(period=PERIOD),
                            table.metric_consumed_write_capacity_units(period=PERIOD),
                        ],
                        width=12,
                    ),
                    cloudwatch.GraphWidget(
                        title="Billing webhooks",
                        left=[webhook_processed, webhook_failures],
                        width=12,
                    ),
                ],
                [
                    cloudwatch.GraphWidget(
                        title="Media 4xx rate (expired or forged links)",
                        left=[media_4xx_rate],
                        width=12,
                    ),
                    cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=12),
                ],
            ],
        )

    def _count_filter(self, name: str, pattern: logs.IFilterPattern) -> cloudwatch.Metric:
        """A metric counting the app's log lines that match ``pattern``."""
        metric_filter = logs.MetricFilter(
            self,
            f"{name}Filter",
            log_group=self.log_group,
            filter_pattern=pattern,
            metric_namespace=NAMESPACE,
            metric_name=name,
            metric_value="1",
        )
        return metric_filter.metric(statistic="Sum", period=PERIOD)

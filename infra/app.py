"""CDK entry point: ``python -m infra.app`` writes the CloudFormation template to infra/cdk.out/."""

from __future__ import annotations

import os
from pathlib import Path

from aws_cdk import App, Environment

from infra.keycraft_infra.settings import InfraSettings
from infra.keycraft_infra.stack import KeyCraftStack

STACK_NAME = "KeyCraft"
DEFAULT_OUTDIR = Path(__file__).resolve().parent / "cdk.out"


def build_app(outdir: Path | None = None, context: dict[str, object] | None = None) -> App:
    """Build the CDK app with the KeyCraft stack; nothing is written until ``synth()``.

    Args:
        outdir: Where templates go; the ``cdk`` CLI passes ``CDK_OUTDIR`` instead.
        context: CDK context overrides (the same keys as ``-c name=value``).
    """
    target = os.environ.get("CDK_OUTDIR") or str(outdir or DEFAULT_OUTDIR)
    app = App(outdir=target, context=context or {}, analytics_reporting=False)
    settings = InfraSettings.from_context(app.node)
    # us-east-1 by default: CloudFront's metrics (the 5xx alarm) and certificates live there.
    region = app.node.try_get_context("region") or os.environ.get("CDK_DEFAULT_REGION")
    KeyCraftStack(
        app,
        STACK_NAME,
        settings,
        env=Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=region or "us-east-1"
        ),
        description="KeyCraft: data table, media bucket + CloudFront, app CDN, monitoring",
    )
    return app


def main() -> None:
    """Synthesize every stack as JSON templates into the output folder."""
    assembly = build_app().synth()
    for stack in assembly.stacks:
        print(Path(assembly.directory) / stack.template_file)


if __name__ == "__main__":
    main()

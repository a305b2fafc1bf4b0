"""``GET /api/admin/experiments/{key}.csv``: one experiment's results, for staff only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from keycraft.api.request_user import blocking, current_user
from keycraft.services.auth.staff import STAFF_ROLE
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.experiments.live import live_experiment
from keycraft.services.experiments.results import load_all_metrics, results_csv

_PRIVATE = {"Cache-Control": "no-store"}


async def experiment_csv(request: Request) -> Response:
    """Return results for every metric as CSV; 403 unless the session is a staff user's."""
    repo = get_services().repository
    try:
        user = await current_user(request)
        if user is None or user.role != STAFF_ROLE:
            return PlainTextResponse("Staff only.", status_code=403, headers=_PRIVATE)
        # The version staff run now, not the one declared in code.
        experiment = await blocking(live_experiment, repo, request.path_params["key"])
        if experiment is None:
            return PlainTextResponse("No such experiment.", status_code=404, headers=_PRIVATE)
        results = await blocking(load_all_metrics, repo, experiment)
    except DomainError:
        return PlainTextResponse("Results are unavailable.", status_code=503, headers=_PRIVATE)
    filename = f"experiment-{experiment.key}-v{experiment.version}.csv"
    return Response(
        results_csv(*results),
        media_type="text/csv",
        headers={**_PRIVATE, "Content-Disposition": f'attachment; filename="{filename}"'},
    )

"""``GET /api/health``: JSON status of the database, media storage and transcriber."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from keycraft.services.container import get_services
from keycraft.services.health import health_report


async def health(_request: Request) -> JSONResponse:
    """Report each dependency's reachability; always 200 so probes can read the body."""
    report = await health_report(get_services())
    return JSONResponse(report, headers={"Cache-Control": "no-store"})

"""OpenAPI post-processing: every operation documents the errors any API call can answer."""

from __future__ import annotations

# Answers any operation may give, whatever its own view says: bad input, no or a wrong
# sign-in, outside the jurisdiction or no such thing, a method or media type it does not
# take, and the throttle or lockout.
COMMON_ERRORS = {
    "400": "Invalid input; `detail` says what to fix, `errors` lists the fields.",
    "401": "No valid token (missing, expired or revoked).",
    "403": "Signed in, but this account may not do this.",
    "404": "No such object in your jurisdiction, or no such page.",
    "405": "This method is not allowed here.",
    "406": "The requested response format is not available.",
    "415": "The request body's media type is not accepted here.",
    "429": "Too many requests (throttle) or too many failed sign-ins (lockout).",
}


def add_common_errors(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "code": {"type": "string"},
                "errors": {},
            },
            "required": ["detail", "code"],
        },
    )
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                responses.setdefault(code, {"description": description, "content": error})
    return result

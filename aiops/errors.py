"""Errors that end a command or a request with a clear message instead of a traceback."""


class AiopsError(Exception):
    """Base class: `exit_code` for the CLI, `http_status` for the server."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(AiopsError):
    """The caller gave something we cannot use (missing path, empty question, bad file)."""

    exit_code = 2
    http_status = 400


class ServiceUnavailable(AiopsError):
    """A dependency (LLM server, vector store, uHub) cannot be reached right now."""

    exit_code = 3
    http_status = 503


class UpstreamError(AiopsError):
    """A dependency answered, but not with something we can use (401, malformed JSON, 4xx)."""

    exit_code = 4
    http_status = 502


class NotFound(InvalidInput):
    """The thing asked about does not exist (an unknown job id)."""

    http_status = 404

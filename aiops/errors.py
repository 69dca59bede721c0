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

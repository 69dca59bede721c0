"""The in-process chat model (llama.cpp), JSON-schema structured output, and LLM error mapping."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from pydantic import BaseModel, PrivateAttr

from aiops.errors import AiopsError, ServiceUnavailable


class JsonSchemaOutputMixin:
    """``with_structured_output(method="json_schema")`` for models that take a ``response_format``.

    The schema goes to the model as a grammar constraint (llama.cpp) and the answer is parsed
    with pydantic; with ``include_raw`` a parse failure is returned, never raised.
    """

    def with_structured_output(
        self,
        schema: type[BaseModel],
        *,
        include_raw: bool = False,
        method: str = "json_schema",
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, Any]:
        if method != "json_schema" or kwargs:
            raise ValueError(f"only method='json_schema' is supported, got {method!r} {kwargs}")
        response_format = {"type": "json_object", "schema": schema.model_json_schema()}
        bound = self.bind(response_format=response_format)  # type: ignore[attr-defined]
        parser: PydanticOutputParser[BaseModel] = PydanticOutputParser(pydantic_object=schema)
        if not include_raw:
            return bound | parser  # type: ignore[no-any-return]
        parse = RunnablePassthrough.assign(
            parsed=lambda state: parser.invoke(state["raw"]), parsing_error=lambda _: None
        )
        no_parse = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=bound) | parse.with_fallbacks([no_parse], exception_key="parsing_error")


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system", "tool": "user"}.get(message.type, "user")


class EmbeddedChatModel(JsonSchemaOutputMixin, BaseChatModel):  # type: ignore[misc]
    """A GGUF model run in-process by llama-cpp-python; one call at a time per process."""

    model_path: str
    n_ctx: int = 4096
    max_tokens: int = 320
    temperature: float = 0.0
    repeat_penalty: float = 1.3
    n_threads: int | None = None

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-embedded"

    def _model(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False
            )
        return self._llama

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> dict[str, Any]:
        request: dict[str, Any] = {
            "messages": [{"role": _role(m), "content": m.text} for m in messages],
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "stop": stop,
            "repeat_penalty": self.repeat_penalty,
        }
        if kwargs.get("response_format"):
            request["response_format"] = kwargs["response_format"]
        return request

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request = self._request(messages, stop, **kwargs)
        with self._lock, _context_overflow_as_error():
            response = self._model().create_chat_completion(**request)
        usage = response.get("usage") or {}
        message = AIMessage(
            content=response["choices"][0]["message"]["content"] or "",
            usage_metadata={
                "input_tokens": usage.get("prompt_tokens", 0),
                "output_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request = self._request(messages, stop, **kwargs)
        with self._lock, _context_overflow_as_error():
            for part in self._model().create_chat_completion(stream=True, **request):
                text = part["choices"][0]["delta"].get("content") or ""
                if not text:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk


@contextmanager
def _context_overflow_as_error() -> Iterator[None]:
    try:
        yield
    except ValueError as error:
        if "context window" in str(error) or "exceed" in str(error):
            raise AiopsError(f"prompt too long for the embedded model: {error}") from error
        raise


_UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, ConnectionError)


@contextmanager
def llm_errors(what: str) -> Iterator[None]:
    """Turn 'the LLM or embedding server is not there' into ServiceUnavailable with a clear message."""
    try:
        yield
    except _UNREACHABLE as error:
        raise ServiceUnavailable(f"{what} unreachable: {error}") from error
    except Exception as error:
        # The ollama client wraps HTTP failures in its own ResponseError.
        if type(error).__name__ == "ResponseError":
            raise ServiceUnavailable(f"{what} failed: {error}") from error
        raise

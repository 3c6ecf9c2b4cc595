"""Provider clients for the LLM judge, one module each, on one base (:mod:`.base`)."""

from __future__ import annotations

from prompt_sentinel.judges.providers.anthropic import AnthropicProvider
from prompt_sentinel.judges.providers.base import (
    Price,
    Provider,
    ProviderError,
    ProviderReply,
    Usage,
)
from prompt_sentinel.judges.providers.gemini import GeminiProvider
from prompt_sentinel.judges.providers.openai import OpenAIProvider

__all__ = [
    "PROVIDERS",
    "AnthropicProvider",
    "GeminiProvider",
    "OpenAIProvider",
    "Price",
    "Provider",
    "ProviderError",
    "ProviderReply",
    "Usage",
]

PROVIDERS: dict[str, type[Provider]] = {
    "anthropic": AnthropicProvider,
    "openai": OpenAIProvider,
    "gemini": GeminiProvider,
}

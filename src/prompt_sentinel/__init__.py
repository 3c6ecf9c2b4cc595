"""PromptSentinel: a self-hosted firewall for LLM prompts."""

__version__ = "0.1.0"

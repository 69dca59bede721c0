"""aiops: sovereign, on-premise AI agents for a small operations team."""

__version__ = "0.1.0"

"""Graph wiring: each module builds one LangGraph state machine from the nodes in ``agents/``."""

"""Agent logic: state, prompts and node functions of each agent. Wiring lives in ``graphs/``."""

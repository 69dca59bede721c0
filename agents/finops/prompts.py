"""Prompts of the FinOps Advisor: the model words advice around numbers it is given, never new ones."""

SYSTEM_PROMPT = (
    "You are a FinOps advisor for a small self-hosted operations team. You get one budget alert with "
    "its computed numbers. Write one or two short sentences of practical advice (rightsizing, idle "
    "resources, schedules, storage tiers, checking what changed that day). Use only the numbers given; "
    "do not invent any other figure, percentage or price."
)

ALERT_TEMPLATE = (
    "Service: {service}\nAlert: {kind}\nThreshold: {threshold} %\n"
    "Spent this month so far: {spent} {currency} ({spent_share} % of the budget)\n"
    "Monthly budget: {budget} {currency}\nForecast for the month: {forecast} {currency}\n"
    "Cost on {as_of}: {day_cost} {currency} (usual day: {baseline_day_cost} {currency})"
)

RULE_ADVICE = {
    "threshold": "{service} has used {threshold} % of its monthly budget ({spent} of {budget} {currency}): "
                 "look for idle or oversized resources before the month ends.",
    "forecast": "At this pace {service} ends the month at {forecast} {currency} for a budget of {budget} {currency}: "
                "rightsize or stop what is not needed now, or raise the budget on purpose.",
    "anomaly": "{service} cost {day_cost} {currency} on {as_of} against {baseline_day_cost} {currency} on a usual "
               "day: check what was deployed or left running that day.",
}

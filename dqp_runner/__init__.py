"""dqp_runner: finish dqp's statistics, score health and decide, from the aggregates dbt computed."""

__version__ = "0.4.0"

"""dqp benchmark harness: see bench/README.md."""

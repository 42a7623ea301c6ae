"""alerting stage: pure functions, no Kafka."""

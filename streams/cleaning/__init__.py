"""cleaning stage: pure functions, no Kafka."""

"""extraction stage: pure functions, no Kafka."""

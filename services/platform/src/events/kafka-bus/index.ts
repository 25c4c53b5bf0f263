export { createKafkaEventBus, type KafkaEventBusOptions } from './kafka-event-bus';
export { DEFAULT_CONSUMER_TIMINGS, type KafkaConsumerTimings } from './kafka-subscription';

import type { IncomingHttpHeaders } from 'node:http';
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { OtlpJsonExporter } from './otlp-json-exporter';

/** What `startTracing` needs. */
export interface TracingOptions {
  /** `service.name` of every span this service records. */
  readonly service: string;
  /** OTLP/HTTP base URL; without it (or a `spanExporter`) tracing is off and costs nothing. */
  readonly otlpEndpoint?: string | undefined;
  /** Where spans go instead of OTLP (tests keep them in memory); with it, tracing is on. */
  readonly spanExporter?: SpanExporter | undefined;
}

/** One service's tracing: its tracer, or none when tracing is off. */
export interface Tracing {
  readonly tracer: Tracer | undefined;
  /** Exports the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/** The tracer of the service whose request is being handled; child spans (SQL, events) use it. */
const TRACER_KEY = createContextKey('shop.tracer');
/** Spans outside any request (outbox relay, consumers) go to the first service started in the process. */
let processTracer: Tracer | undefined;
let globalsRegistered = false;

function registerGlobals(): void {
  if (globalsRegistered) return;
  globalsRegistered = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/**
 * Starts exporting the spans of `service` over OTLP/HTTP when an endpoint is configured (or to the
 * given exporter). When neither is, nothing is registered: every span helper below runs its work
 * directly (PLAT-3).
 */
export function startTracing(options: TracingOptions): Tracing {
  const exporter = options.spanExporter ?? (options.otlpEndpoint ? new OtlpJsonExporter(options.otlpEndpoint) : undefined);
  if (!exporter) return { tracer: undefined, shutdown: async () => undefined };
  registerGlobals();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 })],
  });
  const tracer = provider.getTracer(`@shop/${options.service}`);
  processTracer ??= tracer;
  return {
    tracer,
    shutdown: async () => {
      if (processTracer === tracer) processTracer = undefined;
      await provider.shutdown();
    },
  };
}

async function runInSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs one incoming request in a server span of `tracing`'s service. With `headers`, a W3C
 * `traceparent` in them is continued; without, the span starts a new trace.
 */
export function inServerSpan<T>(tracing: Tracing, name: string, headers: IncomingHttpHeaders | undefined, work: () => Promise<T>): Promise<T> {
  const tracer = tracing.tracer;
  if (!tracer) return work();
  const parent = headers ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
  return inSpanUnder(tracer, parent, tracer.startSpan(name, { kind: SpanKind.SERVER }, parent), work);
}

/** Runs `work` in `span`, a child of `parent` (not of the current context), with its tracer for nested spans. */
function inSpanUnder<T>(tracer: Tracer, parent: Context, span: Span, work: () => Promise<T>): Promise<T> {
  return context.with(trace.setSpan(parent, span).setValue(TRACER_KEY, tracer), () => runInSpan(span, work));
}

/** The tracer spans started now belong to, if tracing is on. */
function activeTracer(): Tracer | undefined {
  return (context.active().getValue(TRACER_KEY) as Tracer | undefined) ?? processTracer;
}

/** Runs `work` in a child span of the current one (or a new trace outside any request). */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return work();
  return tracer.startActiveSpan(name, { kind, attributes }, (span) => runInSpan(span, work));
}

/** Runs an outgoing call (e.g. the gateway's to a subgraph) in a client span, so its time and its callee's spans hang under it. */
export function inClientSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return inSpan(name, attributes, work, SpanKind.CLIENT);
}

/**
 * Whether this request is being traced. (Not `insideRecordedSpan`: libraries with their own
 * OpenTelemetry calls, like Apollo Gateway, put non-recording spans of the same trace in between.)
 */
export function tracingActive(): boolean {
  return activeTracer() !== undefined && trace.getSpanContext(context.active()) !== undefined;
}

/** Whether a recorded span is current, so a child span may hang under it (SQL statements are never roots). */
export function insideRecordedSpan(): boolean {
  return trace.getActiveSpan()?.isRecording() === true;
}

/** Adds the current trace context (`traceparent`) to outgoing request headers. */
export function injectTraceContext(set: (name: string, value: string) => void): void {
  propagation.inject(context.active(), undefined, { set: (_carrier, name, value) => set(name, value) });
}

/**
 * The current span's W3C `traceparent`, so a message sent later (an outbox event) continues this
 * trace; null outside a trace. Tracing off, the propagator is a no-op and this costs a call.
 */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'] ?? null;
}

/** The context a message's `traceparent` names (the root context when it has none or it is malformed). */
function messageContext(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * Runs the handling of one received message in a consumer span, a child of the span that produced
 * the message (its `traceparent`), so one trace runs from a request through every consumer. A
 * message without one starts a new trace: a consumer never inherits the context its loop started in.
 * `attributes` is only called when tracing is on: deliveries are a hot path.
 */
export function inConsumerSpan<T>(name: string, traceparent: string | null | undefined, attributes: () => Attributes, work: () => Promise<T>): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return work();
  const parent = messageContext(traceparent);
  return inSpanUnder(tracer, parent, tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes: attributes() }, parent), work);
}

/**
 * Runs the publishing of a batch of messages in a producer span. A batch mixes messages of many
 * traces, so the span belongs to none of them and links to each (OpenTelemetry's messaging
 * convention for batches); each message's own trace continues in its consumers.
 */
export function inPublishSpan<T>(name: string, attributes: Attributes, traceparents: readonly (string | null | undefined)[], work: () => Promise<T>): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return work();
  const links = [...new Set(traceparents)].flatMap((traceparent): Link[] => {
    const linked = trace.getSpanContext(messageContext(traceparent));
    return linked ? [{ context: linked }] : [];
  });
  return tracer.startActiveSpan(name, { kind: SpanKind.PRODUCER, attributes, links }, (span) => runInSpan(span, work));
}

/** The current trace and span ids, for log lines. */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}

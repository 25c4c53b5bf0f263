import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

const EXPORT_TIMEOUT_MS = 10_000;

/**
 * Sends spans to an OTLP/HTTP collector as JSON (`POST <endpoint>/v1/traces`) with Node's fetch.
 * Written here rather than taken from `@opentelemetry/exporter-trace-otlp-http`, whose transport
 * loads `node:http` through a dynamic `import()` that CommonJS test runners cannot execute.
 */
export class OtlpJsonExporter implements SpanExporter {
  private readonly url: string;
  private readonly pending = new Set<Promise<void>>();

  constructor(endpoint: string) {
    this.url = `${endpoint.replace(/\/$/, '')}/v1/traces`;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const json = JsonTraceSerializer.serializeRequest(spans);
    if (!json) return done({ code: ExportResultCode.FAILED });
    const body = Buffer.from(json).toString('utf8');
    const sending = fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS) })
      .then(async (response) => {
        await response.arrayBuffer();
        done({ code: response.ok ? ExportResultCode.SUCCESS : ExportResultCode.FAILED });
      })
      .catch((error: unknown) => done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }))
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}

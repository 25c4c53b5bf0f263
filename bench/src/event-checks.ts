import type { BusOutcome, EventsResults } from './events-phase';

/** One events target of one bus; `value` and `pass` are null when the bus was not measured. */
export interface EventCheck {
  readonly bus: BusOutcome['bus'];
  readonly name: string;
  readonly value: string;
  readonly target: string;
  /** 'pass', 'FAIL', or why there is no figure (skipped, failed). */
  readonly result: string;
}

/** Per bus: events published ÷ writes committed = 1.0, and publish lag p99 ≤ 2 × poll interval + 20 ms. */
export function evaluateEventChecks(events: EventsResults): EventCheck[] {
  const ratioTarget = '= 1.0';
  const lagTarget = `≤ ${events.lagTargetMs} ms`;
  return events.buses.flatMap((outcome): EventCheck[] => {
    const bus = outcome.bus;
    if (outcome.status !== 'measured') {
      const result = outcome.status === 'skipped' ? outcome.reason : 'not measured (failed)';
      return [
        { bus, name: `${bus}: events published ÷ writes committed`, value: '-', target: ratioTarget, result },
        { bus, name: `${bus}: publish lag p99`, value: '-', target: lagTarget, result },
      ];
    }
    const { ratio, outbox } = outcome.figures;
    const p99 = outbox.lagP99Ms;
    return [
      { bus, name: `${bus}: events published ÷ writes committed`, value: ratio.toFixed(3), target: ratioTarget, result: ratio === 1 ? 'pass' : 'FAIL' },
      { bus, name: `${bus}: publish lag p99`, value: p99 === null ? '-' : `${p99.toFixed(1)} ms`, target: lagTarget, result: p99 !== null && p99 <= events.lagTargetMs ? 'pass' : 'FAIL' },
    ];
  });
}

/**
 * What broke in the events phase (the bench exits non-zero for these; a slow lag is not one): a bus
 * that failed, writes that failed, committed writes without an outbox row, or events that did not
 * reach the bus (or reached it twice under different ids) by the deadline.
 */
export function eventProblems(events: EventsResults): string[] {
  return events.buses.flatMap((outcome): string[] => {
    const prefix = `events on ${outcome.bus}`;
    if (outcome.status === 'failed') return [`${prefix}: ${outcome.error}`];
    if (outcome.status === 'skipped') return [];
    const figures = outcome.figures;
    const problems: string[] = [];
    if (figures.writesFailed > 0) {
      problems.push(`${prefix}: ${figures.writesFailed} of ${figures.writesAttempted} writes failed, e.g. ${figures.writeFailures[0] ?? '?'}`);
    }
    if (figures.outbox.rows !== figures.writesCommitted) {
      problems.push(`${prefix}: ${figures.writesCommitted} writes committed but ${figures.outbox.rows} outbox rows match them`);
    }
    if (figures.outbox.published !== figures.outbox.rows) {
      problems.push(`${prefix}: ${figures.outbox.rows - figures.outbox.published} outbox rows still unpublished after ${events.deadlineSeconds} s`);
    }
    if (figures.eventsOnBus !== figures.writesCommitted) {
      problems.push(`${prefix}: ${figures.eventsOnBus} events on catalog.events for ${figures.writesCommitted} committed writes (after up to ${events.deadlineSeconds} s)`);
    }
    return problems;
  });
}

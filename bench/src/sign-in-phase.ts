import { randomBytes } from 'node:crypto';
import { expectData, postGraphQL } from './graphql-client';
import { percentileCont } from './percentile';
import type { Table } from './report';

/** How long one kind of login takes through the gateway, one at a time. */
export interface SignInTiming {
  readonly kind: string;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface SignInResults {
  readonly timings: readonly SignInTiming[];
}

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;
const SAMPLES = 40;

async function timed(samples: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times;
}

function summary(kind: string, times: readonly number[]): SignInTiming {
  return { kind, samples: times.length, p50Ms: percentileCont(times, 0.5) ?? 0, p95Ms: percentileCont(times, 0.95) ?? 0 };
}

/**
 * The cost of a login (argon2id verification, OWASP minimum) through the gateway: a right password,
 * a wrong one and an unknown email, which must cost about the same (no user enumeration by timing).
 * The shop must run with RATE_LIMIT_SCALE high enough for these logins from one address.
 */
export async function runSignInPhase(gatewayUrl: string, log: (line: string) => void): Promise<SignInResults> {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const password = `bench password ${randomBytes(8).toString('hex')}`;
  expectData(
    await postGraphQL(gatewayUrl, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`, { input: { email, password, name: 'Bench' } }),
    'register the bench customer',
  );
  const login = (as: string, secret: string) => () => postGraphQL(gatewayUrl, LOGIN, { email: as, password: secret });
  await timed(5, login(email, password)); // warm-up
  const timings = [
    summary('right password', await timed(SAMPLES, login(email, password))),
    summary('wrong password', await timed(SAMPLES, login(email, 'not the bench password'))),
    summary('unknown email', await timed(SAMPLES, login(`nobody-${email}`, 'not the bench password'))),
  ];
  for (const timing of timings) log(`  login, ${timing.kind}: p50 ${timing.p50Ms.toFixed(1)} ms, p95 ${timing.p95Ms.toFixed(1)} ms`);
  return { timings };
}

export function signInTable(results: SignInResults): Table {
  return {
    title: `Login cost through the gateway (argon2id m=19456 KiB t=2 p=1; ${SAMPLES} sequential logins each)`,
    rows: [['login', 'samples', 'p50 ms', 'p95 ms'], ...results.timings.map((t) => [t.kind, String(t.samples), t.p50Ms.toFixed(1), t.p95Ms.toFixed(1)])],
  };
}

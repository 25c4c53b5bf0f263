import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ANONYMOUS, IDENTITY_HEADER, signIdentity, type Role } from '@shop/platform';
import { errorCodes, postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import type { EntityTarget, IdorTarget, RootFieldTarget } from './discovery';
import type { Actor, EntityFixture, FieldFixture, FixtureRegistry, FixtureTools, Ids, OwnedObject } from './registry';
import { judge } from './verdict';

/** Where and how the matrix runs. */
export interface MatrixEnv<Services> {
  readonly gatewayUrl: string;
  /** Subgraph name to GraphQL URL, for `_entities` sent past the gateway. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** The gateway-subgraph secret: intruders reach `_entities` with an identity signed as the gateway would. */
  readonly identitySecret: string;
  /** An access token the gateway accepts. */
  token(userId: string, roles: readonly Role[]): Promise<string>;
  /**
   * Creates a real account for owner A and returns its id, when objects need one (an address
   * belongs to an existing customer). Without it A is a made-up user id.
   */
  createAccount?(label: string): Promise<string>;
  readonly services: Services;
}

/** One thing the matrix found wrong: a leak, a wrong classification or an unusable fixture. */
export interface Finding {
  readonly target: string;
  readonly caller: string;
  readonly problem: string;
}

type Call = (ids: Ids, as: Actor) => Promise<GraphQLAnswer>;
type FindingFor = (caller: string) => (problem: string) => Finding;

const findingFor = (target: string): FindingFor => (caller) => (problem) => ({ target, caller, problem });

const ROLES: Readonly<Record<'CUSTOMER' | 'SELLER', readonly Role[]>> = { CUSTOMER: ['CUSTOMER'], SELLER: ['SELLER', 'CUSTOMER'] };

/**
 * Creates A's object for every target that has a fixture, then calls it as intruders. Returns the
 * findings rather than throwing, so a meta-test can assert on them. Coverage is `checkCoverage`'s job.
 */
export async function runMatrix<Services>(targets: readonly IdorTarget[], fixtures: FixtureRegistry<Services>, env: MatrixEnv<Services>): Promise<Finding[]> {
  const run = new MatrixRun(env);
  const findings: Finding[] = [];
  for (const target of targets) {
    if (target.kind === 'Entity') {
      const fixture = fixtures[target.key as `Entity.${string}`];
      if (fixture) findings.push(...(await run.entity(target, fixture)));
    } else {
      const fixture = fixtures[target.key as `${typeof target.kind}.${string}`];
      if (fixture) findings.push(...(await run.field(target, fixture)));
    }
  }
  return findings;
}

class MatrixRun<Services> {
  private readonly prefix = randomBytes(3).toString('hex');
  private counter = 0;

  constructor(private readonly env: MatrixEnv<Services>) {}

  async field(target: RootFieldTarget, fixture: FieldFixture<Services>): Promise<Finding[]> {
    const finding = findingFor(target.key);
    if (target.kind === 'Mutation' && !fixture.readBack) return [finding('fixture')('a mutation fixture needs readBack to show A\'s object is unchanged')];
    const tools = await this.tools(fixture.owner);
    const owned = await fixture.create(tools);
    const call: Call = (ids, as) => tools.gateway(fixture.operation({ ...owned.shared, ...ids }, tools.unique()), as);
    const before = await fixture.readBack?.(owned, tools);
    const findings = await this.probe(fixture, owned, call, finding);
    const after = await fixture.readBack?.(owned, tools);
    if (!isDeepStrictEqual(before, after)) findings.push(finding('intruders')(`A's object changed: ${JSON.stringify(before)} became ${JSON.stringify(after)}`));
    const controller = fixture.access === 'staff-only' ? await this.actor('staff', 'idor-staff', ['STAFF']) : tools.owner;
    const control = await call(owned.ids, controller);
    return [...findings, ...ownerControl(control, target.kind === 'Query' ? readProof(owned, fixture.ownerReached) : null).map(finding(controller.name))];
  }

  async entity(target: EntityTarget, fixture: EntityFixture<Services>): Promise<Finding[]> {
    const tools = await this.tools(fixture.owner);
    const owned = await fixture.create(tools);
    const findings: Finding[] = [];
    for (const subgraph of target.subgraphs) {
      const url = this.env.subgraphUrls[subgraph];
      const finding = findingFor(`${target.key} on ${subgraph}`);
      const missingKey = target.keyFields.find((field) => owned.ids[field] === undefined);
      const selection = typeof fixture.selection === 'string' ? fixture.selection : fixture.selection[subgraph];
      if (!url) findings.push(finding('fixture')(`no running subgraph "${subgraph}" to send _entities to`));
      else if (missingKey) findings.push(finding('fixture')(`create() returned no id for the @key field ${missingKey}`));
      else if (!selection) findings.push(finding('fixture')(`no selection for the subgraph "${subgraph}"`));
      else {
        const call: Call = (ids, as) => this.entities(url, target, selection, ids, as);
        findings.push(...(await this.probe(fixture, owned, call, finding)));
        findings.push(...ownerControl(await call(owned.ids, tools.owner), readProof(owned)).map(finding(tools.owner.name)));
      }
    }
    return findings;
  }

  /** Every intruder calls A's object and, for a private one, random ids to compare with. */
  private async probe(fixture: FieldFixture<Services> | EntityFixture<Services>, owned: OwnedObject, call: Call, finding: FindingFor): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const intruder of await this.intruders(fixture.owner)) {
      const onOwned = await call(owned.ids, intruder);
      const missingIds = randomIds(owned.ids);
      const onMissing = fixture.access === 'private' ? { answer: await call(missingIds, intruder), ids: missingIds } : undefined;
      const answers = { guest: intruder.identity.userId === null, onOwned, onMissing, missingCodes: fixture.missingCodes };
      findings.push(...judge(fixture.access, owned, answers).map(finding(intruder.name)));
    }
    return findings;
  }

  /** `_entities` straight to the subgraph, signed for `as` like the gateway signs. */
  private entities(url: string, target: EntityTarget, selection: string, ids: Ids, as: Actor): Promise<GraphQLAnswer> {
    const representation = { __typename: target.typeName, ...Object.fromEntries(target.keyFields.map((field) => [field, ids[field]])) };
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${target.typeName} { ${selection} } } }`;
    const headers = { [IDENTITY_HEADER]: signIdentity(as.identity, this.env.identitySecret) };
    return postGraphQL(url, query, { variables: { representations: [representation] }, headers });
  }

  private async tools(owner: 'CUSTOMER' | 'SELLER'): Promise<FixtureTools<Services>> {
    const label = `idor-a-${this.unique()}`;
    const ownerId = this.env.createAccount ? await this.env.createAccount(label) : label;
    const ownerActor = await this.actor('owner A', ownerId, ROLES[owner]);
    return {
      owner: ownerActor,
      gateway: (operation, as = ownerActor) => postGraphQL(this.env.gatewayUrl, operation.query, { variables: { ...operation.variables }, headers: { ...as.headers } }),
      unique: () => this.unique(),
      services: this.env.services,
    };
  }

  /** Customer B and a guest; a seller's object also faces seller B. */
  private async intruders(owner: 'CUSTOMER' | 'SELLER'): Promise<Actor[]> {
    const customer = await this.actor('customer B', 'idor-customer-b', ROLES.CUSTOMER);
    const seller = owner === 'SELLER' ? [await this.actor('seller B', 'idor-seller-b', ROLES.SELLER)] : [];
    return [customer, ...seller, { name: 'guest', identity: ANONYMOUS, headers: {} }];
  }

  private async actor(name: string, userId: string, roles: readonly Role[]): Promise<Actor> {
    return { name, identity: { userId, roles }, headers: { authorization: `Bearer ${await this.env.token(userId, roles)}` } };
  }

  private unique(): string {
    this.counter += 1;
    return `${this.prefix}${this.counter}`;
  }
}

/**
 * The owner's own call (staff's, for a staff-only field) must work, or the fixture aims at nothing
 * and every intruder "passes". Reads must also return A's object: one of its secrets, or what the
 * fixture's `ownerReached` looks for.
 */
function ownerControl(answer: GraphQLAnswer, reached: ((answer: GraphQLAnswer) => boolean) | null): string[] {
  const codes = errorCodes(answer);
  if (codes.length > 0) return [`the control call failed with ${codes.join(', ')}: the fixture does not reach A's object`];
  if (reached && !reached(answer)) return ['the owner\'s own read did not return A\'s object'];
  return [];
}

/** What shows that a read reached A's object: the fixture's own test, or else one of A's secrets in the answer. */
function readProof(owned: OwnedObject, ownerReached?: (answer: GraphQLAnswer, owned: OwnedObject) => boolean): (answer: GraphQLAnswer) => boolean {
  return (answer) => (ownerReached ? ownerReached(answer, owned) : owned.secrets.some((secret) => answer.text.includes(secret)));
}

function randomIds(ids: Ids): Ids {
  return Object.fromEntries(Object.keys(ids).map((name) => [name, randomUUID()]));
}
